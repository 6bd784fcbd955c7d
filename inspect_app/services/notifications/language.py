"""Composing a text in a recipient's language, whatever the language of the request that caused it."""

from collections.abc import Callable
from typing import TypeVar

from flask_babel import force_locale

T = TypeVar("T")
LANGUAGES = ("ru", "kk", "en")


def in_language(locale: str | None, make: Callable[[], T]) -> T:
    """`make()` with the catalogs of `locale` (Russian when unknown)."""
    with force_locale(locale if locale in LANGUAGES else "ru"):
        return make()

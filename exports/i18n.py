"""Report languages: the caller's translated labels and picking one language from trilingual data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGS = ("ru", "kk", "en")


@dataclass(frozen=True)
class Words:
    """The report language and its labels (heading keys and printed codes -> text), given by the caller."""

    lang: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, key: str) -> str:
        """The label of `key`; an unknown key is printed as is."""
        return self.labels.get(key) or key


def localize(value: str | Mapping[str, str] | None, lang: str) -> str:
    """A plain string as is, or the `lang` entry of a {ru, kk, en} mapping (ru, then any, as fallback)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "get") and not isinstance(value, Mapping):
        # forms.I18nText has .get(lang) but is not a Mapping.
        return value.get(lang)
    return value.get(lang) or value.get("ru") or next(iter(value.values()), "")


def fmt_decimal(value: float, lang: str, digits: int = 1) -> str:
    """A number as the language writes it: a decimal comma in Russian and Kazakh ("92,3"), a point in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang in ("ru", "kk") else text

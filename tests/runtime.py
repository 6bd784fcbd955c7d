"""Tests that change what the deployment's config says to the services: the app's Runtime, replaced for a test.

The Runtime is frozen and built once by `create_app`; a test that needs another value (a smaller photo limit,
a cache on) replaces it on the app for its own duration, as `monkeypatch.setitem(app.config, ...)` does for
settings the pages read.
"""

from contextlib import contextmanager
from dataclasses import replace

from inspect_app.runtime import EXTENSION_KEY
from inspect_app.services.runtime import Runtime, _frozen


def _changed(runtime: Runtime, changes: dict) -> Runtime:
    return replace(runtime, **{k: _frozen(v) if isinstance(v, dict) else v for k, v in changes.items()})


def set_runtime(monkeypatch, app, **changes) -> Runtime:
    """Replace fields of the app's Runtime until the test ends (undone by `monkeypatch`)."""
    runtime = _changed(app.extensions[EXTENSION_KEY], changes)
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, runtime)
    return runtime


@contextmanager
def runtime_changed(app, **changes):
    """Replace fields of the app's Runtime inside the block (for fixtures and servers without `monkeypatch`)."""
    before = app.extensions[EXTENSION_KEY]
    app.extensions[EXTENSION_KEY] = _changed(before, changes)
    try:
        yield app.extensions[EXTENSION_KEY]
    finally:
        app.extensions[EXTENSION_KEY] = before

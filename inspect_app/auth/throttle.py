"""Throttling of sign-in and API token use, per account and per address (Flask-Limiter's storage and strategy).

Only failures count against sign-in and bad tokens (a person who types their password right is never slowed
down), while every API request counts against the account's and the address's rate. What is bad is throttled,
not who shares an address with it: a valid API token always gets through, and a locked account still signs in
from a device it signed in on before, one try at a time (`auth.devices`). Counters live in Redis
when `REDIS_URL` is set, so every gunicorn worker and host shares them; in memory otherwise.

Redis unreachable: rather than refuse every request, the counters move to this process's memory (an error in
the log says so) and go back to Redis once it answers again (asked at most every `_RETRY_SECONDS`). Meanwhile
each worker process counts on its own, so a limit allows up to that many times more per process.
"""

import hashlib
import logging
import threading
import time

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES
from werkzeug.exceptions import TooManyRequests

from inspect_app.extensions import limiter


class Throttled(TooManyRequests):
    """429 with a message a person can act on and the seconds to wait in Retry-After."""

    def __init__(self, retry_after: int, message: str | None = None):
        minutes = max(1, -(-retry_after // 60))
        super().__init__(message or _("Слишком много попыток. Повторите через %(n)s мин.", n=minutes))
        self.retry_after = retry_after

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


def address() -> str:
    """The client's address as the WSGI server sees it (put ProxyFix in front when behind a proxy)."""
    return request.remote_addr or "unknown"


def presented_token_key(authorization: str) -> str:
    """The key of a presented (bad) API token: a digest of what was sent, never the token itself."""
    return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]


def _enabled() -> bool:
    return bool(current_app.config["THROTTLE_ENABLED"])


def refuse_if_exhausted(kind: str, *keys: str) -> None:
    """Raise Throttled when any of the (limit of `kind`, key) pairs has no attempt left."""
    if not _enabled():
        return
    for key, rule in zip(keys, current_app.config["THROTTLE_LIMITS"][kind], strict=True):
        item = parse(rule)
        if not _counters("test", item, kind, key):
            reset = _counters("get_window_stats", item, kind, key).reset_time
            raise Throttled(max(1, int(reset - _now())))


def count(kind: str, *keys: str) -> None:
    """Count one attempt of `kind` against each key."""
    if not _enabled():
        return
    for key, rule in zip(keys, current_app.config["THROTTLE_LIMITS"][kind], strict=True):
        _counters("hit", parse(rule), kind, key)


def forget(kind: str, *keys: str) -> None:
    """Clear the counters of `kind` for the first keys (a successful sign-in clears the account's failures)."""
    if not _enabled():
        return
    for key, rule in zip(keys, current_app.config["THROTTLE_LIMITS"][kind], strict=False):
        _counters("clear", parse(rule), kind, key)


def _now() -> float:
    return time.time()


log = logging.getLogger(__name__)
_RETRY_SECONDS = 30.0
_fallback: dict = {"since": None, "asked": 0.0, "strategy": None}
_fallback_lock = threading.Lock()


def _counters(method: str, *args):
    """Call the rate-limit strategy's `method` on the shared counters, or on this process's memory while the
    shared storage cannot be reached (switching is logged once each way)."""
    shared = limiter.limiter
    storage = limiter.storage
    if _fallback["since"] is not None and time.monotonic() - _fallback["asked"] < _RETRY_SECONDS:
        return getattr(_memory(), method)(*args)
    try:
        result = getattr(shared, method)(*args)
    except storage.base_exceptions as error:
        with _fallback_lock:
            _fallback["asked"] = time.monotonic()
            if _fallback["since"] is None:
                _fallback["since"] = time.time()
                log.error("throttle counters unreachable (%s): counting in this process's memory until they "
                          "are back", error)
        return getattr(_memory(), method)(*args)
    if _fallback["since"] is not None:
        with _fallback_lock:
            if _fallback["since"] is not None:
                log.warning("throttle counters reachable again after %.0f s", time.time() - _fallback["since"])
                _fallback["since"] = None
    return result


def _memory():
    with _fallback_lock:
        if _fallback["strategy"] is None:
            _fallback["strategy"] = STRATEGIES[current_app.config.get("RATELIMIT_STRATEGY", "moving-window")](
                MemoryStorage())
        return _fallback["strategy"]

"""Throttling of sign-in and API token use, per account and per address (Flask-Limiter's storage and strategy).

Only failures count against sign-in and bad tokens (a person who types their password right is never slowed
down), while every API request counts against the account's and the address's rate. What is bad is throttled,
not who shares an address with it: a valid API token always gets through, and a locked account still signs in
from a device it signed in on before, one try at a time (`auth.devices`). Counters live in Redis
when `REDIS_URL` is set, so every gunicorn worker and host shares them; in memory otherwise.
"""

import hashlib

from flask import current_app, request
from flask_babel import gettext as _
from limits import parse
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
        if not limiter.limiter.test(item, kind, key):
            reset = limiter.limiter.get_window_stats(item, kind, key).reset_time
            raise Throttled(max(1, int(reset - _now())))


def count(kind: str, *keys: str) -> None:
    """Count one attempt of `kind` against each key."""
    if not _enabled():
        return
    for key, rule in zip(keys, current_app.config["THROTTLE_LIMITS"][kind], strict=True):
        limiter.limiter.hit(parse(rule), kind, key)


def forget(kind: str, *keys: str) -> None:
    """Clear the counters of `kind` for the first keys (a successful sign-in clears the account's failures)."""
    if not _enabled():
        return
    for key, rule in zip(keys, current_app.config["THROTTLE_LIMITS"][kind], strict=False):
        limiter.limiter.clear(parse(rule), kind, key)


def _now() -> float:
    import time

    return time.time()

"""A short-lived cache of compliance summaries, so that supervisors refreshing the dashboard together do not
each recount their region: the same scope and filters within `STATS_CACHE_SECONDS` get the same figures.

The key is everything the figures depend on: the user's role and region (the scope), the filters and today's
date in Asia/Almaty. Off (0) in tests. With `REDIS_URL` set the entries live in Redis (expiring after the ttl),
so every server process and worker shares them: a figure computed by one gunicorn worker serves the others; the
process's own entries are the fallback when Redis does not answer. The entries are pickled dataclasses of plain
numbers and words (the selected region is stored as its id): Redis is the deployment's own, as for the jobs.
"""

import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Region, User
from inspect_app.services import statistics
from inspect_app.services.access import sees_all_regions

MAX_ENTRIES = 256
REDIS_PREFIX = "tekseru:stats:"
FRAGMENT_PREFIX = "tekseru:stats-page:"
_lock = threading.Lock()
_entries: dict[tuple, tuple[float, statistics.Summary]] = {}
_fragments: dict[tuple, tuple[float, str]] = {}  # key: (expires at, monotonic; the rendered text)
_rendering: dict[tuple, threading.Lock] = {}  # key: held while a thread draws that page
log = logging.getLogger(__name__)


def _with_region(session: Session, data: statistics.Summary, region_id: int | None) -> statistics.Summary:
    # The selected region is a database row: give this request its own copy, not another session's.
    region = session.get(Region, region_id) if region_id is not None else None
    return replace(data, scope=replace(data.scope, region=region))


def _redis_get(redis_url: str, key: str) -> Any:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        raw = Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).get(key)
    except RedisError as error:
        log.warning("statistics cache: Redis did not answer (%s)", error)
        return None
    return pickle.loads(raw) if raw else None  # noqa: S301 - written by this app into its own Redis


def _redis_set(redis_url: str, key: str, ttl: float, value: Any) -> None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).set(
            key, pickle.dumps(value), ex=max(1, int(ttl)))
    except RedisError as error:
        log.warning("statistics cache: Redis did not answer (%s)", error)


def _key(user: User, args: dict[str, Any]) -> tuple:
    # Whatever decides what the user may see (role, region), the filters and the day.
    return (user.role, sees_all_regions(user), user.region_id, repr(sorted(args.items())), today_almaty())


def cached_summary(session: Session, user: User, args: dict[str, Any], *, ttl: float,
                   redis_url: str = "") -> statistics.Summary:
    """`statistics.summary` for this user and filters, computed at most once per `ttl` seconds
    (STATS_CACHE_SECONDS, Runtime.stats_cache_seconds; 0: no cache), shared through Redis at `redis_url`
    (Runtime.redis_url) when given."""
    return aged_summary(session, user, args, ttl=ttl, redis_url=redis_url)[0]


def aged_summary(session: Session, user: User, args: dict[str, Any], *, ttl: float,
                 redis_url: str = "") -> tuple[statistics.Summary, float]:
    """`cached_summary` and the figures' age in seconds (0 when just computed)."""
    if ttl <= 0:
        return statistics.summary(session, user, args), 0.0
    key = _key(user, args)
    redis_key = REDIS_PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()
    if redis_url:
        shared = _redis_get(redis_url, redis_key)
        if shared is not None:  # (region id, figures[, computed at]): entries written before the age have none
            age = time.time() - shared[2] if len(shared) > 2 else ttl
            return _with_region(session, shared[1], shared[0]), max(0.0, age)
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
    if hit is not None and now - hit[0] < ttl:
        data = hit[1]
        return (_with_region(session, data, data.scope.region.id if data.scope.region is not None else None),
                now - hit[0])
    data = statistics.summary(session, user, args)
    region_id = data.scope.region.id if data.scope.region is not None else None
    if redis_url:
        _redis_set(redis_url, redis_key, ttl,
                   (region_id, replace(data, scope=replace(data.scope, region=None)), time.time()))
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now, data)
    return data, 0.0


def _kept_fragment(key: tuple, redis_key: str, redis_url: str) -> str | None:
    if redis_url:
        shared = _redis_get(redis_url, redis_key)
        if shared is not None:
            return shared
    with _lock:
        hit = _fragments.get(key)
    return hit[1] if hit is not None and time.monotonic() < hit[0] else None


def cached_fragment(user: User, args: dict[str, Any], parts: tuple, *, ttl: float, redis_url: str = "",
                    render: Callable[[], tuple[str, float]]) -> str:
    """A page's rendered figures for this user's role and region, filters and `parts` (the language, the query
    string as written), kept no longer than the figures they show: `render()` returns the text and the age of
    the figures it used, and the text is kept for the rest of their `ttl` only. Shared through Redis like them."""
    if ttl <= 0:
        return render()[0]
    key = ("fragment", *_key(user, args), *parts)
    redis_key = FRAGMENT_PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()
    kept = _kept_fragment(key, redis_key, redis_url)
    if kept is not None:
        return kept
    with _lock:
        rendering = _rendering.setdefault(key, threading.Lock())
    # One thread of a process draws an expired page; the others asking meanwhile wait for it instead of drawing it
    # too (under load they all expire together, and each drawing costs the CPU the waiting ones need).
    with rendering:
        kept = _kept_fragment(key, redis_key, redis_url)
        if kept is not None:
            return kept
        now = time.monotonic()
        text, age = render()
        left = ttl - age
        if left >= 1:
            if redis_url:
                _redis_set(redis_url, redis_key, left, text)
            with _lock:
                if len(_fragments) >= MAX_ENTRIES:
                    _fragments.clear()
                    _rendering.clear()
                _fragments[key] = (now + left, text)
    return text

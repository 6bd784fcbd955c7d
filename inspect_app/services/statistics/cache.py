"""A short-lived cache of compliance summaries, so that supervisors refreshing the dashboard together do not
each recount their region: the same scope and filters within `STATS_CACHE_SECONDS` get the same figures.

The key is everything the figures depend on: the user's role and region (the scope), the filters and today's
date in Asia/Almaty. Off (0) in tests; each server process keeps its own entries.
"""

import threading
import time
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Region, User
from inspect_app.services import statistics
from inspect_app.services.access import sees_all_regions

MAX_ENTRIES = 256
_lock = threading.Lock()
_entries: dict[tuple, tuple[float, statistics.Summary]] = {}


def cached_summary(session: Session, user: User, args: dict[str, Any], *, ttl: float) -> statistics.Summary:
    """`statistics.summary` for this user and filters, computed at most once per `ttl` seconds
    (STATS_CACHE_SECONDS, Runtime.stats_cache_seconds; 0: no cache)."""
    if ttl <= 0:
        return statistics.summary(session, user, args)
    key = (sees_all_regions(user), user.region_id, repr(sorted(args.items())), today_almaty())
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
    if hit is not None and now - hit[0] < ttl:
        data = hit[1]
        # The selected region is a database row: give this request its own copy, not another session's.
        region = session.get(Region, data.scope.region.id) if data.scope.region is not None else None
        return replace(data, scope=replace(data.scope, region=region))
    data = statistics.summary(session, user, args)
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now, data)
    return data

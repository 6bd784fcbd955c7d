"""The inspector's day: when a route is released (the schedule is secret until then), who reads which day,
stop and route, the route access log and the route calendar."""

import datetime as dt

from inspect_app.i18n import ALMATY
from inspect_app.models import Inspector, Region, ScheduleVisit, User
from inspect_app.models import setting as settings_values
from inspect_app.services.access.roles import (
    REGIONAL,
    _role,
    is_admin,
    is_inspector,
    is_supervisor,
    may_read_registry,
    sees_all_regions,
)
from inspect_app.services.errors import Forbidden


def route_region(user: User) -> Region | None:
    """The region whose routes a user reads: an inspector's or a supervisor's own; None means every region."""
    return user.region if _role(user) in REGIONAL else None


def routes_released_only(user: User) -> bool:
    """Inspectors read a day only once it is released to them; supervisors and the others any day."""
    return is_inspector(user)


def now_utc() -> dt.datetime:
    """The current time, which the release rule reads; tests move it with monkeypatch."""
    return dt.datetime.now(dt.UTC)


def release_time(region: Region, day: dt.date) -> dt.datetime:
    """When the route of `day` reaches the inspectors of `region` (an aware datetime)."""
    if region.route_release == "evening":
        before = day - dt.timedelta(days=1)
        hour = settings_values.current("route_evening_release_hour", region.id)
        return dt.datetime.combine(before, dt.time(int(hour)), ALMATY)
    return dt.datetime.combine(day, dt.time(int(settings_values.current("route_release_hour", region.id))), ALMATY)


def is_released(region: Region, day: dt.date, now: dt.datetime | None = None) -> bool:
    """True while an inspector may read the day: from its release until the day ends in Almaty."""
    now = now or now_utc()
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), ALMATY)
    return release_time(region, day) <= now < day_end


def released_days(region: Region, now: dt.datetime | None = None) -> list[dt.date]:
    """The days an inspector of the region may read now: today, and tomorrow after an evening release."""
    now = now or now_utc()
    today = now.astimezone(ALMATY).date()
    return [d for d in (today, today + dt.timedelta(days=1)) if is_released(region, d, now)]


def routes_today(now: dt.datetime | None = None) -> dt.date:
    """Today in Almaty by the clock the release rule reads."""
    return (now or now_utc()).astimezone(ALMATY).date()


def may_read_day(user: User, region: Region | None, day: dt.date, now: dt.datetime | None = None) -> bool:
    """An inspector reads a day's route only while it is released to them; the other roles any day."""
    # Asked as membership, not is_released(day): any date may come from a URL, 9999-12-31 included.
    return not routes_released_only(user) or (region is not None and day in released_days(region, now))


def may_open_stop_now(user: User, visit: ScheduleVisit, now: dt.datetime | None = None) -> bool:
    """An urgent visit is its inspector's as soon as it is assigned; a planned stop only on its released day."""
    return bool(visit.urgent) or may_read_day(user, visit.schedule.region, visit.date, now)


def may_read_routes_of_others(user: User) -> bool:
    """Supervisors (their region), admins and the ministry read any inspector's day."""
    return may_read_registry(user)


def may_read_inspector_route(user: User, inspector: Inspector) -> bool:
    """Another inspector's day is readable by those who may read that inspector's region."""
    return sees_all_regions(user) or (is_supervisor(user) and any(r.id == user.region_id for r in inspector.regions))


def may_read_visit(user: User, visit: ScheduleVisit, own_inspector_id: int | None) -> bool:
    """A stop: an inspector's own (of their region), a supervisor's region's, any for admins and the ministry.

    Whether an inspector's day is released yet is `may_open_stop_now` (time, not role).
    """
    if is_inspector(user):
        return (own_inspector_id is not None and visit.inspector_id == own_inspector_id
                and user.region_id == visit.schedule.region_id)
    return sees_all_regions(user) or (is_supervisor(user) and user.region_id == visit.schedule.region_id)


def require_route_settings(user: User, region: Region) -> None:
    """Only the region's supervisors (and admins) choose when routes are released."""
    if not (is_admin(user) or (is_supervisor(user) and user.region_id == region.id)):
        raise Forbidden("Only the region's supervisors choose when routes are released.")


def may_read_access_log(user: User) -> bool:
    """Supervisors read their region's route access log; admins every region's."""
    return is_admin(user) or (is_supervisor(user) and user.region_id is not None)


def access_log_region(user: User) -> int | None:
    """The region a user's access log is limited to (None: all, for admins); Forbidden for the others."""
    if not may_read_access_log(user):
        raise Forbidden("Only supervisors read the access log of their region.")
    return None if is_admin(user) else user.region_id


def may_have_calendar(user: User | None) -> bool:
    """Only inspectors have a route calendar (a secret URL of their released days)."""
    return is_inspector(user) and bool(getattr(user, "is_active", False))

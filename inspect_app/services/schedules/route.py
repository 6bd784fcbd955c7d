"""The inspector's route: a day's route as the phone shows it, its stops, its sheet and calendar.

A surprise schedule must not leak ahead of time, so an inspector sees a day only once it is released
(that day from ROUTE_RELEASE_HOUR, Almaty time, or the evening before in regions that chose it) and only
until the day ends; supervisors of the region see every day of every inspector of their schedules. That
rule is services/access/day.py's (`may_read_day`, `may_open_stop_now`); this module applies it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale
from sqlalchemy.orm import Session

from inspect_app.labels import route_sheet_labels
from inspect_app.models import Audit, AuditStatus, Facility, Inspector, Region, Schedule, ScheduleVisit, User
from inspect_app.models import setting as settings_values
from inspect_app.models.schedule import OPEN_VISIT_STATUSES
from inspect_app.services.access import (
    is_inspector,
    may_open_stop_now,
    may_read_day,
    may_read_inspector_route,
    may_read_routes_of_others,
    may_read_visit,
    release_time,
    released_days,
    require_route_settings,
    route_region,
    routes_released_only,
    routes_today,
)
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules.signals import live_visit_clause
from scheduler.travel import great_circle_km

RELEASE_CHOICES = ("morning", "evening")


def inspector_of(session: Session, user: User) -> Inspector | None:
    """The inspector record linked to a user, if any."""
    return session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))


def nav_links(facility: Facility) -> dict[str, str]:
    """Links that open the phone's navigation app at the facility: a `geo:` URI and the usual map apps."""
    lat, lon = f"{facility.lat:.6f}", f"{facility.lon:.6f}"
    name = quote(facility.name_ru or "", safe="")
    return {
        "geo": f"geo:{lat},{lon}?q={lat},{lon}({name})",
        "google": f"https://www.google.com/maps/dir/?api=1&destination={lat},{lon}",
        "yandex": f"https://yandex.kz/maps/?rtext=~{lat},{lon}&rtt=auto",
        "2gis": f"https://2gis.kz/directions/points/%7C{lon},{lat}",
    }


@dataclass
class DayRoute:
    """One inspector's stops of one day, in route order, with what happened at each."""

    inspector: Inspector | None
    day: dt.date
    released: bool
    release_at: dt.datetime | None
    stops: list[dict[str, Any]] = field(default_factory=list)
    urgent: list[dict[str, Any]] = field(default_factory=list)
    km: float = 0.0
    schedule_ids: list[int] = field(default_factory=list)


def live_audits(session: Session, visit_ids: list[int]) -> dict[int, Audit]:
    """The open or submitted audit of each visit (corrections and discarded drafts left out)."""
    if not visit_ids:
        return {}
    rows = session.scalars(sa.select(Audit).where(
        Audit.schedule_visit_id.in_(visit_ids), Audit.supersedes_id.is_(None), Audit.status != AuditStatus.DISCARDED))
    return {a.schedule_visit_id: a for a in rows}


def _stops(session: Session, visits: list[ScheduleVisit], home: tuple[float, float] | None,
           road: float) -> list[dict]:
    audits = live_audits(session, [v.id for v in visits])
    out, here = [], home
    for v in visits:
        f = v.facility
        km = round(great_circle_km(here[0], here[1], f.lat, f.lon) * road, 1) if here else None
        here = (f.lat, f.lon)
        audit = audits.get(v.id)
        out.append({"visit": v, "facility": f, "order": v.order, "start": v.start, "end": v.end, "km": km,
                    "status": v.status, "reason": v.not_done_reason, "note": v.not_done_note,
                    "audit": audit, "urgent": bool(v.urgent), "nav": nav_links(f)})
    return out


def _visits(session: Session, *conditions) -> list[ScheduleVisit]:
    return list(session.scalars(
        sa.select(ScheduleVisit).join(Schedule).where(live_visit_clause(), *conditions)
        .order_by(ScheduleVisit.date, ScheduleVisit.order)
        .options(so.joinedload(ScheduleVisit.facility))))


def _urgent_condition(inspector: Inspector):
    return sa.and_(ScheduleVisit.inspector_id == inspector.id, ScheduleVisit.urgent.is_(True),
                   ScheduleVisit.status.in_(OPEN_VISIT_STATUSES))


def _inspector_for(session: Session, user: User, inspector_id: int | None) -> Inspector | None:
    """The inspector whose day the user asks for: their own, or one of their region for supervisors."""
    if is_inspector(user):
        own = inspector_of(session, user)
        if inspector_id is not None and (own is None or own.id != inspector_id):
            raise NotFound("Inspector not found.")
        return own
    if not may_read_routes_of_others(user):
        raise Forbidden("Your role has no routes.")
    if inspector_id is None:
        raise NotFound("Name the inspector whose route you want to see.", "inspector_id", location="query")
    inspector = session.get(Inspector, inspector_id)
    if inspector is None or not may_read_inspector_route(user, inspector):
        raise NotFound("Inspector not found.")
    return inspector


def day_route(session: Session, user: User, day: dt.date | None = None,
              inspector_id: int | None = None, *, road_factor: float) -> DayRoute:
    """A day's route as its reader may see it.

    Inspectors: their own visits of published schedules on a released day (Forbidden for a day named
    explicitly that is not released; with no day, the first released one, or today with no stops and the
    release time). Supervisors: any day of an inspector of their region, visits of their region's
    schedules only. Admins and the ministry: any.
    """
    inspector = _inspector_for(session, user, inspector_id)
    region = route_region(user)
    released_only = routes_released_only(user)
    if released_only:
        if region is None:
            raise Forbidden("Your account has no region.")
        if day is None:
            open_days = released_days(region)
            day = open_days[0] if open_days else routes_today()
        elif not may_read_day(user, region, day):
            raise Forbidden("This day's route is not released to you yet (or is over).", "date", location="query")
    elif day is None:
        day = routes_today()
    released = may_read_day(user, region, day)
    route = DayRoute(inspector, day, released, release_time(region, day) if released_only else None)
    if inspector is None or not released:
        return route
    scope = [Schedule.region_id == region.id] if region is not None else []
    visits = _visits(session, ScheduleVisit.inspector_id == inspector.id, ScheduleVisit.date == day, *scope)
    home = (inspector.home_lat, inspector.home_lon) if inspector.home_lat is not None else None
    route.stops = _stops(session, [v for v in visits if not v.urgent], home, road_factor)
    if released_only:
        route.urgent = _stops(session, _visits(session, _urgent_condition(inspector), *scope), None, road_factor)
    if route.stops and home:
        last = route.stops[-1]["facility"]
        back = great_circle_km(last.lat, last.lon, *home) * road_factor
        route.km = round(sum(s["km"] or 0 for s in route.stops) + back, 1)
    route.schedule_ids = sorted({v.schedule_id for v in visits})
    return route


# What deciding on a stop reads of its schedule: a few small columns, never the problem and routes (hundreds of KB).
_VISIT_SCHEDULE_COLUMNS = (Schedule.id, Schedule.region_id, Schedule.status, Schedule.superseded_from,
                           Schedule.effective_from)


def readable_visit(session: Session, user: User, visit_id: int) -> ScheduleVisit:
    """A visit of a published schedule the user may open as a stop: NotFound otherwise (an inspector's
    unreleased day looks like a missing one).

    Every refusal takes one path: the user's inspector record, then the visit with its schedule's small columns
    and its region in one statement, whatever the answer; the decision is made on those rows. So neither the
    time nor the statements tell an inspector's own unreleased stop from another's or from a missing id; the
    schedule's large columns load only when an allowed stop's page reads them.
    """
    own = inspector_of(session, user) if is_inspector(user) else None
    if own is not None or is_inspector(user):
        # The release hours in force for the inspector's region, read on every path (not only when an own stop
        # asks whether its day is released), so that the settings' statements tell nothing either.
        for key in ("route_release_hour", "route_evening_release_hour"):
            settings_values.current(key, user.region_id)
    visit = session.scalar(
        sa.select(ScheduleVisit).join(ScheduleVisit.schedule).join(Schedule.region)
        .where(ScheduleVisit.id == visit_id, live_visit_clause())
        .options(so.contains_eager(ScheduleVisit.schedule).load_only(*_VISIT_SCHEDULE_COLUMNS)
                 .contains_eager(Schedule.region)))
    if visit is None:
        raise NotFound("Visit not found.")
    if not may_read_visit(user, visit, own.id if own else None):
        raise NotFound("Visit not found.")
    if not may_open_stop_now(user, visit):
        raise NotFound("Visit not found.")
    return visit


def set_release(session: Session, user: User, region: Region, release: str) -> Region:
    """Choose when the region's inspectors get their routes ("morning" or "evening"); commits."""
    require_route_settings(user, region)
    if release not in RELEASE_CHOICES:
        raise InvalidInput("Choose morning or evening.", "route_release")
    region.route_release = release
    session.commit()
    return region


def _sheet(route: DayRoute, lang: str = "ru"):
    from exports.route_sheet import RouteSheet, RouteStop

    stops = [RouteStop(order=s["order"], start=s["start"], end=s["end"], name=s["facility"].name(lang),
                       address=s["facility"].address or "", bin=s["facility"].bin or "", km=s["km"],
                       lat=s["facility"].lat, lon=s["facility"].lon, uid=f"visit-{s['visit'].id}",
                       modified=_revised_at(s["visit"]), sequence=_revision_number(s["visit"].schedule))
             for s in route.stops]
    return RouteSheet(inspector=route.inspector.full_name if route.inspector else "", day=route.day, stops=stops,
                      km=route.km)


def _revised_at(visit: ScheduleVisit) -> dt.datetime | None:
    """When the visit last changed: its schedule's publication (a revision publishes new rows) or its status."""
    times = [t for t in (visit.schedule.published_at, visit.status_at) if t is not None]
    return max(times) if times else None


def _revision_number(schedule: Schedule) -> int:
    """0 for a schedule as first published, n for its n-th revision (absence repair, urgent visit, ...)."""
    number, seen = 0, {schedule.id}
    while schedule.supersedes is not None and schedule.supersedes.id not in seen:
        schedule = schedule.supersedes
        seen.add(schedule.id)
        number += 1
    return number


def public_host(public_base_url: str) -> str:
    """The deployment's host name (PUBLIC_BASE_URL), the right side of the calendar's event UIDs."""
    return urlsplit(public_base_url).hostname or "localhost"


def route_sheet_pdf(route: DayRoute, lang: str = "ru") -> bytes:
    """The printable route sheet of a day (PT Sans, like the reports)."""
    from exports.route_sheet import write_route_sheet

    with force_locale(lang):
        labels = route_sheet_labels()
    return write_route_sheet(_sheet(route, lang), labels, lang)


def calendar_feed(session: Session, user: User, name: str, runtime: Runtime) -> bytes:
    """The iCalendar of the inspector's released days (nothing before a day is released); logs the read."""
    from exports.route_sheet import RouteSheet, write_calendar
    from inspect_app.services.schedules import read_log

    stops = []
    for released in released_days(user.region) if user.region else []:
        route = day_route(session, user, released, road_factor=runtime.road_factor)
        read_log.record(session, user, "calendar", route=route, what="calendar feed")
        stops += [(released, s) for s in _sheet(route).stops]
    # One calendar may span today and (after an evening release) tomorrow: events carry their own dates.
    by_day: dict[dt.date, list] = {}
    for released, s in stops:
        by_day.setdefault(released, []).append(s)
    sheets = [RouteSheet(inspector="", day=d, stops=v) for d, v in sorted(by_day.items())]
    return write_calendar(sheets, name, uid_host=public_host(runtime.public_base_url))

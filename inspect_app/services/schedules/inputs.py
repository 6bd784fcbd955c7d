"""What a build reads: the deployment's conversion rules, the horizon, each region's problem and seed."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Facility, Inspector, Region, Schedule, ScheduleVisit
from inspect_app.models import setting as settings_values
from inspect_app.services.calendar import store as calendar
from inspect_app.services.calendar.rules import FacilityCalendar
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules.problem import ProblemBuild, ProblemSettings, build_problem
from inspect_app.services.schedules.signals import facility_signals, live_visit_clause, planned_facilities

MAX_SEED = 2**31


def problem_settings(runtime: Runtime, fill: float | None = None,
                     intervals: dict[str, int] | None = None) -> ProblemSettings:
    """The conversion rules of this deployment's config (`intervals` overrides some, for a what-if)."""
    return ProblemSettings(intervals={**settings_values.intervals(), **(intervals or {})},
                           optional_weights=dict(runtime.optional_weights), travel=runtime.travel,
                           workdays=tuple(runtime.workdays),
                           priority={k: dict(v) if isinstance(v, Mapping) else v for k, v in runtime.priority.items()},
                           fill=fill)


def horizon(session: Session, start: dt.date, days: int, runtime: Runtime) -> list[dt.date]:
    """The working dates of a horizon: this deployment's working week on Kazakhstan's calendar."""
    return calendar.horizon(session, start, days, runtime.workdays)


def facility_calendar(session: Session, dates: list[dt.date], runtime: Runtime, **which) -> FacilityCalendar:
    """The calendar of a horizon's dates on this deployment's working week and type rules (`which`: region_id
    or facility_ids)."""
    return calendar.facility_calendar(session, dates[0], dates[-1], workdays=runtime.workdays,
                                      type_overrides=runtime.calendar_type_rules, **which)


def region_problem(session: Session, region: Region, start: dt.date, days: int,
                   national: bool = False, fill: float | None = None, replaces: Schedule | None = None,
                   replace_from: dt.date | None = None, today: dt.date | None = None,
                   intervals: dict[str, int] | None = None, *, runtime: Runtime) -> ProblemBuild:
    """Read one region's facilities and inspectors and convert them to a problem (writes nothing).

    An inspector who works in several regions is never booked twice on one date: dates on which a
    published schedule of another region already sends them out count as unavailable, and a national
    build (whose regions are solved at the same time) gives them to one region only, the one whose
    centre is nearest their home.
    """
    facilities = list(session.scalars(
        sa.select(Facility).where(Facility.region_id == region.id, Facility.archived_at.is_(None),
                                  Facility.merged_into_id.is_(None)).order_by(Facility.id)))
    inspectors = list(session.scalars(
        sa.select(Inspector).where(Inspector.regions.any(Region.id == region.id), Inspector.archived_at.is_(None))
        .order_by(Inspector.id)
        .options(so.selectinload(Inspector.absences), so.selectinload(Inspector.conflicts),
                 so.selectinload(Inspector.regions))))
    if national:
        inspectors = [i for i in inspectors if home_region(i).id == region.id]
    dates = horizon(session, start, days, runtime)
    booked = booked_elsewhere(session, region, [i.id for i in inspectors], dates)
    signals = facility_signals(session, region.id, facilities)
    planned = planned_facilities(session, region.id, today or today_almaty(), dates[-1],
                                 replaces, replace_from)
    return build_problem(facilities, inspectors, dates, problem_settings(runtime, fill, intervals), region.kato,
                         booked=booked, signals=signals, planned=planned,
                         calendar=facility_calendar(session, dates, runtime, region_id=region.id))


def home_region(inspector: Inspector) -> Region:
    """The one region of a multi-region inspector in a national build: the centre nearest their home."""
    def distance(region: Region) -> tuple[float, str]:
        if region.center_lat is None or region.center_lon is None:
            return (float("inf"), region.kato)
        return ((region.center_lat - inspector.home_lat) ** 2 + (region.center_lon - inspector.home_lon) ** 2,
                region.kato)

    return min(inspector.regions, key=distance)


def booked_elsewhere(session: Session, region: Region, inspector_ids: list[int],
                     dates: list[dt.date]) -> dict[int, set[dt.date]]:
    """Dates on which published schedules of other regions already send these inspectors out."""
    if not inspector_ids or not dates:
        return {}
    rows = session.execute(
        sa.select(ScheduleVisit.inspector_id, ScheduleVisit.date).distinct()
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(live_visit_clause(), Schedule.region_id != region.id,
               ScheduleVisit.inspector_id.in_(inspector_ids), ScheduleVisit.date.in_(dates)))
    booked: dict[int, set[dt.date]] = {}
    for inspector_id_, day in rows:
        booked.setdefault(inspector_id_, set()).add(day)
    return booked


def derive_seed(national_seed: int, kato: str) -> int:
    """A region's seed in a national build: sha256 of "seed:KATO", so any worker derives the same one."""
    digest = hashlib.sha256(f"{national_seed}:{kato}".encode()).hexdigest()
    return int(digest[:15], 16) % MAX_SEED

"""Inspector-days needed against inspector-days available, for a region (by district) or the country (by region).

Definitions (one year, Kazakhstan's calendar):

- Routine visits: per facility (active, not archived), the due dates its risk interval gives in the year: the
  first is `last_inspection_date + interval` (the year's first day if that is earlier or it was never inspected),
  then one every interval, up to 31 December.
- Follow-ups: routine visits x the region's follow-up rate (submitted audits with a critical violation over all
  its submitted audits). Urgent visits: the region's urgent requests of the last 365 days, spread over its
  districts by their routine visits.
- Each visit costs its service minutes (a follow-up or urgent visit its district's mean) plus the travel minutes
  per visit the engine produced in the region's published schedules (road km per stop at the travel speed), or in
  a sample solve of a week where none exist. Needed inspector-days = minutes / the region's
  mean `max_minutes_per_day`.
- Available inspector-days: per inspector, the year's working days less their declared absences on working days,
  times `fill` (the share of a day planned visits may fill; the rest stays free for what no plan foresees).
  An inspector counts in the district of the facility nearest their home.
- Gap = needed - available; in inspectors: gap / (the year's working days x fill).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import (
    Audit,
    AuditStatus,
    District,
    Facility,
    FacilityStatus,
    Inspector,
    Region,
    Schedule,
    UrgentRequest,
    User,
    Violation,
)
from inspect_app.models.schedule import COMMITTED_SCHEDULE_STATUSES
from inspect_app.services.access import in_region, require_registry_reader, sees_all_regions
from inspect_app.services.calendar import store as calendar
from inspect_app.services.errors import InvalidInput, NotFound
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules.problem import service_minutes
from scheduler.travel import great_circle_km

SAMPLE_DAYS = 5


@dataclass
class Assumptions:
    """What a plan may change (the what-ifs): intervals by risk, fill, inspectors added at a point."""

    intervals: dict[str, int]
    fill: float
    extra_inspectors: int = 0
    extra_at: tuple[float, float] | None = None


@dataclass
class AreaPlan:
    """One row of the plan: a district of a region (or a region of the country)."""

    kato: str
    name_ru: str
    name_kk: str
    facilities: int = 0
    routine_visits: int = 0
    followup_visits: float = 0.0
    urgent_visits: float = 0.0
    visit_minutes: float = 0.0
    needed_days: float = 0.0
    inspectors: int = 0
    working_days: int = 0
    absence_days: int = 0
    available_days: float = 0.0

    @property
    def gap_days(self) -> float:
        """Inspector-days short (negative: spare)."""
        return self.needed_days - self.available_days

    def name(self, locale: str = "ru") -> str:
        """Name in the UI language."""
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru


@dataclass
class CapacityPlan:
    """A year's plan: rows (districts or regions), the total, and the figures they rest on."""

    year: int
    scope_kato: str | None
    scope_name: str
    rows: list[AreaPlan]
    total: AreaPlan
    working_days: int
    fill: float
    travel_minutes: dict[str, float] = field(default_factory=dict)
    travel_source: dict[str, str] = field(default_factory=dict)
    followup_rate: dict[str, float] = field(default_factory=dict)
    urgent_per_year: dict[str, int] = field(default_factory=dict)

    @property
    def gap_inspectors(self) -> float:
        """The total gap in full-time inspectors."""
        return inspectors_for(self.total.gap_days, self.working_days, self.fill)


def inspectors_for(days: float, working_days: int, fill: float) -> float:
    """Inspector-days as full-time inspectors (working days x fill each)."""
    per_inspector = working_days * fill
    return round(days / per_inspector, 1) if per_inspector else 0.0


def routine_visits(last: dt.date | None, interval: int, first: dt.date, last_day: dt.date) -> int:
    """Due dates of one facility in [first, last_day]: from its next due date (the first day if already
    due), one every interval."""
    due = first if last is None else max(first, last + dt.timedelta(days=interval))
    if due > last_day:
        return 0
    return (last_day - due).days // interval + 1


def default_assumptions(runtime: Runtime) -> Assumptions:
    """This deployment's intervals and fill (CAPACITY_FILL)."""
    return Assumptions(intervals=dict(runtime.inspection_interval_days), fill=runtime.capacity_fill)


def _region(session: Session, user: User, kato: str | None) -> Region | None:
    require_registry_reader(user)
    if kato is None:
        if sees_all_regions(user):
            return None
        kato_region = session.get(Region, user.region_id)
        return kato_region
    region = session.scalar(sa.select(Region).where(Region.kato == kato))
    if region is None or not in_region(user, region.id):
        raise NotFound("Region not found.", "region")
    return region


def check_year(year: int) -> int:
    """A plan's year: 2000..2098."""
    if not 2000 <= year <= 2098:
        raise InvalidInput("Expected a year from 2000 to 2098.", "year")
    return year


def travel_minutes_per_visit(session: Session, region: Region, year: int, runtime: Runtime) -> tuple[float, str]:
    """Travel minutes per visit the engine produced in the region's published schedules (the latest ten), or
    in a sample solve when there are none; and which ("published" / "sample" / "none")."""
    speed = runtime.travel_speed_kmh
    rows = session.scalars(sa.select(Schedule).where(Schedule.region_id == region.id,
                                                     Schedule.status.in_(COMMITTED_SCHEDULE_STATUSES))
                           .order_by(Schedule.id.desc()).limit(10))
    km, stops = 0.0, 0
    for row in rows:
        for route in (row.schedule or {}).get("routes", []):
            km += float(route.get("travel_km", 0))
            stops += len(route.get("stops", []))
    if stops:
        return round(km / stops / speed * 60, 1), "published"
    return _sample_travel(session, region, year, runtime)


_SAMPLES: dict[tuple, tuple[float, str]] = {}
_SAMPLES_KEPT = 64  # a sample per region and registry state; the oldest goes first


def _sample_travel(session: Session, region: Region, year: int, runtime: Runtime) -> tuple[float, str]:
    from inspect_app.services.schedules import engine
    from inspect_app.services.schedules.inputs import region_problem

    start = max(dt.date(year, 1, 1), today_almaty())
    # The sample is as good as the registry it solved: any edit of a facility or inspector of the region (a count,
    # a move, new hours) changes the key, so a later plan never reads travel solved for an older registry.
    facilities = session.execute(sa.select(sa.func.count(), sa.func.max(Facility.updated_at))
                                 .where(Facility.region_id == region.id)).one()
    inspectors = session.execute(sa.select(sa.func.count(), sa.func.max(Inspector.updated_at))).one()
    key = (region.id, start, tuple(facilities), tuple(inspectors))
    if key not in _SAMPLES:
        if len(_SAMPLES) >= _SAMPLES_KEPT:
            _SAMPLES.pop(next(iter(_SAMPLES)))
        build = region_problem(session, region, start, SAMPLE_DAYS, today=start, runtime=runtime)
        if not build.problem["facilities"] or not build.problem["inspectors"]:
            return 0.0, "none"
        result = engine.solve(build.problem, 1, runtime.capacity_sample_time_limit, True)
        stops = sum(len(r["stops"]) for r in result["routes"])
        km = sum(float(r["travel_km"]) for r in result["routes"])
        _SAMPLES[key] = (round(km / stops / runtime.travel_speed_kmh * 60, 1), "sample") if stops else (0.0, "none")
    return _SAMPLES[key]


def _followup_rate(session: Session, region_id: int) -> float:
    audits = sa.select(Audit.id).join(Facility, Facility.id == Audit.facility_id).where(
        Facility.region_id == region_id, Audit.status == AuditStatus.SUBMITTED)
    total = session.scalar(sa.select(sa.func.count()).select_from(audits.subquery()))
    if not total:
        return 0.0
    critical = session.scalar(sa.select(sa.func.count(sa.distinct(Violation.audit_id)))
                              .where(Violation.audit_id.in_(audits), Violation.severity == "critical"))
    return critical / total


def _urgent_per_year(session: Session, region_id: int) -> int:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    return session.scalar(sa.select(sa.func.count()).select_from(UrgentRequest).where(
        UrgentRequest.region_id == region_id, UrgentRequest.created_at >= since)) or 0


def region_plan(session: Session, region: Region, year: int, assumptions: Assumptions,
                runtime: Runtime) -> CapacityPlan:
    """One region's plan by district (rows sorted by gap, largest first)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    year_days = calendar.working_calendar(session, first, last, runtime.workdays).between(first, last)
    facilities = list(session.scalars(sa.select(Facility).where(
        Facility.region_id == region.id, Facility.archived_at.is_(None), Facility.merged_into_id.is_(None),
        Facility.status != FacilityStatus.CLOSED)))
    inspectors = list(session.scalars(sa.select(Inspector).where(
        Inspector.regions.any(Region.id == region.id), Inspector.archived_at.is_(None))
        .options(so.selectinload(Inspector.absences))))
    districts = {d.id: d for d in session.scalars(sa.select(District).where(District.region_id == region.id))}
    rows: dict[int | None, AreaPlan] = {}

    def row(district_id: int | None) -> AreaPlan:
        if district_id not in rows:
            d = districts.get(district_id)
            rows[district_id] = (AreaPlan(d.kato, d.name_ru, d.name_kk) if d
                                 else AreaPlan("", "без района", "ауданы жоқ"))
        return rows[district_id]

    travel, source = travel_minutes_per_visit(session, region, year, runtime)
    service_sum = _add_routine_visits(row, facilities, assumptions, first, last)
    rate = _followup_rate(session, region.id)
    urgent = _urgent_per_year(session, region.id)
    all_routine = sum(r.routine_visits for r in rows.values())
    day_minutes = (sum(i.max_minutes_per_day for i in inspectors) / len(inspectors)) if inspectors else 480
    for key, r in rows.items():
        _add_needed_days(r, service_sum[key], travel, rate, urgent * r.routine_visits / all_routine
                         if all_routine else 0.0, day_minutes)
    _add_available_days(row, facilities, inspectors, assumptions, year_days)
    ordered = sorted(rows.values(), key=lambda r: (-r.gap_days, r.kato))
    total = AreaPlan(region.kato, region.name_ru, region.name_kk)
    _add_up(total, ordered)
    total.visit_minutes = round(travel + (sum(service_sum.values()) / all_routine if all_routine else 0.0), 1)
    return CapacityPlan(year, region.kato, region.name_ru, ordered, total, len(year_days), assumptions.fill,
                        {region.kato: travel}, {region.kato: source}, {region.kato: round(rate, 3)},
                        {region.kato: urgent})


def _add_routine_visits(row, facilities: list[Facility], assumptions: Assumptions, first: dt.date,
                        last: dt.date) -> dict[int | None, float]:
    """Count each district's facilities and routine visits due in [first, last]; returns the service minutes
    those visits take, by district."""
    service_sum: dict[int | None, float] = defaultdict(float)
    for f in facilities:
        r = row(f.district_id)
        r.facilities += 1
        n = routine_visits(f.last_inspection_date, assumptions.intervals[f.risk], first, last)
        r.routine_visits += n
        service_sum[f.district_id] += n * service_minutes(f.type, f.children_count)
    return service_sum


def _add_needed_days(r: AreaPlan, service: float, travel: float, followup_rate: float, urgent: float,
                     day_minutes: float) -> None:
    """A district's follow-up and urgent visits on top of its routine ones, and the inspector-days they need."""
    mean_service = service / r.routine_visits if r.routine_visits else 0.0
    r.followup_visits = r.routine_visits * followup_rate
    r.urgent_visits = urgent
    r.visit_minutes = round(mean_service + travel, 1)
    minutes = service + r.routine_visits * travel + (r.followup_visits + r.urgent_visits) * (mean_service + travel)
    r.needed_days = minutes / day_minutes


def _add_available_days(row, facilities: list[Facility], inspectors: list[Inspector], assumptions: Assumptions,
                        year_days: list[dt.date]) -> None:
    """Each inspector (and a what-if's extra ones) counts in the district of the facility nearest their home:
    the year's working days, less absences, times the fill."""
    working = set(year_days)
    homes = [((i.home_lat, i.home_lon), i) for i in inspectors]
    if assumptions.extra_inspectors:
        homes += [(assumptions.extra_at, None)] * assumptions.extra_inspectors
    for (lat, lon), ins in homes:
        nearest = min(facilities, key=lambda f: (great_circle_km(lat, lon, f.lat, f.lon), f.id), default=None)
        r = row(nearest.district_id if nearest else None)
        absent = 0 if ins is None else len({a.start_date + dt.timedelta(days=k) for a in ins.absences
                                            for k in range((a.end_date - a.start_date).days + 1)} & working)
        r.inspectors += 1
        r.working_days += len(year_days)
        r.absence_days += absent
        r.available_days += (len(year_days) - absent) * assumptions.fill


def _add_up(total: AreaPlan, rows: list[AreaPlan]) -> None:
    for name in ("facilities", "routine_visits", "followup_visits", "urgent_visits", "needed_days", "inspectors",
                 "working_days", "absence_days", "available_days"):
        setattr(total, name, sum(getattr(r, name) for r in rows))


def capacity_plan(session: Session, user: User, year: int, kato: str | None = None,
                  assumptions: Assumptions | None = None, *, runtime: Runtime) -> CapacityPlan:
    """The plan the user may see: a region by district, or (admins and the ministry, no region) the country by
    region."""
    check_year(year)
    assumptions = assumptions or default_assumptions(runtime)
    region = _region(session, user, kato)
    if region is not None:
        return region_plan(session, region, year, assumptions, runtime)
    rows, plans = [], []
    for r in session.scalars(sa.select(Region).order_by(Region.kato)):
        if not session.scalar(sa.select(sa.func.count()).select_from(Facility).where(Facility.region_id == r.id)):
            continue
        plan = region_plan(session, r, year, assumptions, runtime)
        plans.append(plan)
        rows.append(plan.total)
    total = AreaPlan("", "Казахстан", "Қазақстан")
    _add_up(total, rows)
    working = len(calendar.working_calendar(session, dt.date(year, 1, 1), dt.date(year, 12, 31), runtime.workdays)
                  .between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    out = CapacityPlan(year, None, "Казахстан", sorted(rows, key=lambda r: (-r.gap_days, r.kato)), total,
                       working, assumptions.fill)
    for p in plans:
        out.travel_minutes.update(p.travel_minutes)
        out.travel_source.update(p.travel_source)
        out.followup_rate.update(p.followup_rate)
        out.urgent_per_year.update(p.urgent_per_year)
    return out


def plan_rows(plan: CapacityPlan) -> list[dict[str, Any]]:
    """The plan's rows and total as plain dicts (API, CSV, XLSX, chart), figures rounded to 0.1."""
    out = []
    for r in [*plan.rows, plan.total]:
        out.append({"kato": r.kato, "name_ru": r.name_ru, "name_kk": r.name_kk, "total": r is plan.total,
                    "facilities": r.facilities, "routine_visits": r.routine_visits,
                    "followup_visits": round(r.followup_visits, 1), "urgent_visits": round(r.urgent_visits, 1),
                    "visit_minutes": r.visit_minutes, "needed_days": round(r.needed_days, 1),
                    "inspectors": r.inspectors, "absence_days": r.absence_days,
                    "available_days": round(r.available_days, 1), "gap_days": round(r.gap_days, 1),
                    "gap_inspectors": inspectors_for(r.gap_days, plan.working_days, plan.fill)})
    return out



def plan_dict(plan: CapacityPlan) -> dict[str, Any]:
    """The plan as the API and the page read it."""
    return {"year": plan.year, "region": plan.scope_kato, "working_days": plan.working_days, "fill": plan.fill,
            "gap_inspectors": plan.gap_inspectors, "rows": plan_rows(plan), "travel_minutes": plan.travel_minutes,
            "travel_source": plan.travel_source, "followup_rate": plan.followup_rate,
            "urgent_per_year": plan.urgent_per_year}

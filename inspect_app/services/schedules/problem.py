"""Registry rows -> the engine's problem JSON: who is due, when each place is open, who may go there.

This module only converts; it reads no database and writes nothing, so the same rows always give the
same problem (the problem's sha256 is part of what a schedule commits to). The rules, also in README's
"Surprise schedules" section:

- Horizon: `days` working days from `start` on Kazakhstan's calendar (`services/calendar/rules.py`: the
  weekdays of `SCHEDULE_WORKDAYS` less public holidays and transferred days off, plus transferred working
  Saturdays), dates in Asia/Almaty.
- Excluded: archived or merged facilities, status "closed", camps whose season misses the horizon, and
  facilities closed on every horizon date (their own closures, the school breaks of their type, hours, no
  meals for a check that needs them). They are listed with the reason (and, when due, what made them due:
  the review page lists those as unscheduled), never scheduled.
- Must visit: never inspected; or `last_inspection_date + INSPECTION_INTERVAL_DAYS[risk]` on or before the
  last horizon date; or `followup_due_date` on or before the last horizon date (a follow-up alone allows
  only dates from the follow-up date on: a re-check before the deadline to fix proves nothing).
- Also must visit: a facility with an open complaint (an urgent visit request not yet followed by an
  inspection) or whose planned visit did not happen (closed, refused entry, not found, inspector ill).
- Priority (the problem's facility `priority`, how much a due visit matters now; `SCHEDULE_PRIORITY`):
  risk base (high 3, medium 2, low 1) + 1 per 30 days overdue at the horizon's start (never inspected
  counts as one full interval overdue), at most +6, + 3 for a follow-up after a critical violation, + 5
  for an open complaint, + 2 per published horizon the facility already waited in (due but left
  unscheduled since its last inspection), + 2 after a visit that did not happen, + 3 when a follow-up audit
  found an item of its prescription not fixed (an item whose newest state is "not fixed"). Optional visits keep
  the default priority 1.
- Everything else is optional with weight `SCHEDULE_OPTIONAL_WEIGHTS[risk]` (3/2/1), so that no facility
  is ever safe from an extra unannounced visit.
- Dates: horizon dates on which the facility is open (its `opening_hours` has the weekday; a transferred
  working Saturday counts as the weekday of the day off it pays for), not closed by the calendar (its own
  closures, the school breaks and summer of its type), for a type whose inspection checks nutrition only
  dates it serves meals, and, for camps with `season_start`/`season_end` ("MM-DD", a season may run over
  New Year), inside the season. Empty
  `opening_hours` means the hours are unknown: 09:00-17:00 on every working day is assumed.
- Windows: the engine takes one list of windows for all of a facility's dates. When the hours differ by
  weekday we use the part common to all open dates (a visit then fits the hours of whichever date it
  lands on); if that common part cannot hold the visit, we keep the weekdays sharing the most frequent
  hours and their windows.
- Skills: every facility needs "safety"; kindergartens, boarding schools and summer camps also need
  "nutrition" and "health" (children eat and sleep there: a canteen and a medical office); schools also
  need "nutrition" (a canteen).
- Service minutes: by type (school 120, kindergarten 90, boarding school 150, summer camp 120, college 90,
  others 60) plus 15 minutes per started 500 children beyond the first 500, at most +60.
- Inspectors: not archived and working in the region; absences -> `unavailable_dates`; declared
  conflicts of interest -> the facility's `excluded_inspectors`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspect_app.models import FacilityStatus
from inspect_app.services.calendar.rules import FacilityCalendar

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = [["09:00", "17:00"]]
SERVICE_BASE = {"school": 120, "kindergarten": 90, "boarding_school": 150, "summer_camp": 120, "college": 90}
SERVICE_OTHER = 60
SKILLS_BY_TYPE = {
    "kindergarten": ["safety", "nutrition", "health"],
    "boarding_school": ["safety", "nutrition", "health"],
    "summer_camp": ["safety", "nutrition", "health"],
    "school": ["safety", "nutrition"],
}
FACILITY_PREFIX = "F"
INSPECTOR_PREFIX = "I"


@dataclass(frozen=True)
class ProblemSettings:
    """The configurable rules of conversion (from the app config)."""

    intervals: dict[str, int]
    optional_weights: dict[str, float]
    travel: dict[str, float]
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    priority: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PRIORITY))
    fill: float | None = None


DEFAULT_PRIORITY: dict[str, Any] = {
    "risk": {"high": 3.0, "medium": 2.0, "low": 1.0}, "per_30_days_overdue": 1.0, "overdue_cap": 6.0,
    "followup": 3.0, "complaint": 5.0, "per_horizon_waited": 2.0, "not_done": 2.0, "not_fixed": 3.0,
}


@dataclass(frozen=True)
class Signals:
    """What the registry's history says about one facility beyond its own row (read by the service).

    `waited`: published horizons since its last inspection in which it was due and left unscheduled;
    `complaint`: an urgent visit request newer than its last inspection; `not_done`: the reason of the
    newest planned visit since its last inspection that did not happen (None when there is none);
    `not_fixed`: its prescription items a follow-up audit found not fixed (and not yet verified since).
    """

    waited: int = 0
    complaint: bool = False
    not_done: str | None = None
    not_fixed: int = 0


@dataclass
class ProblemBuild:
    """A problem dict plus what the app keeps beside it: why facilities are due or left out."""

    problem: dict[str, Any]
    due: dict[int, str] = field(default_factory=dict)
    excluded: list[dict[str, Any]] = field(default_factory=list)


def facility_id(db_id: int) -> str:
    """The problem's id of a facility row."""
    return f"{FACILITY_PREFIX}{db_id}"


def inspector_id(db_id: int) -> str:
    """The problem's id of an inspector row."""
    return f"{INSPECTOR_PREFIX}{db_id}"


def db_id(problem_id: str) -> int:
    """The database id behind a problem id ("F12" -> 12)."""
    return int(problem_id[1:])


def _mmdd(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    month, day = text.split("-")
    return int(month), int(day)


def in_season(day: dt.date, season_start: str | None, season_end: str | None) -> bool:
    """True when the date lies in the yearly season (no season: always); a season may wrap New Year."""
    a, b = _mmdd(season_start), _mmdd(season_end)
    if a is None or b is None:
        return True
    md = (day.month, day.day)
    return a <= md <= b if a <= b else (md >= a or md <= b)


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hours_of(opening_hours: dict[str, Any] | None, weekday: str) -> tuple[tuple[int, int], ...]:
    spans = (opening_hours or {}).get(weekday) or []
    return tuple(sorted((_minutes(a), _minutes(b)) for a, b in spans if _minutes(b) > _minutes(a)))


def _intersect(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            s, e = max(s1, s2), min(e1, e2)
            if e > s:
                out.append((s, e))
    return tuple(sorted(out))


def open_dates_and_windows(opening_hours: dict[str, Any] | None, dates: Iterable[dt.date],
                           service_minutes: int, weekday: Callable[[dt.date], str] | None = None,
                           ) -> tuple[list[dt.date], list[dict[str, str]]]:
    """Dates the facility is open and the windows valid on all of them (see the module docstring).

    `weekday` names the weekday whose hours apply on a date (a transferred working Saturday's day off).
    """
    hours = opening_hours if opening_hours else {d: DEFAULT_HOURS for d in WEEKDAYS}
    weekday = weekday or (lambda d: WEEKDAYS[d.weekday()])
    by_date = {d: _hours_of(hours, weekday(d)) for d in dates}
    by_date = {d: h for d, h in by_date.items() if h}
    if not by_date:
        return [], []
    common: tuple[tuple[int, int], ...] | None = None
    for h in by_date.values():
        common = h if common is None else _intersect(common, h)
    if common and any(e - s >= service_minutes for s, e in common):
        chosen, open_dates = common, sorted(by_date)
    else:
        # The most frequent hours win; ties go to the earliest date's hours, to stay deterministic.
        counts = Counter(by_date.values())
        first = {}
        for d in sorted(by_date):
            first.setdefault(by_date[d], d)
        chosen = max(counts, key=lambda h: (counts[h], -first[h].toordinal()))
        open_dates = sorted(d for d, h in by_date.items() if h == chosen)
    windows = [{"from": _hhmm(s), "to": _hhmm(e)} for s, e in chosen]
    return open_dates, windows


def required_skills(facility_type: str) -> list[str]:
    """The skills one inspector needs to inspect a facility of this type."""
    return list(SKILLS_BY_TYPE.get(facility_type, ["safety"]))


def service_minutes(facility_type: str, children: int | None) -> int:
    """Minutes an inspection takes on site, by type and number of children."""
    extra = 0
    if children and children > 500:
        extra = min(60, 15 * -(-(children - 500) // 500))
    return SERVICE_BASE.get(facility_type, SERVICE_OTHER) + extra


def due_reason(facility: Any, horizon: Sequence[dt.date], intervals: dict[str, int],
               signals: Signals | None = None) -> str | None:
    """Why the facility must be visited in this horizon, or None.

    One of "complaint", "not_done", "never_inspected", "interval", "followup" (the first that applies).
    """
    end = horizon[-1]
    reasons = []
    if signals is not None and signals.complaint:
        reasons.append("complaint")
    if signals is not None and signals.not_done:
        reasons.append("not_done")
    if facility.last_inspection_date is None:
        reasons.append("never_inspected")
    elif facility.last_inspection_date + dt.timedelta(days=intervals[facility.risk]) <= end:
        reasons.append("interval")
    if facility.followup_due_date is not None and facility.followup_due_date <= end:
        reasons.append("followup")
    return reasons[0] if reasons else None


def days_overdue(facility: Any, start: dt.date, intervals: dict[str, int]) -> int:
    """Days past its interval at the horizon's start; a never-inspected facility is one interval overdue."""
    interval = intervals[facility.risk]
    if facility.last_inspection_date is None:
        return interval
    return max(0, (start - facility.last_inspection_date).days - interval)


def priority(facility: Any, horizon: Sequence[dt.date], settings: ProblemSettings,
             signals: Signals | None = None) -> float:
    """How much a due visit matters now (see the module docstring); always >= 1."""
    w = settings.priority
    signals = signals or Signals()
    value = float(w["risk"].get(facility.risk, 1.0))
    value += min(float(w["overdue_cap"]),
                 float(w["per_30_days_overdue"]) * days_overdue(facility, horizon[0], settings.intervals) / 30)
    if facility.followup_due_date is not None and facility.followup_due_date <= horizon[-1]:
        value += float(w["followup"])
    if signals.complaint:
        value += float(w["complaint"])
    value += float(w["per_horizon_waited"]) * signals.waited
    if signals.not_done:
        value += float(w["not_done"])
    if signals.not_fixed:
        value += float(w.get("not_fixed", DEFAULT_PRIORITY["not_fixed"]))
    return round(max(1.0, value), 2)


def exclusion_reason(facility: Any) -> str | None:
    """Why a facility is never scheduled ("archived", "closed"), or None."""
    if facility.archived_at is not None or facility.merged_into_id is not None:
        return "archived"
    if facility.status == FacilityStatus.CLOSED:
        return "closed"
    return None


def build_problem(facilities: Iterable[Any], inspectors: Iterable[Any], horizon: Sequence[dt.date],
                  settings: ProblemSettings, region: str,
                  booked: dict[int, set[dt.date]] | None = None,
                  signals: dict[int, Signals] | None = None,
                  planned: set[int] | None = None,
                  calendar: FacilityCalendar | None = None) -> ProblemBuild:
    """Convert registry rows of one region to the engine's problem dict.

    `facilities` are Facility rows (or look-alikes); `inspectors` Inspector rows with `absences` and
    `conflicts` loaded. Rows come sorted by id so the output (and its sha256) is stable. `booked` maps an
    inspector's id to dates they are already sent out elsewhere, which become unavailable dates.
    `signals` carry each facility's history (complaints, waits, visits not done); facilities in `planned`
    already have a visit in a published schedule and are left out with the reason "planned". `calendar`
    (closures, school breaks, meals, transferred working days) narrows each facility's dates.
    """
    signals = signals or {}
    build = ProblemBuild(problem={})
    inspector_rows = sorted((i for i in inspectors if i.archived_at is None), key=lambda i: i.id)
    out_inspectors = [_problem_inspector(ins, horizon, (booked or {}).get(ins.id, set()), region)
                      for ins in inspector_rows]
    excluded_by_facility = _conflicts(inspector_rows)
    out_facilities = []
    for fac in sorted(facilities, key=lambda f: f.id):
        entry = _problem_facility(build, fac, horizon, settings, region, signals.get(fac.id), planned, calendar)
        if entry is None:
            continue
        excluded = sorted(excluded_by_facility.get(fac.id, []))
        if excluded:
            entry["excluded_inspectors"] = excluded
        out_facilities.append(entry)
    build.problem = {
        "dates": [d.isoformat() for d in horizon],
        "travel": {"speed_kmh": settings.travel["speed_kmh"], "road_factor": settings.travel["road_factor"]},
        "facilities": out_facilities,
        "inspectors": out_inspectors,
        "meta": {"region": region, "timezone": "Asia/Almaty", "workdays": list(settings.workdays)},
    }
    if settings.fill is not None:
        build.problem["fill"] = settings.fill
    return build


def _problem_inspector(ins: Any, horizon: Sequence[dt.date], taken: set[dt.date], region: str) -> dict[str, Any]:
    """One inspector as the engine reads them: home, skills, hours, and the dates they cannot work (absent,
    or already sent out elsewhere)."""
    unavailable = [d.isoformat() for d in horizon
                   if d in taken or any(a.start_date <= d <= a.end_date for a in ins.absences)]
    return {
        "id": inspector_id(ins.id), "name": ins.full_name, "region": region,
        "lat": ins.home_lat, "lon": ins.home_lon, "skills": sorted(ins.skills or []),
        "day_start": ins.day_start, "day_end": ins.day_end,
        "max_visits_per_day": ins.max_visits_per_day, "max_minutes_per_day": ins.max_minutes_per_day,
        "unavailable_dates": unavailable,
    }


def _conflicts(inspector_rows: list[Any]) -> dict[int, list[str]]:
    """Facility id -> the problem ids of this build's inspectors with a conflict of interest there."""
    excluded_by_facility: dict[int, list[str]] = {}
    for ins in inspector_rows:
        for conflict in ins.conflicts:
            excluded_by_facility.setdefault(conflict.facility_id, []).append(inspector_id(ins.id))
    return excluded_by_facility


def _problem_facility(build: ProblemBuild, fac: Any, horizon: Sequence[dt.date], settings: ProblemSettings,
                      region: str, signal: Signals | None, planned: set[int] | None,
                      calendar: FacilityCalendar | None) -> dict[str, Any] | None:
    """One facility as the engine reads it, or None when it is left out (then `build.excluded` says why).

    Records the facility's due reason in `build.due` when it is a must-visit.
    """
    reason = exclusion_reason(fac)
    if reason == "archived":
        return None
    if reason:
        build.excluded.append({"facility_id": fac.id, "reason": reason})
        return None
    if planned and fac.id in planned:
        build.excluded.append({"facility_id": fac.id, "reason": "planned"})
        return None
    due = due_reason(fac, horizon, settings.intervals, signal)
    left_out = {"facility_id": fac.id, **({"due": due} if due else {})}
    minutes = service_minutes(fac.type, fac.children_count)
    open_dates, windows, why = _facility_dates(fac, horizon, due, minutes, calendar)
    if why:
        build.excluded.append({**left_out, "reason": why})
        return None
    entry: dict[str, Any] = {
        "id": facility_id(fac.id), "name": fac.name_ru, "kind": fac.type, "region": region,
        "lat": fac.lat, "lon": fac.lon, "service_minutes": minutes,
        "skills": required_skills(fac.type), "windows": windows,
        "must_visit": due is not None,
        "weight": 1.0 if due else float(settings.optional_weights.get(fac.risk, 1.0)),
    }
    if due:
        entry["priority"] = priority(fac, horizon, settings, signal)
    if len(open_dates) < len(horizon):
        entry["dates"] = [d.isoformat() for d in open_dates]
    if due:
        build.due[fac.id] = due
    return entry


def _facility_dates(fac: Any, horizon: Sequence[dt.date], due: str | None, minutes: int,
                    calendar: FacilityCalendar | None) -> tuple[list[dt.date], Any, str | None]:
    """(open dates, opening windows, None) of a facility on the horizon, or ([], None, why none is left):
    its season, a follow-up's earliest date, the calendar (closures, breaks, meals), its opening hours."""
    season = [d for d in horizon if in_season(d, fac.season_start, fac.season_end)]
    if not season:
        return [], None, "out_of_season"
    candidates = season
    if due == "followup":
        candidates = [d for d in season if d >= fac.followup_due_date] or season[-1:]
    if calendar is not None:
        candidates, why = calendar.visit_dates(fac.id, fac.type, candidates, "nutrition" in required_skills(fac.type))
        if not candidates:
            return [], None, why
    open_dates, windows = open_dates_and_windows(fac.opening_hours, candidates, minutes,
                                                 calendar.work.weekday if calendar is not None else None)
    if not open_dates:
        return [], None, "closed_on_horizon_dates"
    return open_dates, windows, None

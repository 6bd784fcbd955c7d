"""Independent schedule checker.

It reuses only problem parsing and the travel rule (scheduler.travel); every other
quantity is re-derived here from the schedule as written, so a solver bug cannot hide
behind shared code. Each broken rule is a :class:`Violation` naming the rule and the
facility, inspector and date it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .problem import Problem, ProblemError, parse_hhmm
from .schedule import Schedule
from .travel import great_circle_km, minutes_from_km

KM_TOLERANCE = 0.051  # route km are written rounded to 0.1


@dataclass(frozen=True)
class Violation:
    """One broken rule: its name (e.g. "opening_hours"), a sentence, and what it concerns."""

    rule: str
    message: str
    facility: str | None = None
    inspector: str | None = None
    date: str | None = None

    def __str__(self) -> str:
        return self.message


class _Checker:
    def __init__(self, problem: Problem):
        self.p = problem
        self.broken: list[Violation] = []
        tr = problem.travel
        self.facs = {f.id: f for f in problem.facilities}
        self.inss = {i.id: i for i in problem.inspectors}
        self._tr = tr

    def add(self, rule: str, message: str, facility=None, inspector=None, date=None) -> None:
        self.broken.append(Violation(rule, message, facility, inspector,
                                     date if isinstance(date, str) else None))

    def leg(self, a, b) -> tuple[int, float]:
        """(travel minutes, road km) between two located objects."""
        km = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        return minutes_from_km(km, self._tr.speed_kmh, self._tr.road_factor), km * self._tr.road_factor

    def minutes(self, value: Any, where: str, **ids) -> int | None:
        try:
            return parse_hhmm(value, where)
        except ProblemError as exc:
            self.add("time_format", str(exc), **ids)
            return None


def _route(c: _Checker, k: int, r: dict, visited: dict[str, str], days_seen: set) -> float:
    """Check one route; returns its written km when they are right (0 otherwise)."""
    ins = c.inss.get(r.get("inspector"))
    date = r.get("date")
    where = f"routes[{k}] ({r.get('inspector')} {date})"
    if ins is None:
        c.add("unknown_id", f"{where}: unknown inspector {r.get('inspector')!r}", date=date)
        return 0.0
    day = {"inspector": ins.id, "date": date}
    hours = _route_day(c, ins, r, where, day, days_seen)
    if hours is None:
        return 0.0
    depart, ret = hours
    prev, t, km = ins, depart, 0.0
    for j, s in enumerate(r["stops"]):
        fac = c.facs.get(s.get("facility"))
        sw = f"{where}.stops[{j}] ({s.get('facility')})"
        ids = dict(day, facility=s.get("facility"))
        if fac is None:
            c.add("unknown_id", f"{sw}: unknown facility", **ids)
            return 0.0
        if fac.id in visited:
            c.add("visited_twice", f"{sw}: facility already visited in {visited[fac.id]}", **ids)
        visited[fac.id] = where
        _stop_assignment(c, ins, fac, date, sw, ids)
        start = c.minutes(s.get("start"), f"{sw}.start", **ids)
        end = c.minutes(s.get("end"), f"{sw}.end", **ids)
        if start is None or end is None:
            return 0.0
        minutes, leg_km = c.leg(prev, fac)
        km += leg_km
        if start < t + minutes:
            c.add("travel_time", f"{sw}: starts {s['start']} but cannot arrive before "
                                 f"{(t + minutes) // 60:02d}:{(t + minutes) % 60:02d}", **ids)
        if end != start + fac.service_minutes:
            c.add("service_minutes", f"{sw}: end must be start + {fac.service_minutes} service minutes", **ids)
        if not any(w.start <= start and end <= w.end for w in fac.windows):
            c.add("opening_hours", f"{sw}: visit {s['start']}-{s['end']} is not inside one opening window", **ids)
        prev, t = fac, max(t, end)
    minutes, leg_km = c.leg(prev, ins)
    km += leg_km
    if ret < t + minutes:
        c.add("travel_time", f"{where}: returns {r['return']} but cannot be home before "
                             f"{(t + minutes) // 60:02d}:{(t + minutes) % 60:02d}", **day)
    written = r.get("travel_km")
    if not isinstance(written, (int, float)) or abs(written - km) > KM_TOLERANCE:
        c.add("travel_km", f"{where}: travel_km {written} but the route is {km:.1f} road km", **day)
        return 0.0
    return float(written)


def _route_day(c: _Checker, ins, r: dict, where: str, day: dict, days_seen: set) -> tuple[int, int] | None:
    """The inspector-day of a route: in the horizon, available, one route, its stops and working hours.

    Returns (depart, return) in minutes, or None when the stops cannot be checked (none, or unreadable times).
    """
    date = day["date"]
    if date not in c.p.dates:
        c.add("horizon", f"{where}: date {date!r} is not in the horizon", **day)
    if date in ins.unavailable_dates:
        c.add("inspector_unavailable", f"{where}: inspector {ins.id} is unavailable on {date}", **day)
    if (ins.id, date) in days_seen:
        c.add("one_route_per_day", f"{where}: inspector {ins.id} has two routes on {date}", **day)
    days_seen.add((ins.id, date))
    stops = r.get("stops", [])
    if not stops:
        c.add("empty_route", f"{where}: route without stops", **day)
        return None
    if len(stops) > ins.max_visits_per_day:
        c.add("max_visits_per_day", f"{where}: {len(stops)} visits exceed max_visits_per_day "
                                    f"{ins.max_visits_per_day}", **day)
    depart = c.minutes(r.get("depart"), f"{where}.depart", **day)
    ret = c.minutes(r.get("return"), f"{where}.return", **day)
    if depart is None or ret is None:
        return None
    if depart < ins.day_start:
        c.add("working_hours", f"{where}: departs {r['depart']} before day_start", **day)
    if ret > ins.day_end:
        c.add("working_hours", f"{where}: returns {r['return']} after day_end", **day)
    if ret - depart > ins.max_minutes_per_day:
        c.add("max_minutes_per_day", f"{where}: {ret - depart} minutes away exceed max_minutes_per_day "
                                     f"{ins.max_minutes_per_day}", **day)
    return depart, ret


def _stop_assignment(c: _Checker, ins, fac, date: str, sw: str, ids: dict) -> None:
    """Whether this inspector may visit this facility on this date: skills, conflicts, region, the facility's dates."""
    missing = [x for x in fac.skills if x not in ins.skills]
    if missing:
        c.add("skills", f"{sw}: inspector {ins.id} lacks skills {', '.join(missing)}", **ids)
    if ins.id in fac.excluded_inspectors:
        c.add("conflict_of_interest", f"{sw}: inspector {ins.id} is excluded (conflict of interest)", **ids)
    if fac.region is not None and ins.region is not None and fac.region != ins.region:
        c.add("region", f"{sw}: facility region {fac.region} differs from inspector region {ins.region}",
              **ids)
    if date not in fac.dates:
        c.add("facility_dates", f"{sw}: facility may not be visited on {date}", **ids)


def _unscheduled(c: _Checker, data: dict, visited: dict[str, str]) -> set[str]:
    listed: set[str] = set()
    for k, u in enumerate(data.get("unscheduled", [])):
        fid = u.get("facility")
        if fid not in c.facs:
            c.add("unknown_id", f"unscheduled[{k}]: unknown facility {fid!r}")
            continue
        if not str(u.get("reason", "")).strip():
            c.add("unscheduled", f"unscheduled[{k}] ({fid}): reason is empty", facility=fid)
        if fid in visited:
            c.add("unscheduled", f"unscheduled[{k}] ({fid}): facility is also routed in {visited[fid]}",
                  facility=fid)
        if fid in listed:
            c.add("unscheduled", f"unscheduled[{k}] ({fid}): listed twice", facility=fid)
        listed.add(fid)
    for f in c.p.facilities:
        if f.must_visit and f.id not in visited and f.id not in listed:
            c.add("must_visit", f"facility {f.id}: must-visit but neither routed nor listed as unscheduled",
                  facility=f.id)
    return listed


def _stats(c: _Checker, data: dict, visited: dict[str, str], total_km: float) -> None:
    stats = data.get("stats")
    if not isinstance(stats, dict):
        return
    must_total = sum(1 for f in c.p.facilities if f.must_visit)
    must_done = sum(1 for fid in visited if c.facs[fid].must_visit)
    expect = {"must_visit": must_total, "must_visit_scheduled": must_done,
              "optional_scheduled": len(visited) - must_done}
    for key, value in expect.items():
        if key in stats and stats[key] != value:
            c.add("stats", f"stats.{key}: {stats[key]} but the schedule has {value}")
    if "travel_km" in stats and (not isinstance(stats["travel_km"], (int, float))
                                 or abs(stats["travel_km"] - total_km) > 0.05 + 1e-6 * total_km):
        c.add("stats", f"stats.travel_km: {stats['travel_km']} but the routes sum to {total_km:.1f}")


def validate(problem: Problem, schedule: Schedule | dict, priorities: bool = True) -> list[Violation]:
    """Every broken rule; an empty list means the schedule is valid.

    With `priorities` (the default) it also checks the priority rule (`validate_priority.py`).
    """
    from .validate_priority import check_priorities

    data = schedule.to_dict() if isinstance(schedule, Schedule) else schedule
    c = _Checker(problem)
    if data.get("problem_sha256") != problem.sha256:
        c.add("problem", f"problem_sha256: {data.get('problem_sha256')!r} does not match the problem "
                         f"({problem.sha256})")
    visited: dict[str, str] = {}
    days_seen: set[tuple[str, str]] = set()
    total_km = sum(_route(c, k, r, visited, days_seen) for k, r in enumerate(data.get("routes", [])))
    _unscheduled(c, data, visited)
    _stats(c, data, visited, total_km)
    if priorities and not c.broken:
        check_priorities(c, data)
    return c.broken

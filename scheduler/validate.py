"""Independent schedule checker.

It reuses only problem parsing and the travel rule (scheduler.travel); every other
quantity is re-derived here from the schedule as written, so a solver bug cannot hide
behind shared code.
"""

from __future__ import annotations

from typing import Any

from .problem import Problem, ProblemError, parse_hhmm
from .schedule import Schedule
from .travel import great_circle_km, minutes_from_km

KM_TOLERANCE = 0.051  # route km are written rounded to 0.1


def _minutes(value: Any, where: str, broken: list[str]) -> int | None:
    try:
        return parse_hhmm(value, where)
    except ProblemError as exc:
        broken.append(str(exc))
        return None


def validate(problem: Problem, schedule: Schedule | dict) -> list[str]:
    """Every broken rule as one line of text; an empty list means the schedule is valid."""
    data = schedule.to_dict() if isinstance(schedule, Schedule) else schedule
    broken: list[str] = []
    tr = problem.travel
    facs = {f.id: f for f in problem.facilities}
    inss = {i.id: i for i in problem.inspectors}
    horizon = set(problem.dates)

    def leg(a, b) -> tuple[int, float]:
        """(travel minutes, road km) between two located objects."""
        km = great_circle_km(a.lat, a.lon, b.lat, b.lon)
        return minutes_from_km(km, tr.speed_kmh, tr.road_factor), km * tr.road_factor

    if data.get("problem_sha256") != problem.sha256:
        broken.append(f"problem_sha256: {data.get('problem_sha256')!r} does not match the problem ({problem.sha256})")
    visited: dict[str, str] = {}
    days_seen: set[tuple[str, str]] = set()
    total_km = 0.0
    for k, r in enumerate(data.get("routes", [])):
        ins = inss.get(r.get("inspector"))
        where = f"routes[{k}] ({r.get('inspector')} {r.get('date')})"
        if ins is None:
            broken.append(f"{where}: unknown inspector {r.get('inspector')!r}")
            continue
        date = r.get("date")
        if date not in horizon:
            broken.append(f"{where}: date {date!r} is not in the horizon")
        if date in ins.unavailable_dates:
            broken.append(f"{where}: inspector {ins.id} is unavailable on {date}")
        if (ins.id, date) in days_seen:
            broken.append(f"{where}: inspector {ins.id} has two routes on {date}")
        days_seen.add((ins.id, date))
        stops = r.get("stops", [])
        if not stops:
            broken.append(f"{where}: route without stops")
            continue
        if len(stops) > ins.max_visits_per_day:
            broken.append(f"{where}: {len(stops)} visits exceed max_visits_per_day {ins.max_visits_per_day}")
        depart = _minutes(r.get("depart"), f"{where}.depart", broken)
        ret = _minutes(r.get("return"), f"{where}.return", broken)
        if depart is None or ret is None:
            continue
        if depart < ins.day_start:
            broken.append(f"{where}: departs {r['depart']} before day_start")
        if ret > ins.day_end:
            broken.append(f"{where}: returns {r['return']} after day_end")
        if ret - depart > ins.max_minutes_per_day:
            broken.append(f"{where}: {ret - depart} minutes away exceed max_minutes_per_day {ins.max_minutes_per_day}")
        prev, t, km = ins, depart, 0.0
        for j, s in enumerate(stops):
            fac = facs.get(s.get("facility"))
            sw = f"{where}.stops[{j}] ({s.get('facility')})"
            if fac is None:
                broken.append(f"{sw}: unknown facility")
                prev = None
                break
            if fac.id in visited:
                broken.append(f"{sw}: facility already visited in {visited[fac.id]}")
            visited[fac.id] = where
            missing = [x for x in fac.skills if x not in ins.skills]
            if missing:
                broken.append(f"{sw}: inspector {ins.id} lacks skills {', '.join(missing)}")
            if ins.id in fac.excluded_inspectors:
                broken.append(f"{sw}: inspector {ins.id} is excluded (conflict of interest)")
            if fac.region is not None and ins.region is not None and fac.region != ins.region:
                broken.append(f"{sw}: facility region {fac.region} differs from inspector region {ins.region}")
            if date not in fac.dates:
                broken.append(f"{sw}: facility may not be visited on {date}")
            start = _minutes(s.get("start"), f"{sw}.start", broken)
            end = _minutes(s.get("end"), f"{sw}.end", broken)
            if start is None or end is None:
                prev = None
                break
            minutes, leg_km = leg(prev, fac)
            km += leg_km
            if start < t + minutes:
                broken.append(f"{sw}: starts {s['start']} but cannot arrive before "
                              f"{(t + minutes) // 60:02d}:{(t + minutes) % 60:02d}")
            if end != start + fac.service_minutes:
                broken.append(f"{sw}: end must be start + {fac.service_minutes} service minutes")
            if not any(w.start <= start and end <= w.end for w in fac.windows):
                broken.append(f"{sw}: visit {s['start']}-{s['end']} is not inside one opening window")
            prev, t = fac, max(t, end)
        if prev is None:
            continue
        minutes, leg_km = leg(prev, ins)
        km += leg_km
        if ret < t + minutes:
            broken.append(f"{where}: returns {r['return']} but cannot be home before "
                          f"{(t + minutes) // 60:02d}:{(t + minutes) % 60:02d}")
        written = r.get("travel_km")
        if not isinstance(written, (int, float)) or abs(written - km) > KM_TOLERANCE:
            broken.append(f"{where}: travel_km {written} but the route is {km:.1f} road km")
        else:
            total_km += written
    unscheduled: set[str] = set()
    for k, u in enumerate(data.get("unscheduled", [])):
        fid = u.get("facility")
        if fid not in facs:
            broken.append(f"unscheduled[{k}]: unknown facility {fid!r}")
            continue
        if not str(u.get("reason", "")).strip():
            broken.append(f"unscheduled[{k}] ({fid}): reason is empty")
        if fid in visited:
            broken.append(f"unscheduled[{k}] ({fid}): facility is also routed in {visited[fid]}")
        if fid in unscheduled:
            broken.append(f"unscheduled[{k}] ({fid}): listed twice")
        unscheduled.add(fid)
    for f in problem.facilities:
        if f.must_visit and f.id not in visited and f.id not in unscheduled:
            broken.append(f"facility {f.id}: must-visit but neither routed nor listed as unscheduled")
    stats = data.get("stats")
    if isinstance(stats, dict):
        must_total = sum(1 for f in problem.facilities if f.must_visit)
        must_done = sum(1 for fid in visited if facs[fid].must_visit)
        expect = {"must_visit": must_total, "must_visit_scheduled": must_done,
                  "optional_scheduled": len(visited) - must_done}
        for key, value in expect.items():
            if key in stats and stats[key] != value:
                broken.append(f"stats.{key}: {stats[key]} but the schedule has {value}")
        if "travel_km" in stats and (not isinstance(stats["travel_km"], (int, float))
                                     or abs(stats["travel_km"] - total_km) > 0.05 + 1e-6 * total_km):
            broken.append(f"stats.travel_km: {stats['travel_km']} but the routes sum to {total_km:.1f}")
    return broken

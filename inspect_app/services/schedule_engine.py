"""A thin adapter over the `scheduler` engine: JSON dicts in, JSON dicts out.

The app stores problems and schedules in the engine's JSON formats; this module is the one place that
turns them into the engine's objects and back. Where the engine does not (yet) offer a function the app
needs (a validator returning named rules, the commitment, predictability warnings, re-timing one
inspector-day after a manual edit), it is written here on the engine's public pieces (`parse_problem`,
`solve`, `time_route`, `Legs`, `route_km`, `canonical_json`) and uses the engine's own version as soon as
one exists. Imports nothing of Flask or the database, so spawned solver processes stay light.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from scheduler.problem import Problem, canonical_json, format_hhmm, parse_hhmm, parse_problem, problem_sha256
from scheduler.schedule import VOLATILE_STATS
from scheduler.solve import Legs, route_km, time_route
from scheduler.solve import solve as _engine_solve
from scheduler.travel import great_circle_km

__all__ = ["problem_sha256"]

NEIGHBOUR_KM = 5.0
FRONT_SHARE = 0.2


def solve(problem: dict[str, Any], seed: int, time_limit: float) -> dict[str, Any]:
    """Solve a problem dict; returns the schedule dict (picklable top-level function for process pools)."""
    return _engine_solve(parse_problem(problem), seed=seed, time_limit=time_limit).to_dict()


def copy_schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    """A deep copy to edit without touching the stored one."""
    return copy.deepcopy(schedule)


def commitment(schedule: dict[str, Any], seed: int) -> str:
    """SHA-256 hex over the canonical schedule (machine-dependent stats left out) and its seed."""
    try:
        from scheduler.commitment import commitment as engine_commitment  # type: ignore[import-not-found]
    except ImportError:
        engine_commitment = None
    if engine_commitment is not None:
        return engine_commitment(schedule, seed)
    body = dict(schedule)
    body["stats"] = {k: v for k, v in (schedule.get("stats") or {}).items() if k not in VOLATILE_STATS}
    return hashlib.sha256(canonical_json({"schedule": body, "seed": seed})).hexdigest()


def _parsed(problem: dict[str, Any]) -> tuple[Problem, dict[str, int], dict[str, int]]:
    p = parse_problem(problem)
    return p, {f.id: k for k, f in enumerate(p.facilities)}, {i.id: k for k, i in enumerate(p.inspectors)}


def _err(rule: str, message: str) -> dict[str, str]:
    return {"rule": rule, "message": message}


def validate(problem: dict[str, Any], schedule: dict[str, Any]) -> list[dict[str, str]]:
    """Every broken rule of the schedule against the problem as {"rule", "message"}; empty when valid."""
    try:
        from scheduler.validate import validate as engine_validate  # type: ignore[import-not-found]
    except ImportError:
        engine_validate = None
    if engine_validate is not None:
        return [_as_error(v) for v in engine_validate(parse_problem(problem), schedule)]
    return _validate_here(problem, schedule)


def _as_error(violation: Any) -> dict[str, str]:
    if isinstance(violation, dict):
        return {"rule": str(violation.get("rule", "rule")), "message": str(violation.get("message", violation))}
    return {"rule": str(getattr(violation, "rule", "rule")), "message": str(getattr(violation, "message", violation))}


def _validate_here(problem: dict[str, Any], schedule: dict[str, Any]) -> list[dict[str, str]]:
    p, fidx, iidx = _parsed(problem)
    legs = Legs(p)
    errors: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    days: set[tuple[str, str]] = set()
    for route in schedule.get("routes", []):
        ins_id, date = route["inspector"], route["date"]
        where = f"{ins_id} on {date}"
        if ins_id not in iidx:
            errors.append(_err("unknown_inspector", f"{where}: unknown inspector"))
            continue
        if date not in p.dates:
            errors.append(_err("horizon", f"{where}: date outside the horizon"))
            continue
        if (ins_id, date) in days:
            errors.append(_err("one_route_per_day", f"{where}: two routes on one day"))
        days.add((ins_id, date))
        ins = p.inspectors[iidx[ins_id]]
        if date in ins.unavailable_dates:
            errors.append(_err("inspector_unavailable", f"{where}: the inspector is absent that day"))
        if len(route["stops"]) > ins.max_visits_per_day:
            errors.append(_err("max_visits_per_day", f"{where}: more than {ins.max_visits_per_day} visits"))
        depart, ret = parse_hhmm(route["depart"], "depart"), parse_hhmm(route["return"], "return")
        if depart < ins.day_start or ret > ins.day_end:
            errors.append(_err("working_hours", f"{where}: outside {format_hhmm(ins.day_start)}-"
                                                f"{format_hhmm(ins.day_end)}"))
        if ret - depart > ins.max_minutes_per_day:
            errors.append(_err("max_minutes_per_day", f"{where}: day longer than {ins.max_minutes_per_day} min"))
        t, prev = depart, ("i", iidx[ins_id])
        for stop in route["stops"]:
            fid = stop["facility"]
            if fid not in fidx:
                errors.append(_err("unknown_facility", f"{where}: unknown facility {fid}"))
                continue
            if fid in seen:
                errors.append(_err("visited_twice", f"{fid}: visited twice ({seen[fid]} and {where})"))
            seen[fid] = where
            fac = p.facilities[fidx[fid]]
            start, end = parse_hhmm(stop["start"], "start"), parse_hhmm(stop["end"], "end")
            if date not in fac.dates:
                errors.append(_err("facility_dates", f"{fid}: may not be visited on {date} (closed or out of season)"))
            if ins_id in fac.excluded_inspectors:
                errors.append(_err("conflict_of_interest", f"{fid}: {ins_id} declared a conflict of interest"))
            if not set(fac.skills) <= set(ins.skills):
                missing = ", ".join(sorted(set(fac.skills) - set(ins.skills)))
                errors.append(_err("skills", f"{fid}: {ins_id} lacks {missing}"))
            if end - start != fac.service_minutes:
                errors.append(_err("service_minutes", f"{fid}: visit must last {fac.service_minutes} min"))
            if not any(w.start <= start and end <= w.end for w in fac.windows):
                errors.append(_err("time_windows", f"{fid}: {stop['start']}-{stop['end']} outside opening hours"))
            node = ("f", fidx[fid])
            if start < t + legs.leg(prev, node)[0]:
                errors.append(_err("travel_time", f"{fid}: not reachable by {stop['start']} from the previous stop"))
            t, prev = end, node
        if ret < t + legs.leg(prev, ("i", iidx[ins_id]))[0]:
            errors.append(_err("travel_time", f"{where}: cannot be home by {route['return']}"))
    listed = {u["facility"] for u in schedule.get("unscheduled", [])}
    for fac in p.facilities:
        if fac.must_visit and fac.id not in seen and fac.id not in listed:
            errors.append(_err("must_visit", f"{fac.id}: a must-visit facility is neither scheduled nor listed"))
    return errors


def route_of(schedule: dict[str, Any], inspector: str, date: str) -> dict[str, Any]:
    """The route of an inspector-day, created empty when there is none."""
    for route in schedule["routes"]:
        if route["inspector"] == inspector and route["date"] == date:
            return route
    route = {"inspector": inspector, "date": date, "depart": "00:00", "return": "00:00", "stops": [],
             "travel_km": 0.0}
    schedule["routes"].append(route)
    return route


def insert_best(problem: dict[str, Any], route: dict[str, Any], stop: dict[str, Any]) -> None:
    """Insert a stop where the route stays feasible with the fewest km (at the end when nowhere fits)."""
    p, fidx, iidx = _parsed(problem)
    legs = Legs(p)
    k = iidx[route["inspector"]]
    seq = [fidx[s["facility"]] for s in route["stops"]]
    best = None
    for pos in range(len(seq) + 1):
        new = seq[:pos] + [fidx[stop["facility"]]] + seq[pos:]
        if time_route(new, k, p, legs) is not None:
            km = route_km(new, k, legs)
            if best is None or km < best[0] - 1e-9:
                best = (km, pos)
    route["stops"].insert(best[1] if best else len(seq), stop)


def retime(problem: dict[str, Any], schedule: dict[str, Any], touched: set[tuple[str, str]]) -> list[dict[str, str]]:
    """Re-time the touched inspector-days with the engine's travel rule (drops emptied days).

    Returns the broken rule when a day's stops cannot be timed at all, so the edit can be refused.
    """
    p, fidx, iidx = _parsed(problem)
    legs = Legs(p)
    errors = []
    for route in list(schedule["routes"]):
        if (route["inspector"], route["date"]) not in touched:
            continue
        if not route["stops"]:
            schedule["routes"].remove(route)
            continue
        k = iidx[route["inspector"]]
        seq = [fidx[s["facility"]] for s in route["stops"]]
        timed = time_route(seq, k, p, legs)
        if timed is None:
            ins = p.inspectors[k]
            if len(seq) > ins.max_visits_per_day:
                rule = "max_visits_per_day"
            else:
                rule = "time_windows"
            errors.append(_err(rule, f"{route['inspector']} on {route['date']}: the stops cannot be fitted in "
                                     f"opening hours, travel time and the working day"))
            continue
        depart, starts, ret = timed
        route["depart"], route["return"] = format_hhmm(depart), format_hhmm(ret)
        for s, start in zip(route["stops"], starts):
            fac = p.facilities[fidx[s["facility"]]]
            s["start"], s["end"] = format_hhmm(start), format_hhmm(start + fac.service_minutes)
        route["travel_km"] = round(route_km(seq, k, legs), 1)
    schedule["routes"].sort(key=lambda r: (r["date"], r["inspector"]))
    routed = {s["facility"] for r in schedule["routes"] for s in r["stops"]}
    schedule["unscheduled"] = [u for u in schedule["unscheduled"] if u["facility"] not in routed]
    return errors


def recount(problem: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    """The stats an edit changes: visits scheduled and travel km."""
    must = {f["id"] for f in problem["facilities"] if f.get("must_visit")}
    routed = [s["facility"] for r in schedule["routes"] for s in r["stops"]]
    stats = {
        "must_visit_scheduled": sum(1 for f in routed if f in must),
        "optional_scheduled": sum(1 for f in routed if f not in must),
        "travel_km": round(sum(r["travel_km"] for r in schedule["routes"]), 1),
    }
    schedule.setdefault("stats", {}).update(stats)
    return stats


def _dates_by_facility(schedule: dict[str, Any]) -> dict[str, str]:
    return {s["facility"]: r["date"] for r in schedule["routes"] for s in r["stops"]}


def predictability_warnings(problem: dict[str, Any], before: dict[str, Any],
                            after: dict[str, Any]) -> list[dict[str, str]]:
    """Warnings when an edit makes visits easier to guess (as ARMOR warned of checkpoint patterns).

    - "front_loaded": more visits land in the first fifth of the horizon than before (facilities learn
      that inspections come early, and relax afterwards);
    - "neighbours_same_day": a moved visit now shares its date with all its neighbours within 5 km
      (one sighting warns the whole neighbourhood).
    """
    try:
        from scheduler.predictability import warnings as engine_warnings  # type: ignore[import-not-found]
    except ImportError:
        engine_warnings = None
    if engine_warnings is not None:
        return [_as_error(w) for w in engine_warnings(parse_problem(problem), before, after)]
    dates = problem["dates"]
    index = {d: k for k, d in enumerate(dates)}
    front = max(1, round(len(dates) * FRONT_SHARE))
    b, a = _dates_by_facility(before), _dates_by_facility(after)
    out = []
    early_b = sum(1 for d in b.values() if index[d] < front)
    early_a = sum(1 for d in a.values() if index[d] < front)
    if early_a > early_b:
        out.append(_err("front_loaded", f"{early_a} visits now fall in the first {front} day(s) of the horizon "
                                        f"(before: {early_b}); early visits are easier to anticipate."))
    facilities = {f["id"]: f for f in problem["facilities"]}
    for fid, date in a.items():
        if b.get(fid) == date:
            continue
        here = facilities[fid]
        near = [g for g in a if g != fid and great_circle_km(here["lat"], here["lon"], facilities[g]["lat"],
                                                                  facilities[g]["lon"]) <= NEIGHBOUR_KM]
        if len(near) >= 2 and all(a[g] == date for g in near):
            out.append(_err("neighbours_same_day", f"{fid} and all {len(near)} scheduled neighbours within "
                                                   f"{NEIGHBOUR_KM:g} km are now visited on {date}."))
    return out

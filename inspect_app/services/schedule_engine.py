"""A thin adapter over the `scheduler` engine: JSON dicts in, JSON dicts out.

The app stores problems and schedules in the engine's JSON formats; this module is the one place that
turns them into the engine's objects and back. What the engine does not offer is written here on its
public pieces: rule names for the validator's messages, and re-timing an inspector-day after a hand edit
(`time_route`, `Legs`, `route_km`). Imports nothing of Flask or the database, so spawned solver
processes stay light.
"""

from __future__ import annotations

import copy
from typing import Any

from scheduler.edits import commitment as engine_commitment
from scheduler.edits import predictability_warnings as engine_warnings
from scheduler.problem import Problem, format_hhmm, parse_problem, problem_sha256
from scheduler.solve import Legs, route_km, time_route
from scheduler.solve import solve as _engine_solve
from scheduler.validate import validate as engine_validate

__all__ = ["parse_problem", "problem_sha256"]


def solve(problem: dict[str, Any], seed: int, time_limit: float, wall_clock_cap: bool = True,
          progress: Any = None) -> dict[str, Any]:
    """Solve a problem dict; returns the schedule dict (picklable top-level function for process pools).

    `progress` is a callable taking the engine's progress dict, or a (queue, key) pair whose queue gets
    `(key, info)` tuples (what a spawned worker process can hand back to the job).
    """
    if isinstance(progress, tuple):
        queue, key = progress
        progress = lambda info: queue.put((key, info))  # noqa: E731 - a closure over the queue proxy
    return _engine_solve(parse_problem(problem), seed=seed, time_limit=time_limit,
                         wall_clock_cap=wall_clock_cap, progress=progress).to_dict()


def copy_schedule(schedule: dict[str, Any]) -> dict[str, Any]:
    """A deep copy to edit without touching the stored one."""
    return copy.deepcopy(schedule)


def commitment(schedule: dict[str, Any], seed: int | None = None) -> str:
    """The engine's commitment: SHA-256 over the canonical schedule JSON, which carries its seed."""
    if seed is not None and schedule.get("seed") != seed:
        raise ValueError("the schedule's seed differs from the stored seed")
    return engine_commitment(schedule)


# The engine's validator answers in sentences; the app names the rule so a refusal says which one broke.
RULES = (
    ("is unavailable on", "inspector_unavailable"),
    ("lacks skills", "skills"),
    ("conflict of interest", "conflict_of_interest"),
    ("may not be visited on", "facility_dates"),
    ("not inside one opening window", "opening_hours"),
    ("cannot arrive before", "travel_time"),
    ("cannot be home before", "travel_time"),
    ("max_visits_per_day", "max_visits_per_day"),
    ("max_minutes_per_day", "max_minutes_per_day"),
    ("before day_start", "working_hours"),
    ("after day_end", "working_hours"),
    ("already visited", "visited_twice"),
    ("two routes on", "one_route_per_day"),
    ("not in the horizon", "horizon"),
    ("differs from inspector region", "region"),
    ("neither routed nor listed", "must_visit"),
    ("service minutes", "service_minutes"),
    ("travel_km", "travel_km"),
    ("problem_sha256", "problem"),
)


def rule_of(message: str) -> str:
    """The rule an engine validator message is about ("rule" when it is not recognised)."""
    for needle, rule in RULES:
        if needle in message:
            return rule
    return "rule"


def validate(problem: dict[str, Any], schedule: dict[str, Any]) -> list[dict[str, str]]:
    """Every rule the schedule breaks, by the engine's validator, as {"rule", "message"}; empty when valid."""
    return [{"rule": rule_of(m), "message": m} for m in engine_validate(parse_problem(problem), schedule)]


def _parsed(problem: dict[str, Any]) -> tuple[Problem, dict[str, int], dict[str, int]]:
    p = parse_problem(problem)
    return p, {f.id: k for k, f in enumerate(p.facilities)}, {i.id: k for k, i in enumerate(p.inspectors)}


def _err(rule: str, message: str) -> dict[str, str]:
    return {"rule": rule, "message": message}


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


def predictability_warnings(problem: dict[str, Any], original: dict[str, Any],
                            edited: dict[str, Any]) -> list[dict[str, str]]:
    """The engine's warnings when hand edits make visits guessable, compared with what it first decided."""
    return [{"rule": "predictability", "message": m}
            for m in engine_warnings(parse_problem(problem), original, edited)]

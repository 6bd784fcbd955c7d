"""A thin adapter over the `scheduler` engine: JSON dicts in, JSON dicts out.

The app stores problems and schedules in the engine's JSON formats; this module is the one place that
turns them into the engine's objects and back; every rule lives in the engine (validation, edits, re-timing,
absence repair, urgent insertions). Imports nothing of Flask or the database, so spawned solver processes
stay light.
"""

from __future__ import annotations

import copy
from typing import Any

from scheduler import edits as engine_edits
from scheduler import repair as engine_repair
from scheduler import timing
from scheduler import urgent as engine_urgent
from scheduler.commitment import commitment as engine_commitment
from scheduler.commitment import problem_sha256
from scheduler.edits import predictability_warnings as engine_warnings
from scheduler.problem import parse_problem
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


def validate(problem: dict[str, Any], schedule: dict[str, Any]) -> list[dict[str, str]]:
    """Every rule the schedule breaks, by the engine's validator, as {"rule", "message"} plus the "facility",
    "inspector" and "date" it concerns when known; empty when valid."""
    return [_violation(v) for v in engine_validate(parse_problem(problem), schedule)]


def _violation(v) -> dict[str, str]:
    """A Violation as a dict: rule, message, and the facility, inspector and date it concerns when known."""
    out = {"rule": v.rule, "message": v.message}
    out.update((key, value) for key, value in (("facility", v.facility), ("inspector", v.inspector),
                                                ("date", v.date)) if value)
    return out


def route_of(schedule: dict[str, Any], inspector: str, date: str) -> dict[str, Any]:
    """The route of an inspector-day, created empty when there is none."""
    return engine_edits.route_of(schedule, inspector, date)


def insert_best(problem: dict[str, Any], route: dict[str, Any], stop: dict[str, Any]) -> None:
    """Insert a stop where the route stays feasible with the fewest km (at the end when nowhere fits)."""
    engine_edits.insert_best(parse_problem(problem), route, stop)


def retime(problem: dict[str, Any], schedule: dict[str, Any], touched: set[tuple[str, str]]) -> list[dict[str, str]]:
    """Re-time the touched inspector-days with the engine's travel rule (drops emptied days).

    Returns the broken rule when a day's stops cannot be timed at all, so the edit can be refused.
    """
    p = parse_problem(problem)
    failed = set(timing.retime(p, schedule, touched))
    visits = {i.id: i.max_visits_per_day for i in p.inspectors}
    return [{"rule": "max_visits_per_day" if len(r["stops"]) > visits[r["inspector"]] else "time_windows",
             "message": f"{r['inspector']} on {r['date']}: the stops cannot be fitted in opening hours, "
                        f"travel time and the working day",
             "inspector": r["inspector"], "date": r["date"]}
            for r in schedule["routes"] if (r["inspector"], r["date"]) in failed]


def recount(problem: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    """The stats an edit changes: visits scheduled and travel km."""
    return timing.recount(parse_problem(problem), schedule)


def repair_absence(problem: dict[str, Any], schedule: dict[str, Any], inspector_id: str, dates: list[str],
                   seed: int) -> dict[str, Any]:
    """The engine's absence repair as a dict: schedule, moved, unplaced, violations ({"rule", "message"})."""
    res = engine_repair.repair_absence(parse_problem(problem), schedule, inspector_id, dates, seed)
    return {"schedule": res.schedule, "moved": res.moved, "unplaced": res.unplaced,
            "violations": [_violation(v) for v in res.violations]}


def insertion_options(problem: dict[str, Any], schedule: dict[str, Any], facility_id: str, deadline: str,
                      **kwargs: Any) -> list[dict[str, Any]]:
    """The engine's urgent-visit options (best first) as dicts."""
    return [o.to_dict() for o in engine_urgent.insertion_options(parse_problem(problem), schedule, facility_id,
                                                                  deadline, **kwargs)]


def predictability_warnings(problem: dict[str, Any], original: dict[str, Any],
                            edited: dict[str, Any]) -> list[dict[str, str]]:
    """The engine's warnings when hand edits make visits guessable, compared with what it first decided."""
    return [{"rule": "predictability", "message": m}
            for m in engine_warnings(parse_problem(problem), original, edited)]

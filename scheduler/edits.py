"""Hand edits of a published schedule: predictability warnings and commitments.

Like ARMOR at airport checkpoints: a planner may move visits by hand, but edits that
make visits guessable (all pulled to the start of the horizon, a neighbourhood done on
one day, one weekday favoured) are flagged. Validity is the validator's job.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from .commitment import commitment  # noqa: F401 (its home was here)
from .problem import Problem
from .schedule import Schedule
from .travel import great_circle_km

EARLIER_DAYS = 1.5       # mean date index moved earlier by more than this
NEIGHBOUR_KM = 5.0       # facilities this close count as neighbours
CLUSTER_SIZE = 4         # this many moved neighbours on one day is a pattern
WEEKDAY_EXCESS = 1.6     # a weekday holding this many times its fair share of visits


def _dates(schedule: Schedule | dict) -> dict[str, str]:
    data = schedule.to_dict() if isinstance(schedule, Schedule) else schedule
    return {s["facility"]: r["date"] for r in data["routes"] for s in r["stops"]}


def predictability_warnings(problem: Problem, original: Schedule | dict, edited: Schedule | dict) -> list[str]:
    """Warnings (strings) about patterns the edit introduces; empty when none."""
    warnings = []
    index = {d: k for k, d in enumerate(problem.dates)}
    before, after = _dates(original), _dates(edited)
    both = [f for f in after if f in before]
    if both:
        shift = sum(index[after[f]] - index[before[f]] for f in both) / len(both)
        if shift < -EARLIER_DAYS:
            warnings.append(f"visits pulled earlier: mean date index moved by {shift:.1f} days")
    facs = {f.id: f for f in problem.facilities}
    moved = [f for f in both if after[f] != before[f] and f in facs]
    by_day: dict[str, list[str]] = {}
    for f in moved:
        by_day.setdefault(after[f], []).append(f)
    for day, ids in sorted(by_day.items()):
        for f in ids:
            near = [g for g in ids if great_circle_km(facs[f].lat, facs[f].lon, facs[g].lat, facs[g].lon)
                    <= NEIGHBOUR_KM]
            if len(near) >= CLUSTER_SIZE:
                warnings.append(f"{len(near)} neighbouring facilities around {f} all moved to {day}")
                break
    weekday = Counter(dt.date.fromisoformat(d).weekday() for d in after.values())
    offered = Counter(dt.date.fromisoformat(d).weekday() for d in problem.dates)
    total = sum(weekday.values())
    for wd, n in sorted(weekday.items()):
        fair = total * offered[wd] / len(problem.dates)
        before_n = sum(1 for d in before.values() if dt.date.fromisoformat(d).weekday() == wd)
        if n >= 10 and n > WEEKDAY_EXCESS * fair and n > before_n:
            name = dt.date(2024, 1, 1 + wd).strftime("%A")
            warnings.append(f"{n} visits on {name}s, {n / fair:.1f} times a fair share")
    return warnings


def route_of(schedule: dict, inspector: str, date: str) -> dict:
    """The route of an inspector-day in a schedule dict, created empty when there is none."""
    for route in schedule["routes"]:
        if route["inspector"] == inspector and route["date"] == date:
            return route
    route = {"inspector": inspector, "date": date, "depart": "00:00", "return": "00:00", "stops": [],
             "travel_km": 0.0}
    schedule["routes"].append(route)
    return route


def insert_best(problem: Problem, route: dict, stop: dict) -> None:
    """Insert a stop into a route dict where it stays feasible with the fewest km (at the end if nowhere).

    Times are not written: re-time the day afterwards (`timing.retime`).
    """
    from .insertion import best_insertion
    from .timing import Legs, indexes

    fidx, iidx = indexes(problem)
    # Timing does not depend on the date (the validator checks it), so any day key will do.
    day = (iidx[route["inspector"]], 0)
    seq = [fidx[s["facility"]] for s in route["stops"]]
    found = best_insertion(problem, Legs(problem), {day: seq}, fidx[stop["facility"]], [day])
    pos = len(seq) if found is None else list(found.seq).index(fidx[stop["facility"]])
    route["stops"].insert(pos, stop)

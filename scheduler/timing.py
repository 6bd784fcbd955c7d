"""Timing of one inspector-day with the canonical travel rule, and re-timing of schedule dicts.

Every time the engine writes comes from here: earliest-start forward pass, latest-start backward
pass, leave home as late as possible. The validator re-derives the same rules on its own.
"""

from __future__ import annotations

from typing import Any

from .fairness import fairness_of
from .problem import Facility, Problem, format_hhmm
from .travel import fast_great_circle_km, minutes_from_km

Node = tuple[str, int]  # ("i", inspector index) or ("f", facility index)


class Legs:
    """Canonical (geopy) travel minutes and road km between homes and facilities, cached."""

    def __init__(self, problem: Problem):
        self.p = problem
        self._cache: dict[tuple, tuple[int, float]] = {}

    def _point(self, node: Node) -> tuple[float, float]:
        obj = self.p.inspectors[node[1]] if node[0] == "i" else self.p.facilities[node[1]]
        return obj.lat, obj.lon

    def leg(self, a: Node, b: Node) -> tuple[int, float]:
        """(minutes, road km) from node a to node b."""
        key = (a, b)
        hit = self._cache.get(key)
        if hit is None:
            km = fast_great_circle_km(*self._point(a), *self._point(b))
            tr = self.p.travel
            hit = (minutes_from_km(km, tr.speed_kmh, tr.road_factor), km * tr.road_factor)
            self._cache[key] = hit
        return hit


def _earliest_start(fac: Facility, t: int) -> int | None:
    for w in fac.windows:
        s = max(t, w.start)
        if s + fac.service_minutes <= w.end:
            return s
    return None


def _latest_start(fac: Facility, bound: int) -> int | None:
    for w in reversed(fac.windows):
        s = min(bound, w.end - fac.service_minutes)
        if s >= w.start:
            return s
    return None


def _forward(seq, ins_idx, depart, problem, legs):
    ins = problem.inspectors[ins_idx]
    t, prev, starts = depart, ("i", ins_idx), []
    for f in seq:
        fac = problem.facilities[f]
        s = _earliest_start(fac, t + legs.leg(prev, ("f", f))[0])
        if s is None:
            return None
        starts.append(s)
        t, prev = s + fac.service_minutes, ("f", f)
    ret = t + legs.leg(prev, ("i", ins_idx))[0]
    return (starts, ret) if ret <= ins.day_end else None


def time_route(seq: list[int], ins_idx: int, problem: Problem, legs: Legs):
    """Times for a stop sequence: (depart, starts, return) leaving as late as possible, or None."""
    ins = problem.inspectors[ins_idx]
    if not seq:
        return None
    if len(seq) > ins.max_visits_per_day:
        return None
    first = _forward(seq, ins_idx, ins.day_start, problem, legs)
    if first is None:
        return None
    _, ret = first
    # Walk back from the earliest return to the latest start of each stop, so the
    # inspector leaves home as late as possible and the day is as short as possible.
    bound = ret - legs.leg(("f", seq[-1]), ("i", ins_idx))[0] - problem.facilities[seq[-1]].service_minutes
    latest = [0] * len(seq)
    for k in range(len(seq) - 1, -1, -1):
        fac = problem.facilities[seq[k]]
        s = _latest_start(fac, bound)
        if s is None:
            return None
        latest[k] = s
        if k:
            prev = problem.facilities[seq[k - 1]]
            bound = s - legs.leg(("f", seq[k - 1]), ("f", seq[k]))[0] - prev.service_minutes
    depart = latest[0] - legs.leg(("i", ins_idx), ("f", seq[0]))[0]
    second = _forward(seq, ins_idx, max(depart, ins.day_start), problem, legs)
    if second is None:
        return None
    starts, ret2 = second
    depart = max(depart, ins.day_start)
    if ret2 - depart > ins.max_minutes_per_day:
        return None
    return depart, starts, ret2


def route_km(seq: list[int], ins_idx: int, legs: Legs) -> float:
    """Road km of home -> stops -> home."""
    nodes = [("i", ins_idx)] + [("f", f) for f in seq] + [("i", ins_idx)]
    return sum(legs.leg(a, b)[1] for a, b in zip(nodes, nodes[1:]))


def indexes(problem: Problem) -> tuple[dict[str, int], dict[str, int]]:
    """(facility id -> index, inspector id -> index)."""
    return ({f.id: k for k, f in enumerate(problem.facilities)},
            {i.id: k for k, i in enumerate(problem.inspectors)})


def route_dict(problem: Problem, legs: Legs, ins_idx: int, date: str, seq: list[int]) -> dict[str, Any] | None:
    """The schedule-format route of an inspector-day visiting `seq` in order, or None if it cannot be timed."""
    timed = time_route(seq, ins_idx, problem, legs)
    if timed is None:
        return None
    depart, starts, ret = timed
    facs = problem.facilities
    return {"inspector": problem.inspectors[ins_idx].id, "date": date, "depart": format_hhmm(depart),
            "return": format_hhmm(ret),
            "stops": [{"facility": facs[f].id, "start": format_hhmm(s),
                       "end": format_hhmm(s + facs[f].service_minutes)} for f, s in zip(seq, starts)],
            "travel_km": round(route_km(seq, ins_idx, legs), 1)}


def retime(problem: Problem, schedule: dict[str, Any], touched: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Re-time the touched (inspector, date) routes of a schedule dict in place; emptied days are dropped.

    Returns the touched days whose stops cannot be timed at all (left as they were), so a caller can refuse.
    """
    legs = Legs(problem)
    fidx, iidx = indexes(problem)
    failed = []
    for route in list(schedule["routes"]):
        day = (route["inspector"], route["date"])
        if day not in touched:
            continue
        if not route["stops"]:
            schedule["routes"].remove(route)
            continue
        new = route_dict(problem, legs, iidx[route["inspector"]], route["date"],
                         [fidx[s["facility"]] for s in route["stops"]])
        if new is None:
            failed.append(day)
            continue
        route.update(new)
    schedule["routes"].sort(key=lambda r: (r["date"], r["inspector"]))
    routed = {s["facility"] for r in schedule["routes"] for s in r["stops"]}
    schedule["unscheduled"] = [u for u in schedule["unscheduled"] if u["facility"] not in routed]
    return failed


def recount(problem: Problem, schedule: dict[str, Any]) -> dict[str, Any]:
    """Update the stats a change of routes alters (visits scheduled, travel km, fairness); returns them."""
    must = {f.id for f in problem.facilities if f.must_visit}
    routed = [s["facility"] for r in schedule["routes"] for s in r["stops"]]
    stats = {
        "must_visit_scheduled": sum(1 for f in routed if f in must),
        "optional_scheduled": sum(1 for f in routed if f not in must),
        "travel_km": round(sum(r["travel_km"] for r in schedule["routes"]), 1),
    }
    if "fairness" in schedule.get("stats", {}):
        stats["fairness"] = fairness_of(problem, schedule)
    schedule.setdefault("stats", {}).update(stats)
    return stats

"""Repair: place what the routing skipped, and move an absent inspector's visits to others.

Both use the cheapest feasible insertion (`insertion.py`) with the canonical timing. The solver's pass
also keeps the priority promise: a must-visit that fits nowhere takes the place of a lower-class visit
when that is feasible (the one it displaces is tried again), so no dropped facility could have
replaced a kept one of a lower class.
"""

from __future__ import annotations

import copy
import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from .eligibility import Instance
from .insertion import Day, best_insertion, best_replacement, eligible_days
from .priority import OPTIONAL_DETOUR_KM, Tiers, importance, priority_class, stratum
from .problem import Problem, parse_problem
from .timing import Legs, indexes, recount, route_dict

# Nearest eligible inspectors tried by the plain insertion for each skipped facility.
REPAIR_CANDIDATES = 30
# Nearest eligible inspectors whose days are searched for a drawn-to-wait visit to give way.
SWAP_CANDIDATES = 8
# Absence repair: a day that already received a moved visit is preferred unless this many km dearer,
# so fewer routes change.
TOUCH_KM = 10.0
REASON_ABSENCE = "no other inspector-day can take it (skills, dates, opening hours, working day)"


def _days(inst: Instance, routes: dict, f: int, inspectors, rng: random.Random) -> list[Day]:
    """Eligible days of the inspectors: every day with a route, and one random empty day per inspector."""
    out = []
    for k in inspectors:
        days = eligible_days(inst, f, [k])
        busy = [d for d in days if d in routes]
        empty = [d for d in days if d not in routes]
        out += busy + ([rng.choice(empty)] if empty else [])
    return out


def insert_skipped(inst: Instance, routes: dict, skipped: list[int], usable, legs: Legs,
                   rng: random.Random, tiers: Tiers | None = None) -> list[int]:
    """Place skipped facilities (most important first) in `routes`; returns those that still fit nowhere.

    A must-visit that fits nowhere takes the place of a lower-class visit on any eligible day (the
    priority rule), or of visits of its own class drawn to wait (a lower level) on the nearest
    inspectors' days, a whole day if it needs one (the draw, not the map, decides who waits). One the draw put
    well inside its stratum's quota (band 0) may also take the place of a visit of its own level drawn after it
    (an ordinary visit, if it is one; a whole day of them if it needs a long day): inside a level the draw decides,
    so a facility is not left out in every horizon because the days near it are full. Last, scarce skills go
    where only they can: a must-visit that still fits nowhere takes, on the day of an inspector who holds its
    skills, the place of a visit of its class that needs fewer skills and that more inspectors may make (not a
    remote one weighted for a long day, whose few inspectors are the reason it is rare), while that
    visit's group (class, stratum) is visited at a higher rate than its own, whatever their bands (the draw orders
    each stratum, the skill mix is not its to decide); each visit swaps so at most once, and keeps its place against
    the level rules above, and the visit it displaced never takes the place of one that needs a skill it does not
    (it would undo the swap elsewhere, e.g. take a remote kindergarten's whole day). The displaced visits are tried
    again.
    """
    p = inst.p
    level = tiers.level if tiers is not None else {}
    queue = deque(skipped)
    left = []
    rates = _Rates(p, level, routes)
    swapped: set[int] = set()
    bumped: set[int] = set()
    skills = [frozenset(fac.skills) for fac in p.facilities]

    def kept(f: int, g: int) -> bool:
        """Whether visit g may give way to f by the level rules: not if the scarce-skill swap placed g, nor if it
        displaced f and g needs a skill f does not."""
        return g not in swapped and (f not in bumped or skills[g] <= skills[f])

    while queue:
        f = queue.popleft()
        fac = p.facilities[f]
        near = sorted((int(k) for k in usable[f]), key=lambda k: (legs.leg(("i", k), ("f", f))[1], k))
        ins = best_insertion(p, legs, routes, f, _days(inst, routes, f, near[:REPAIR_CANDIDATES], rng))
        if ins is not None and not fac.must_visit and ins.extra_km > OPTIONAL_DETOUR_KM:
            ins = None
        if ins is None and fac.must_visit:
            ins = _replacement(inst, legs, routes, f, near, usable, tiers, rates, kept, swapped, bumped)
        if ins is None:
            left.append(f)
            continue
        routes[ins.day] = list(ins.seq)
        rates.moved(f, ins.replaced)
        queue.extend(ins.replaced)
    return left


def _replacement(inst: Instance, legs: Legs, routes: dict, f: int, near: list[int], usable, tiers: Tiers | None,
                 rates: _Rates, kept, swapped: set[int], bumped: set[int]):
    """The place a must-visit `f` that fits nowhere takes, by the rules `insert_skipped` lists in their order
    (a lower class, a lower level, drawn first, scarce skills), or None."""
    p = inst.p
    level = tiers.level if tiers is not None else {}
    rank = importance(p.facilities[f])
    days = [d for d in eligible_days(inst, f, near) if d in routes]
    ins = best_replacement(p, legs, routes, f, days, lambda g: importance(p.facilities[g]) < rank)
    if ins is not None or f not in level:
        return ins
    mine, cls = level[f], rank[1]
    days = [d for d in eligible_days(inst, f, near[:SWAP_CANDIDATES]) if d in routes]
    ins = best_replacement(p, legs, routes, f, days, lambda g: (
        importance(p.facilities[g])[1] == cls and level.get(g, mine) < mine and kept(f, g)), whole_day=True)
    if ins is None and tiers is not None and tiers.band.get(f) == 0:
        ins = _drawn_first(p, legs, routes, f, days, tiers, lambda g: kept(f, g))
    if ins is None and f not in swapped:
        long = tiers.long_day if tiers is not None else frozenset()
        ins = _scarce_first(p, legs, routes, f, days, level, rates,
                            lambda g: kept(f, g) and g not in long and len(usable[g]) > len(usable[f]))
        if ins is not None:
            swapped.add(f)
            bumped.update(ins.replaced)
    return ins


class _Rates:
    """Visit rate of the must-visit targets per (class, stratum) in the routes, kept up to date by the repair."""

    def __init__(self, p: Problem, level: dict[int, int], routes: dict):
        self.key = {f: (priority_class(p.facilities[f].priority), stratum(p.facilities[f])) for f in level}
        self.size = Counter(self.key.values())
        self.placed = Counter(self.key[f] for seq in routes.values() for f in seq if f in self.key)

    def moved(self, f: int, replaced) -> None:
        """Visit f was placed and the `replaced` ones taken out."""
        if f in self.key:
            self.placed[self.key[f]] += 1
        for g in replaced:
            if g in self.key:
                self.placed[self.key[g]] -= 1

    def rate(self, f: int) -> float:
        """The rate of f's group."""
        return self.placed[self.key[f]] / self.size[self.key[f]]


def _scarce_first(p: Problem, legs: Legs, routes: dict, f: int, days: list[Day], level: dict[int, int],
                  rates: _Rates, kept):
    """The cheapest place of visit f in place of a visit of its class that needs fewer skills, whose group is visited
    more often than f's (see insert_skipped)."""
    skills = frozenset(p.facilities[f].skills)
    cls, now = priority_class(p.facilities[f].priority), rates.rate(f)
    return best_replacement(p, legs, routes, f, days, lambda g: (
        g in level and kept(g) and priority_class(p.facilities[g].priority) == cls
        and frozenset(p.facilities[g].skills) < skills and rates.rate(g) > now + 1e-9))


def _drawn_first(p: Problem, legs: Legs, routes: dict, f: int, days: list[Day], tiers: Tiers, kept=lambda g: True):
    """The cheapest place of visit f in place of a visit of its level drawn after it (see insert_skipped)."""
    mine, first, long = tiers.level[f], tiers.standing[f], f in tiers.long_day
    return best_replacement(p, legs, routes, f, days, lambda g: (
        tiers.level.get(g) == mine and tiers.standing.get(g, first) < first and (long or g not in tiers.long_day)
        and kept(g)),
        whole_day=long)


@dataclass
class RepairResult:
    """The repaired schedule dict, what moved where, what could not be placed, and the validator's verdict."""

    schedule: dict[str, Any]
    moved: list[dict[str, str]] = field(default_factory=list)
    unplaced: list[dict[str, str]] = field(default_factory=list)
    violations: list = field(default_factory=list)


def routes_of(problem: Problem, schedule: dict[str, Any]) -> dict[Day, list[int]]:
    """A schedule dict's routes as {(inspector index, date index): [facility index, ...]}."""
    fidx, iidx = indexes(problem)
    didx = {d: k for k, d in enumerate(problem.dates)}
    return {(iidx[r["inspector"]], didx[r["date"]]): [fidx[s["facility"]] for s in r["stops"]]
            for r in schedule["routes"]}


def rebuild(problem: Problem, schedule: dict[str, Any], routes: dict[Day, list[int]], changed: set[Day],
            legs: Legs, unscheduled: list[dict[str, str]]) -> dict[str, Any]:
    """A copy of the schedule for `problem`: changed days re-timed, the others kept as they were, stats recounted."""
    out = copy.deepcopy(schedule)
    # The result belongs to the problem given (which may differ from the one published, e.g. an absence marked).
    out["problem_sha256"] = problem.sha256
    by_day = {(r["inspector"], r["date"]): r for r in out["routes"]}
    for k, d in changed:
        key = (problem.inspectors[k].id, problem.dates[d])
        by_day.pop(key, None)
        if routes.get((k, d)):
            by_day[key] = route_dict(problem, legs, k, problem.dates[d], routes[(k, d)])
    out["routes"] = sorted(by_day.values(), key=lambda r: (r["date"], r["inspector"]))
    routed = {s["facility"] for r in out["routes"] for s in r["stops"]}
    kept = [u for u in out["unscheduled"] if u["facility"] not in routed]
    listed = {u["facility"] for u in kept}
    out["unscheduled"] = kept + [u for u in unscheduled if u["facility"] not in listed | routed]
    recount(problem, out)
    return out


def repair_absence(problem: Problem | dict, schedule: dict[str, Any], inspector_id: str, dates: list[str],
                   seed: int, earliest: str | None = None) -> RepairResult:
    """Move an absent inspector's visits on `dates` to other inspectors; other routes stay identical.

    Args:
        problem: the problem the schedule was built for (parsed or as JSON).
        schedule: the schedule dict (not changed).
        inspector_id: the absent inspector.
        dates: the dates of the absence.
        seed: orders visits of equal importance (most important first: must-visits, higher class).
        earliest: first date a visit may move to (default: the first absent date).
    Returns:
        the new schedule, `moved` [{facility, from_inspector, to_inspector, date}], `unplaced`
        [{facility, reason}] (must-visits among them are listed as unscheduled) and the validator's violations.
    """
    from .validate import validate

    p = problem if isinstance(problem, Problem) else parse_problem(problem)
    inst, legs = Instance(p), Legs(p)
    _, iidx = indexes(p)
    if inspector_id not in iidx:
        raise ValueError(f"unknown inspector {inspector_id!r}")
    absent = iidx[inspector_id]
    didx = {d: k for k, d in enumerate(p.dates)}
    bad = [d for d in dates if d not in didx]
    if bad:
        raise ValueError(f"dates not in the horizon: {', '.join(bad)}")
    first = didx[earliest] if earliest in didx else min(didx[d] for d in dates) if dates else 0
    routes = routes_of(p, schedule)
    out_days = {(absent, didx[d]) for d in dates}
    todo = [f for day in sorted(out_days) for f in routes.get(day, [])]
    rng = random.Random(f"{seed}:absence")
    rng.shuffle(todo)
    todo.sort(key=lambda f: importance(p.facilities[f]), reverse=True)
    for day in out_days:
        routes.pop(day, None)
    changed = set(out_days)
    others = [k for k in range(len(p.inspectors)) if k != absent]
    future = range(first, len(p.dates))
    moved, unplaced = [], []
    for f in todo:
        ins = best_insertion(p, legs, routes, f, eligible_days(inst, f, others, future),
                             cost=lambda day, km: km if day in changed else km + TOUCH_KM)
        fid = p.facilities[f].id
        if ins is None:
            unplaced.append({"facility": fid, "reason": REASON_ABSENCE})
            continue
        routes[ins.day] = list(ins.seq)
        changed.add(ins.day)
        moved.append({"facility": fid, "from_inspector": inspector_id,
                      "to_inspector": p.inspectors[ins.day[0]].id, "date": p.dates[ins.day[1]]})
    fidx, _ = indexes(p)
    must_left = [u for u in unplaced if p.facilities[fidx[u["facility"]]].must_visit]
    new = rebuild(p, schedule, routes, changed, legs, must_left)
    return RepairResult(new, moved, unplaced, validate(p, new))


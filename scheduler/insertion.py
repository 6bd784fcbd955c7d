"""Cheapest feasible insertion into inspector-day routes (the solver's repair, absences, urgent visits, edits).

Routes are `{(inspector index, date index): [facility index, ...]}`; feasibility is the canonical
timing (`timing.time_route`), the cost road km.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .problem import Problem
from .timing import Legs, route_km, time_route

Day = tuple[int, int]


@dataclass(frozen=True)
class Insertion:
    """Where a facility goes: the day, its new stop sequence, the extra km, and the stops it replaced."""

    extra_km: float
    day: Day
    seq: tuple[int, ...]
    start: int                 # start of the inserted visit, minutes after midnight
    replaced: tuple[int, ...] = ()


def _positions(p: Problem, legs: Legs, day: Day, base: list[int], f: int, base_km: float,
               start_ok: Callable[[Day, int], bool] | None, replaced: tuple[int, ...], best: Insertion | None):
    k = day[0]
    for pos in range(len(base) + 1):
        new = base[:pos] + [f] + base[pos:]
        timed = time_route(new, k, p, legs)
        if timed is None or (start_ok is not None and not start_ok(day, timed[1][pos])):
            continue
        delta = route_km(new, k, legs) - base_km
        if best is None or delta < best.extra_km - 1e-9:
            best = Insertion(delta, day, tuple(new), timed[1][pos], replaced)
    return best


def best_insertion(p: Problem, legs: Legs, routes: dict[Day, list[int]], f: int, days: Iterable[Day],
                   start_ok: Callable[[Day, int], bool] | None = None,
                   cost: Callable[[Day, float], float] | None = None) -> Insertion | None:
    """The cheapest feasible insertion of facility f into one of `days` (existing routes or empty days).

    Args:
        p: the problem.
        legs: canonical legs.
        routes: current routes (not changed).
        f: facility index.
        days: candidate inspector-days (eligibility is the caller's).
        start_ok: optional test of the inserted visit's start (deadlines).
        cost: optional re-pricing of (day, extra km), e.g. to prefer days already changed.
    Returns:
        the best insertion, or None when no day can take it.
    """
    best, best_cost = None, None
    for day in days:
        seq = routes.get(day, [])
        if len(seq) >= p.inspectors[day[0]].max_visits_per_day:
            continue
        found = _positions(p, legs, day, list(seq), f, route_km(seq, day[0], legs) if seq else 0.0,
                           start_ok, (), None)
        if found is None:
            continue
        c = cost(day, found.extra_km) if cost else found.extra_km
        if best_cost is None or c < best_cost - 1e-9:
            best, best_cost = found, c
    return best


def best_replacement(p: Problem, legs: Legs, routes: dict[Day, list[int]], f: int, days: Iterable[Day],
                     replaceable: Callable[[int], bool], start_ok: Callable[[Day, int], bool] | None = None,
                     whole_day: bool = False) -> Insertion | None:
    """The cheapest feasible insertion of f in place of one replaceable stop of a route of `days`.

    With `whole_day`, a day whose stops are all replaceable may also be given to f alone (a remote
    visit that needs the whole day), when no single stop can make room.
    """
    best, alone = None, None
    for day in days:
        seq = routes.get(day, [])
        if not any(replaceable(g) for g in seq):
            continue
        base_km = route_km(seq, day[0], legs)
        for j, g in enumerate(seq):
            if not replaceable(g):
                continue
            rest = seq[:j] + seq[j + 1:]
            # Extra km are counted against the route as it was, so the price includes the lost visit's legs.
            found = _positions(p, legs, day, rest, f, base_km, start_ok, (g,), None)
            if found is not None and (best is None or found.extra_km < best.extra_km - 1e-9):
                best = found
        if whole_day and best is None and len(seq) > 1 and all(replaceable(g) for g in seq):
            alone = _positions(p, legs, day, [], f, base_km, start_ok, tuple(seq), alone)
    return best or alone


def eligible_days(inst, f: int, inspectors: Iterable[int], dates: Iterable[int] | None = None) -> list[Day]:
    """Inspector-days where inspector may serve facility f: skills, region, exclusions, availability, its dates."""
    pool = list(dates) if dates is not None else range(len(inst.p.dates))
    return [(k, d) for k in inspectors if inst.may_serve(f, k)
            for d in pool if inst.ins_avail[k, d] and inst.fac_dates[f, d]]

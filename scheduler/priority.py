"""Priorities and the shortage draw: who waits when due visits exceed capacity.

A facility's priority class is the integer part of its `priority` (0 below 1). A higher class always
goes first: its skip penalty exceeds any travel and several lower-level visits, so the solver spends
travel only among equals. Within a level, a visit that takes a long day (a remote facility: service
plus the round trip from the nearest home) is worth up to MAX_DAY_WEIGHT ordinary ones, so that
drawn remote facilities are not the first the router gives up. When the capacity estimate
cannot hold every must-visit, the class where capacity runs out is ordered by a seeded draw weighted
by priority (Efraimidis-Spirakis keys u^(1/priority)); its members are cut into bands around the
estimate, so who waits is decided by the draw and not by distance. Classes below the cut wait.
Inside a level the draw order also breaks ties: each visit's penalty carries a small seeded bonus
(a factor of up to 1 + TIE_SPREAD, far above any travel), so where a town's inspectors cannot
hold all of its equals the last drawn give way, a different set for every seed, and no facility
waits in every horizon because of where it stands.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable
from dataclasses import dataclass, field

from .problem import Problem

# A skipped must-visit of the lowest level costs more than any day of travel in metres.
MUST_BASE = 1_000_000_000
# A drawn optional visit is worth this many road km of detour (far less than any must-visit): one that
# would add more is left for another horizon, so spare capacity is not burnt on remote extra trips.
OPTIONAL_DETOUR_KM = 100
OPTIONAL_PENALTY = OPTIONAL_DETOUR_KM * 1000
# The highest penalty stays far below int64 even summed over an area.
TOP_PENALTY = 10**16
# Band edges of the cut class, as shares of the capacity left for it: drawn well inside, just
# inside, just outside, far outside the estimate.
BAND_EDGES = (0.85, 1.0, 1.15)
# Cap of the day-length weight within a level (always below the ratio between levels): a drawn visit
# that needs a whole day is worth the four ordinary visits that day could hold, and a little more.
MAX_DAY_WEIGHT = 6.0
# The seeded tie-break inside a level: the first drawn of a level is worth up to 1 + TIE_SPREAD times the
# last, multiplied into the day weight. It takes half the headroom between the dearest visit of a level
# (MAX_DAY_WEIGHT) and the cheapest of the next (the ratio), so a level never overtakes the next one up:
# 1 + 1/6 with levels 8x apart. Either way far more than any travel.
TIE_SPREAD = 0.5


def priority_class(priority: float) -> int:
    """The class of a priority: its integer part (0 below 1)."""
    return max(0, math.floor(priority))


def importance(fac) -> tuple[int, int]:
    """What gives way to what in repairs and urgent insertions: must-visits by class, then optional visits."""
    return (1, priority_class(fac.priority)) if fac.must_visit else (0, -1)


@dataclass(frozen=True)
class Tiers:
    """Must-visit levels (0 = least important) and how the draw went."""

    level: dict[int, int]       # facility index -> level
    penalty: dict[int, int]     # facility index -> skip penalty (optional facilities included)
    rank: dict[int, int]        # facility index -> order of importance (0 first)
    standing: dict[int, float]  # must-visit -> level plus its tie-break share in [0, 1) (the flow's order)
    cut_class: int | None       # the class the draw cut (None: everyone fits the estimate)
    long_day: frozenset[int] = frozenset()  # must-visits weighted for a long day (worth several ordinary ones)
    cut_strata: frozenset = frozenset()     # strata (region, skills) the draw cut in some class: capacity is short
    band: dict[int, int] = field(default_factory=dict)  # must-visit -> band in its stratum (0: well inside quota)


def stratum(fac) -> tuple[str, frozenset[str]]:
    """The group inside which capacity is reserved and the draw breaks ties: region and the skills needed."""
    return fac.region or "", frozenset(fac.skills)


def stratified_shares(problem: Problem, members: list[int]) -> dict[int, float]:
    """Each member's tie-break share in (0, 1): its place in the draw order among the members of its stratum
    (1 - (i + 1/2) / n for the i-th drawn of n), so the first drawn of every skill set stand alike and a
    visit that few inspectors can make is not outranked by the visits anyone could make."""
    strata: dict[Hashable, list[int]] = {}
    for f in members:
        strata.setdefault(stratum(problem.facilities[f]), []).append(f)
    return {f: 1.0 - (i + 0.5) / len(group) for group in strata.values() for i, f in enumerate(group)}


def _ratio(n_levels: int) -> int:
    for r in (8, 4, 2):
        if MUST_BASE * r ** max(0, n_levels - 1) <= TOP_PENALTY:
            return r
    return 2


def draw_tiers(problem: Problem, must: list[int], optional: list[int], quota: dict[tuple[int, Hashable], float],
               rng: random.Random, day_minutes: dict[int, int] | None = None) -> Tiers:
    """Levels and penalties of the targets, with the seeded draw cutting every stratum at its quota.

    Args:
        problem: the problem (priorities).
        must: must-visit targets (facility indexes).
        optional: drawn optional targets.
        quota: per (class, stratum), the visits the horizon holds (`quotas.class_quotas`).
        rng: the seeded draw stream.
        day_minutes: per facility, service + round trip from the nearest usable home (weights).
    Returns:
        the tiers.
    """
    bands, cut, cut_strata = _bands(problem, _drawn_order(problem, must, rng), quota)
    keyed = [(c, b, members) for (c, b), members in sorted(bands.items(), key=lambda x: (-x[0][0], x[0][1]))
             if members]
    n_levels = len(keyed)
    ratio = _ratio(n_levels)
    cap = min(MAX_DAY_WEIGHT, 0.75 * ratio)
    # The lower level's dearest (cap x (1 + spread)) stays below the next one's cheapest (ratio).
    spread = min(TIE_SPREAD, (ratio / cap - 1) / 2)
    minutes = day_minutes or {}
    typical = sorted(minutes.get(f, 0) for f in must)[len(must) // 2] if must else 0
    level, penalty, rank, standing, long_day = {}, {}, {}, {}, set()
    band = {f: b for _, b, members in keyed for f in members}
    for j, (_, _, members) in enumerate(keyed):
        lv = n_levels - 1 - j
        value = min(TOP_PENALTY, MUST_BASE * ratio ** lv)
        shares = stratified_shares(problem, members)
        for f in sorted(members, key=lambda f: -shares[f]):
            weight = min(cap, max(1.0, minutes.get(f, 0) / typical)) if typical else 1.0
            if weight > 1.0:
                long_day.add(f)
            # Multiplied, so a long visit and the ordinary ones it would displace are compared like for like.
            level[f], penalty[f], rank[f] = lv, int(value * weight * (1.0 + spread * shares[f])), len(rank)
            standing[f] = lv + 0.5 * shares[f]
    for f in optional:
        penalty[f], rank[f] = OPTIONAL_PENALTY, len(rank)
    return Tiers(level, penalty, rank, standing, cut, frozenset(long_day), frozenset(cut_strata), band)


def _drawn_order(problem: Problem, must: list[int], rng: random.Random) -> dict[int, list[int]]:
    """Per priority class (highest first), its must-visits in one seeded, priority-weighted order
    (Efraimidis-Spirakis keys u^(1/priority)): it cuts every stratum where its quota runs out, and it breaks
    ties inside every level."""
    facs = problem.facilities
    by_class: dict[int, list[int]] = {}
    for f in must:
        by_class.setdefault(priority_class(facs[f].priority), []).append(f)
    drawn_order: dict[int, list[int]] = {}
    for c in sorted(by_class, reverse=True):
        keys = {f: rng.random() ** (1.0 / facs[f].priority) for f in by_class[c]}
        drawn_order[c] = sorted(by_class[c], key=lambda f: -keys[f])
    return drawn_order


def _bands(problem: Problem, drawn_order: dict[int, list[int]], quota: dict[tuple[int, Hashable], float]
           ) -> tuple[dict[tuple[int, int], list[int]], int | None, set]:
    """(class, band) -> members in draw order, the highest class cut by its quota (or None), and the strata
    cut: a stratum within its quota is one band; one beyond it is split at BAND_EDGES of the quota."""
    facs = problem.facilities
    bands: dict[tuple[int, int], list[int]] = {}
    cut, cut_strata = None, set()
    for c in drawn_order:
        strata: dict[Hashable, list[int]] = {}
        for f in drawn_order[c]:
            strata.setdefault(stratum(facs[f]), []).append(f)
        for s, order in strata.items():
            room = quota.get((c, s), 0.0)
            if len(order) <= room + 1e-6:
                bands.setdefault((c, 0), []).extend(order)
                continue
            cut = c if cut is None else cut
            cut_strata.add(s)
            edges = [0] + [min(len(order), int(round(e * room))) for e in BAND_EDGES] + [len(order)]
            for b in range(len(edges) - 1):
                bands.setdefault((c, b), []).extend(order[edges[b]:edges[b + 1]])
    return bands, cut, cut_strata

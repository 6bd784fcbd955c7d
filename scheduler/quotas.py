"""Capacity reserved per skill set: how many visits of each stratum of a priority class the horizon holds.

A stratum is the facilities of one region that need one set of skills. One capacity estimate for the whole
horizon would let visits that anyone can make fill the days of the few inspectors who hold the scarce skills,
so the visits that only they can make would wait far more often than the others. Instead, a small linear
programme shares each inspector's time out among the strata he may serve, max-min fair inside a class
(progressive filling: every stratum's share of its due visits rises together until a stratum's inspectors are
full, then it stops and the others go on), the higher classes first. The shortage draw then cuts every stratum
at its own quota, so the draw decides who waits inside a stratum, and the skill mix does not.

The inspectors' time is the capacity estimate of `eligibility.py` in minutes: available days x
`max_minutes_per_day`; a visit takes its stratum's mean service + TRAVEL_PER_VISIT minutes, and never less
than the day divided by `max_visits_per_day`. GLOP solves the programmes (deterministic).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from ortools.linear_solver import pywraplp

from .eligibility import TRAVEL_PER_VISIT, Instance
from .priority import priority_class, stratum

# Tolerance of the progressive filling (in visits).
EPS = 1e-6


class _Programme:
    """One class's LP: x[k, s] visits inspector k makes of stratum s, within k's minutes and s's members."""

    def __init__(self, minutes: dict[int, float], strata: dict[Hashable, dict], fixed: dict[Hashable, float]):
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.x: dict[tuple[int, Hashable], pywraplp.Variable] = {}
        self.y: dict[Hashable, pywraplp.LinearExpr] = {}
        inf = self.solver.infinity()
        load: dict[int, list] = {}
        for s, info in strata.items():
            terms = []
            for k, members in info["reach"].items():
                var = self.solver.NumVar(0.0, float(members), "")
                self.x[(k, s)] = var
                terms.append(var)
                load.setdefault(k, []).append(info["cost"][k] * var)
            self.y[s] = self.solver.Sum(terms) if terms else 0.0
            self.solver.Add(self.y[s] <= info["n"])
        for k, parts in load.items():
            self.solver.Add(self.solver.Sum(parts) <= minutes[k])
        for s, value in fixed.items():
            self.solver.Add(self.y[s] >= value - EPS)
        self.t = self.solver.NumVar(0.0, 1.0, "t")
        self.inf = inf

    def best(self, objective, floors: dict[Hashable, float]) -> float:
        """The largest value of `objective` with every stratum of `floors` at least its floor."""
        for s, value in floors.items():
            self.solver.Add(self.y[s] >= value - EPS)
        self.solver.Maximize(objective)
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return 0.0
        return self.solver.Objective().Value()


def _fill(minutes: dict[int, float], strata: dict[Hashable, dict], fixed: dict[Hashable, float],
          active: list[Hashable]) -> dict[Hashable, float]:
    """Progressive filling of the `active` strata over what the `fixed` ones leave: their quotas in visits."""
    quota: dict[Hashable, float] = {}
    active = [s for s in active if strata[s]["reach"]]
    while active:
        prog = _Programme(minutes, strata, {**fixed, **quota})
        for s in active:
            prog.solver.Add(prog.y[s] >= prog.t * strata[s]["n"])
        t = prog.best(prog.t, {})
        if t >= 1.0 - EPS:
            quota.update({s: float(strata[s]["n"]) for s in active})
            break
        still = []
        for s in active:
            # Can this stratum rise above the common share while the others keep it? If not, it stops here.
            test = _Programme(minutes, strata, {**fixed, **quota})
            top = test.best(test.y[s], {r: t * strata[r]["n"] for r in active if r != s})
            if top <= t * strata[s]["n"] + 1e-3:
                quota[s] = t * strata[s]["n"]
            else:
                still.append(s)
        if len(still) == len(active):   # numerical corner: stop rather than loop
            quota.update({s: t * strata[s]["n"] for s in still})
            break
        active = still
    return quota


def class_quotas(inst: Instance, usable, must: list[int],
                 key: Callable[[object], Hashable] = stratum) -> dict[tuple[int, Hashable], float]:
    """How many must-visits of each (class, stratum) the horizon holds, highest classes served first.

    Args:
        inst: the instance (inspectors' availability and limits).
        usable: eligible inspectors per facility (from `eligibility`).
        must: the must-visits to place (reachable ones).
        key: the stratum of a facility.
    Returns:
        {(class, stratum): visits}; a stratum that fits whole gets its size.
    """
    p = inst.p
    minutes = {k: float(inst.ins_avail[k].sum() * ins.max_minutes_per_day) for k, ins in enumerate(p.inspectors)}
    floor = {k: ins.max_minutes_per_day / ins.max_visits_per_day for k, ins in enumerate(p.inspectors)}
    groups: dict[tuple[int, Hashable], list[int]] = {}
    for f in must:
        groups.setdefault((priority_class(p.facilities[f].priority), key(p.facilities[f])), []).append(f)
    strata: dict[Hashable, dict] = {}
    for (c, s), members in groups.items():
        service = sum(p.facilities[f].service_minutes for f in members) / len(members)
        reach: dict[int, int] = {}
        for f in members:
            for k in usable[f]:
                reach[int(k)] = reach.get(int(k), 0) + 1
        strata[(c, s)] = {"n": len(members), "reach": reach,
                          "cost": {k: max(service + TRAVEL_PER_VISIT, floor[k]) for k in reach}}
    quotas: dict[tuple[int, Hashable], float] = {}
    for c in sorted({c for c, _ in groups}, reverse=True):
        # Only the strata of this class and above compete for the time: lower ones are not in the programme yet.
        live = {cs: info for cs, info in strata.items() if cs[0] >= c}
        mine = sorted((cs for cs in live if cs[0] == c), key=repr)
        quotas.update(_fill(minutes, live, {cs: quotas[cs] for cs in live if cs[0] > c}, mine))
        for cs in mine:
            quotas.setdefault(cs, 0.0)
    return quotas


def idle_skills(inst: Instance, short: frozenset, exempt: frozenset[int] = frozenset()) -> Callable[[int, int], bool]:
    """A test (inspector, facility) -> whether the visit leaves idle skills that visits waiting for capacity need.

    Inspector k wastes his skills at facility f when he may serve a stratum (region, skills) in `short` (the draw
    cut it: not all of its visits fit) needing a skill f does not: an inspector of nutrition and health at a
    visit of safety alone while kindergartens wait, not an inspector whose extra skill no waiting visit needs, and
    nobody when everything fits. Facilities in `exempt` (visits that take a long day, already weighted as a day
    of ordinary visits) never do.
    """
    p = inst.p
    needs = set(short)
    servable = []
    for ins in p.inspectors:
        held = set(ins.skills)
        servable.append([skills for region, skills in needs
                         if skills <= held and (ins.region is None or not region or region == ins.region)])
    cache: dict[tuple[int, frozenset[str]], bool] = {}

    def idle(k: int, f: int) -> bool:
        if f in exempt:
            return False
        skills = frozenset(p.facilities[f].skills)
        hit = cache.get((k, skills))
        if hit is None:
            hit = cache[(k, skills)] = any(not other <= skills for other in servable[k])
        return hit

    return idle

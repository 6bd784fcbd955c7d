"""Top-level solver: `solve()` runs the phases of the algorithm in order.

Eligibility -> shortage draw and lottery -> areas -> routing -> repair -> date shuffle -> timing.
Reproducibility: the only inputs are the problem, the seed and the time limit. The time limit is
turned into a deterministic work budget, so results do not depend on machine speed or on the
number of worker processes. A wall-clock cap far above the limit (3x, at least 30 s) is a safety net
for a machine overloaded beyond reason; a run that hits it reports ``"hit_wall_clock_cap": true``
and may not be reproducible.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .areas import Area, area_task, make_areas, vehicle_days
from .dates import shuffle_dates
from .eligibility import REASON_CAPACITY, Instance, eligibility
from .fairness import Groups, fairness_stats
from .lottery import draw_optional
from .priority import Tiers, draw_tiers
from .problem import Problem
from .quotas import class_quotas, idle_skills
from .repair import insert_skipped
from .routing import AreaResult, budget, run_areas
from .schedule import Route, Schedule, Stop, Unscheduled
from .timing import Legs, route_km, time_route

# Deterministic estimate of eligibility/lottery/assignment time (30,000 facilities: ~2 s).
SETUP_SECONDS = 0.3
SETUP_SECONDS_PER_FACILITY = 0.0001
# Share of the time limit given to the routing phase (the rest: set-up, repair, output).
ROUTING_SHARE = 0.7
# The wall-clock cap of a capped run, as a multiple of the time limit: the budget is sized for
# ROUTING_SHARE of the limit on an idle machine, so only extreme overload reaches it.
CAP_FACTOR = 3.0
# ... and never less than this many seconds, so short builds survive a machine several times oversubscribed.
CAP_MIN_SECONDS = 30.0
# The "deadline" of an uncapped run: far enough never to bind, finite for OR-Tools' time parameters.
UNCAPPED_SECONDS = 10**6
# Without a `fill` in the problem: share of the spare capacity the legacy lottery may use at most.
LEGACY_SPARE_SHARE = 0.5
# With fill above this, every available day of an inspector becomes a vehicle (capacity is the goal).
ALL_DAYS_FILL = 2.0


@dataclass(frozen=True)
class SolveOptions:
    """Tuning knobs; the defaults are what the CLI uses."""

    randomize: bool = True
    workers: int = 1
    optional_fraction: float = 0.15
    max_area_facilities: int = 100
    neighbours: int = 8
    jitter: float = 0.03
    extra_days: int = 2
    day_slack: float = 0.33
    # Off for auditors rebuilding a published schedule: the same routes however slow the machine,
    # at the price of possibly running past the time limit (which then only sets the work budget).
    wall_clock_cap: bool = True
    # Overrides the problem's `fill` when given.
    fill: float | None = None


@dataclass
class Targets:
    """What the routing tries to place: must-visits, drawn optional visits, and their tiers."""

    must: list[int]
    drawn: list[int]
    tiers: Tiers
    fill: float | None

    @property
    def all(self) -> list[int]:
        """Must-visits then drawn optional facilities."""
        return self.must + self.drawn


def choose_targets(inst: Instance, usable, reasons: dict[int, str], opts: SolveOptions, seed: int) -> Targets:
    """The shortage draw over must-visits and the lottery of optional visits, from one capacity estimate."""
    p = inst.p
    must = [f for f, fac in enumerate(p.facilities) if fac.must_visit and f not in reasons]
    optional_all = [f for f, fac in enumerate(p.facilities) if not fac.must_visit]
    optional_ok = [f for f in optional_all if f not in reasons]
    service = float(np.mean([p.facilities[f].service_minutes for f in must])) if must else 90.0
    capacity = sum(inst.capacity(k, service) for k in range(len(p.inspectors)))
    spare = max(0.0, capacity - len(must))
    fill = opts.fill if opts.fill is not None else p.fill
    if fill is None:
        expected = min(opts.optional_fraction * len(optional_all), LEGACY_SPARE_SHARE * spare)
    else:
        expected = fill * spare
    # Independent streams, so adding draws in one phase never shifts another phase.
    drawn_fac = draw_optional([p.facilities[f] for f in optional_ok], random.Random(f"{seed}:lottery"), expected)
    drawn_ids = {id(x) for x in drawn_fac}
    drawn = [f for f in optional_ok if id(p.facilities[f]) in drawn_ids]
    # The draw cuts every stratum (region, skills) at its share of the nominal capacity (measured on the shortage
    # benchmark: the routing places about the nominal number); its bands around it absorb the error either way.
    quota = class_quotas(inst, usable, must)
    tiers = draw_tiers(p, must, drawn, quota, random.Random(f"{seed}:shortage"), inst.lone_minutes)
    return Targets(must, drawn, tiers, fill)


def route_areas(inst: Instance, areas: list[Area], usable, targets: Targets, opts: SolveOptions, seed: int,
                time_limit: float, deadline: float, tell: Callable[[dict], None],
                idle=None) -> tuple[list, list[AreaResult]]:
    """Build every area's model with its deterministic budget and route them all."""
    p = inst.p
    # The set-up time is estimated from the size, never measured: the budget must not
    # depend on the clock, or the routes would not be reproducible.
    setup = SETUP_SECONDS + SETUP_SECONDS_PER_FACILITY * len(p.facilities)
    routing_seconds = max(0.5, time_limit * ROUTING_SHARE - setup)
    total_nodes = sum(len(a.facilities) for a in areas) or 1
    all_days = targets.fill is not None and targets.fill > ALL_DAYS_FILL
    tasks = []
    must = frozenset(targets.must)
    for key, area in enumerate(areas):
        days = vehicle_days(inst, area, opts.extra_days, opts.day_slack, all_days)
        starts, lns = budget(len(area.facilities) + len(area.inspectors),
                             routing_seconds * len(area.facilities) / total_nodes)
        tasks.append(area_task(inst, key, area, usable, targets.tiers.penalty, days, starts, lns,
                               f"{seed}:lns:{key}", deadline, idle, must))
    progress = {"areas_done": 0, "visits_routed": 0}

    def finished(t: int, res: AreaResult) -> None:
        progress["areas_done"] += 1
        progress["visits_routed"] += sum(len(seq) for _, seq in res.routes)
        tell({"phase": "routing", "areas": len(tasks), **progress})

    tell({"phase": "routing", "areas_done": 0, "areas": len(tasks), "visits_routed": 0})
    return tasks, run_areas(tasks, opts.workers, finished)


def collect(inst: Instance, tasks, results: list[AreaResult], areas: list[Area], targets: Targets,
            legs: Legs) -> tuple[dict, list[int], bool]:
    """Routes by (inspector, date index), skipped facilities (most important first), whether a cap was hit."""
    p = inst.p
    routes: dict[tuple[int, int], list[int]] = {}
    skipped: list[int] = []
    hit_cap = False
    for task, res in zip(tasks, results):
        hit_cap |= res.hit_cap
        for v, seq in res.routes:
            k, d = task.vehicle_ids[v]
            # The solver's matrix and the canonical legs agree; trim defensively if not.
            while seq and time_route(seq, k, p, legs) is None:
                skipped.append(seq.pop())
            if seq:
                routes[(k, d)] = seq
        skipped.extend(res.dropped)
    in_area = {f for a in areas for f in a.facilities}
    skipped.extend(f for f in targets.all if f not in in_area)
    rank = targets.tiers.rank
    skipped.sort(key=lambda f: rank[f])
    return routes, skipped, hit_cap


def write_schedule(p: Problem, routes: dict, reasons: dict[int, str], legs: Legs, targets: Targets,
                   seed: int, stats: dict) -> Schedule:
    """Time every route (leave home as late as possible) and assemble the schedule."""
    out_routes = []
    for (k, d), seq in routes.items():
        timed = time_route(seq, k, p, legs)
        assert timed is not None
        depart, starts, ret = timed
        stops = tuple(Stop(p.facilities[f].id, s, s + p.facilities[f].service_minutes) for f, s in zip(seq, starts))
        out_routes.append((d, p.inspectors[k].id, Route(p.inspectors[k].id, p.dates[d], depart, ret, stops,
                                                        round(route_km(seq, k, legs), 1))))
    out_routes.sort(key=lambda x: (x[0], x[1]))
    routed = {f for seq in routes.values() for f in seq}
    unscheduled = [Unscheduled(p.facilities[f].id, reasons[f]) for f in range(len(p.facilities))
                   if p.facilities[f].must_visit and f not in routed]
    final = [r for _, _, r in out_routes]
    stats = {
        "must_visit": sum(1 for f in p.facilities if f.must_visit),
        "must_visit_scheduled": sum(1 for f in routed if p.facilities[f].must_visit),
        "optional_drawn": len(targets.drawn),
        "optional_scheduled": sum(1 for f in routed if not p.facilities[f].must_visit),
        "travel_km": round(sum(r.travel_km for r in final), 1),
        **stats,
    }
    return Schedule(seed, p.sha256, final, unscheduled, stats)


def solve(problem: Problem, seed: int | None = None, time_limit: float = 30.0,
          options: SolveOptions | None = None, progress: Callable[[dict], None] | None = None,
          **kwargs) -> Schedule:
    """Build a schedule; same problem + seed + time_limit give identical routes.

    `progress`, when given, is called with a dict after each phase and each routed area: `phase`,
    `areas_done`, `areas`, and the best so far as `visits_routed` (it never changes the result; an
    exception it raises, such as a cancellation, stops the solve).
    """
    opts = options or SolveOptions(**kwargs)
    tell = progress or (lambda info: None)
    wall0 = time.time()
    if seed is None:
        seed = secrets.randbelow(2**31)
    deadline = wall0 + (max(CAP_FACTOR * time_limit, CAP_MIN_SECONDS) if opts.wall_clock_cap else UNCAPPED_SECONDS)
    p = problem
    inst = Instance(p)
    usable, reasons = eligibility(inst)
    tell({"phase": "eligibility", "areas_done": 0, "areas": 0, "visits_routed": 0})
    targets = choose_targets(inst, usable, reasons, opts, seed)
    # A visit weighted for a long day is worth a day of ordinary visits to whoever makes it: no skill price on it.
    idle = idle_skills(inst, targets.tiers.cut_strata, targets.tiers.long_day)
    areas = make_areas(inst, targets.all, usable, targets.tiers.standing, opts, random.Random(f"{seed}:assign"), idle)
    tasks, results = route_areas(inst, areas, usable, targets, opts, seed, time_limit, deadline, tell, idle)
    legs = Legs(p)
    routes, skipped, hit_cap = collect(inst, tasks, results, areas, targets, legs)
    tell({"phase": "repair", "areas_done": len(tasks), "areas": len(tasks),
          "visits_routed": sum(len(seq) for seq in routes.values())})
    if opts.randomize:
        routes = shuffle_dates(inst, routes, random.Random(f"{seed}:dates"))
    for f in insert_skipped(inst, routes, skipped, usable, legs, random.Random(f"{seed}:repair"), targets.tiers):
        if p.facilities[f].must_visit:
            reasons[f] = REASON_CAPACITY
    stats = {"fairness": fairness_stats(Groups(inst, usable, reasons), routes),
             "areas": len(tasks), "time_limit": time_limit, "randomize": opts.randomize,
             "fill": targets.fill, "solve_seconds": round(time.time() - wall0, 2),
             "hit_wall_clock_cap": hit_cap or time.time() > deadline, "workers": opts.workers}
    return write_schedule(p, routes, reasons, legs, targets, seed, stats)

"""Top-level solver: eligibility, lottery, area decomposition, routing, repair, date shuffle.

Reproducibility: the only inputs are the problem, the seed and the time limit. The time
limit is turned into a deterministic work budget (a number of descent restarts per area),
so results do not depend on machine speed or on the number of worker processes. A hard
wall-clock cap a little above the limit protects against overloaded machines; a run
that hits it reports ``"hit_wall_clock_cap": true`` and may not be reproducible.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .lottery import draw_optional
from .model import MUST_PENALTY, OPTIONAL_PENALTY, STRATEGIES, AreaTask, build_model, search_parameters
from .problem import Facility, Problem
from .schedule import Route, Schedule, Stop, Unscheduled
from .travel import great_circle_km, km_matrix, minutes_from_km, minutes_matrix

# Seconds of one first-solution + descent per area node (measured on the regional
# benchmark on a shared 2-core machine: 3-7 ms per node at 70-90 nodes; kept pessimistic).
SECONDS_PER_NODE = 0.008
# Seconds of one ruin-and-recreate descent per area node (measured 1.5-2 ms; kept pessimistic).
LNS_SECONDS_PER_NODE = 0.003
# Share of an area's time given to the multi-start; the rest goes to ruin-and-recreate.
STARTS_SHARE = 0.35
# Deterministic estimate of eligibility/lottery/assignment time (30,000 facilities: ~2 s).
SETUP_SECONDS = 0.3
SETUP_SECONDS_PER_FACILITY = 0.0001
# Share of the time limit given to the routing phase (the rest: set-up, repair, output).
ROUTING_SHARE = 0.7

# Nearest eligible inspectors tried by the repair pass for each skipped facility.
REPAIR_CANDIDATES = 30
# The "deadline" of an uncapped run: far enough never to bind, finite for OR-Tools' time parameters.
UNCAPPED_SECONDS = 10**6

REASON_NO_SKILL = "no inspector holds its skills ({skills})"
REASON_EXCLUDED = "every inspector holding its skills is excluded (conflict of interest)"
REASON_REGION = "no inspector of region {region} holds its skills"
REASON_WINDOW = "no opening window is as long as its service time"
REASON_NO_DATE = "no date where an eligible inspector is available and the facility may be visited"
REASON_TOO_FAR = ("too far: no eligible inspector can reach it, serve it inside a window and "
                  "return home within the day")
REASON_CAPACITY = "capacity exhausted: every feasible inspector-day is full"


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


@dataclass
class AreaResult:
    """What one area's routing returned."""

    key: int
    routes: list[tuple[int, list[int]]]
    dropped: list[int]
    seconds: float
    hit_cap: bool


class Legs:
    """Canonical (geopy) travel minutes and road km between homes and facilities, cached."""

    def __init__(self, problem: Problem):
        self.p = problem
        self._cache: dict[tuple, tuple[int, float]] = {}

    def _point(self, node: tuple[str, int]) -> tuple[float, float]:
        obj = self.p.inspectors[node[1]] if node[0] == "i" else self.p.facilities[node[1]]
        return obj.lat, obj.lon

    def leg(self, a: tuple[str, int], b: tuple[str, int]) -> tuple[int, float]:
        """(minutes, road km) from node a to node b."""
        key = (a, b)
        hit = self._cache.get(key)
        if hit is None:
            km = great_circle_km(*self._point(a), *self._point(b))
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


def _nodes(task: AreaTask, manager, routing, solution) -> list[list[int]]:
    """Node sequence of every vehicle (empty lists included)."""
    routes = []
    for v in range(len(task.vehicle_home)):
        seq = []
        idx = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(idx):
            seq.append(manager.IndexToNode(idx))
            idx = solution.Value(routing.NextVar(idx))
        routes.append(seq)
    return routes


def _ruin_and_recreate(task: AreaTask, best: list[list[int]], best_cost: int) -> tuple[list[list[int]], bool]:
    """Deterministic LNS: remove a seeded-random cluster of visits, re-optimise by descent, keep if better."""
    rng = random.Random(task.rng_seed)
    manager, routing = build_model(task)
    hit = False
    for _ in range(task.lns_iterations):
        left = task.deadline - time.time()
        if left <= 0.05:
            hit = True
            break
        performed = [n for seq in best for n in seq]
        if len(performed) < 2:
            break
        # Removing neighbours of a random visit lets the descent rebuild that part of the map.
        centre = rng.choice(performed)
        q = max(3, min(len(performed) // 6, 25))
        removed = set(sorted(performed, key=lambda n: (task.metres[centre][n], n))[:q])
        partial = [[manager.NodeToIndex(n) for n in seq if n not in removed] for seq in best]
        start = routing.ReadAssignmentFromRoutes(partial, True)
        if start is None:
            continue
        solution = routing.SolveFromAssignmentWithParameters(start, search_parameters(STRATEGIES[0], left))
        if time.time() >= task.deadline:
            hit = True
        if solution is not None and solution.ObjectiveValue() < best_cost:
            best, best_cost = _nodes(task, manager, routing, solution), solution.ObjectiveValue()
    return best, hit


def solve_area(task: AreaTask) -> AreaResult:
    """Route one area: deterministic multi-start descent, then ruin-and-recreate (a worker process when workers > 1)."""
    t0 = time.time()
    best, best_cost, hit = None, None, False
    for j in range(max(1, task.starts)):
        left = task.deadline - time.time()
        if left <= 0.05 and best is not None:
            hit = True
            break
        manager, routing = build_model(task)
        solution = routing.SolveWithParameters(search_parameters(STRATEGIES[j % len(STRATEGIES)], max(0.2, left)))
        if time.time() >= task.deadline:
            hit = True
        if solution is None:
            continue
        cost = solution.ObjectiveValue()
        if best_cost is None or cost < best_cost:
            best, best_cost = _nodes(task, manager, routing, solution), cost
    if best is not None and task.lns_iterations > 0:
        best, lns_hit = _ruin_and_recreate(task, best, best_cost)
        hit |= lns_hit
    routes = [(v, [task.facility_ids[n - task.n_homes] for n in seq]) for v, seq in enumerate(best or []) if seq]
    served = {f for _, seq in routes for f in seq}
    dropped = [f for f in task.facility_ids if f not in served]
    return AreaResult(task.key, routes, dropped, time.time() - t0, hit)


class _Instance:
    """Derived arrays: masks of skills, dates, availability; eligibility per facility."""

    def __init__(self, problem: Problem):
        p = problem
        self.p = p
        self.date_index = {d: k for k, d in enumerate(p.dates)}
        skills = sorted({s for f in p.facilities for s in f.skills} | {s for i in p.inspectors for s in i.skills})
        bit = {s: 1 << k for k, s in enumerate(skills)}
        self.fac_skill = [sum(bit[s] for s in f.skills) for f in p.facilities]
        self.ins_skill = [sum(bit[s] for s in i.skills) for i in p.inspectors]
        nd = len(p.dates)
        self.fac_dates = np.zeros((len(p.facilities), nd), dtype=bool)
        for k, f in enumerate(p.facilities):
            self.fac_dates[k, [self.date_index[d] for d in f.dates]] = True
        self.ins_avail = np.ones((len(p.inspectors), nd), dtype=bool)
        for k, i in enumerate(p.inspectors):
            for d in i.unavailable_dates:
                self.ins_avail[k, self.date_index[d]] = False
        self.ins_index = {i.id: k for k, i in enumerate(p.inspectors)}
        self.regions: dict[str | None, list[int]] = {}
        for k, i in enumerate(p.inspectors):
            self.regions.setdefault(i.region, []).append(k)

    def candidate_inspectors(self, f: int) -> list[int]:
        """Inspectors of the facility's region (all inspectors if it has none)."""
        region = self.p.facilities[f].region
        if region is None or not any(i.region is not None for i in self.p.inspectors):
            return list(range(len(self.p.inspectors)))
        return self.regions.get(region, []) + [k for k in self.regions.get(None, [])]


def _eligibility(inst: _Instance):
    """Usable inspectors per facility, or the reason none is usable."""
    p = inst.p
    tr = p.travel
    usable: list[np.ndarray] = []
    reasons: dict[int, str] = {}
    ins_lat = np.array([i.lat for i in p.inspectors])
    ins_lon = np.array([i.lon for i in p.inspectors])
    ins_start = np.array([i.day_start for i in p.inspectors])
    ins_end = np.array([i.day_end for i in p.inspectors])
    ins_max = np.array([i.max_minutes_per_day for i in p.inspectors])
    ins_skill = np.array(inst.ins_skill, dtype=object)
    for f, fac in enumerate(p.facilities):
        cand = np.array(inst.candidate_inspectors(f), dtype=int)
        fmask = inst.fac_skill[f]
        has_skill = np.array([(fmask & ~int(m)) == 0 for m in ins_skill[cand]], dtype=bool) if len(cand) else \
            np.zeros(0, dtype=bool)
        if not has_skill.any():
            everywhere = any((fmask & ~m) == 0 for m in inst.ins_skill)
            if fac.region is not None and everywhere:
                reasons[f] = REASON_REGION.format(region=fac.region)
            else:
                reasons[f] = REASON_NO_SKILL.format(skills=", ".join(fac.skills))
            usable.append(np.zeros(0, dtype=int))
            continue
        cand = cand[has_skill]
        if all(w.end - w.start < fac.service_minutes for w in fac.windows):
            reasons[f] = REASON_WINDOW
            usable.append(np.zeros(0, dtype=int))
            continue
        excluded = {inst.ins_index[x] for x in fac.excluded_inspectors}
        cand = np.array([k for k in cand if k not in excluded], dtype=int)
        if not len(cand):
            reasons[f] = REASON_EXCLUDED
            usable.append(cand)
            continue
        common = (inst.ins_avail[cand] & inst.fac_dates[f][None, :]).any(axis=1)
        cand = cand[common]
        if not len(cand):
            reasons[f] = REASON_NO_DATE
            usable.append(cand)
            continue
        km = km_matrix(ins_lat[cand], ins_lon[cand], [fac.lat], [fac.lon])[:, 0]
        t = minutes_matrix(km, tr.speed_kmh, tr.road_factor)
        ok = np.zeros(len(cand), dtype=bool)
        # A lone visit must fit: out, wait for a window, serve, back, within the day limits.
        for w in fac.windows:
            s = np.maximum(w.start, ins_start[cand] + t)
            ok |= (s + fac.service_minutes <= w.end) & (s + fac.service_minutes + t <= ins_end[cand]) & \
                (2 * t + fac.service_minutes <= ins_max[cand])
        cand = cand[ok]
        if not len(cand):
            reasons[f] = REASON_TOO_FAR
        usable.append(cand)
    return usable, reasons


def _capacity(inst: _Instance, k: int, service: float) -> int:
    ins = inst.p.inspectors[k]
    days = int(inst.ins_avail[k].sum())
    per_day = min(ins.max_visits_per_day, max(1, int(ins.max_minutes_per_day // (service + 35))))
    # Leave slack: windows and travel make the nominal capacity unreachable in practice.
    return int(days * per_day * 0.85)


def _assign(inst: _Instance, targets: list[int], usable, opts: SolveOptions, rng: random.Random):
    """Facility -> inspector by min-cost flow on (jittered) round-trip km with capacities."""
    p = inst.p
    tr = p.travel
    ins_ids = sorted({int(k) for f in targets for k in usable[f]})
    col = {k: c for c, k in enumerate(ins_ids)}
    if not targets:
        return {}
    fl = np.array([p.facilities[f].lat for f in targets])
    fo = np.array([p.facilities[f].lon for f in targets])
    il = np.array([p.inspectors[k].lat for k in ins_ids])
    io = np.array([p.inspectors[k].lon for k in ins_ids])
    km = km_matrix(fl, fo, il, io) * tr.road_factor
    service = float(np.mean([p.facilities[f].service_minutes for f in targets]))
    flow = min_cost_flow.SimpleMinCostFlow()
    nF, nI = len(targets), len(ins_ids)
    sink = nF + nI
    nearest: dict[int, int] = {}
    for r, f in enumerate(targets):
        cols = np.array([col[int(k)] for k in usable[f]], dtype=int)
        order = cols[np.argsort(km[r, cols], kind="stable")][: opts.neighbours]
        nearest[f] = ins_ids[int(order[0])]
        for c in order:
            noise = 1.0 + opts.jitter * (2.0 * rng.random() - 1.0) if opts.randomize else 1.0
            flow.add_arc_with_capacity_and_unit_cost(r, nF + int(c), 1, int(2 * km[r, c] * 100 * noise) + 1)
        big = 10**9 if p.facilities[f].must_visit else 10**7
        flow.add_arc_with_capacity_and_unit_cost(r, sink, 1, big)
        flow.set_node_supply(r, 1)
    for c, k in enumerate(ins_ids):
        flow.add_arc_with_capacity_and_unit_cost(nF + c, sink, _capacity(inst, k, service), 0)
    flow.set_node_supply(sink, -nF)
    status = flow.solve()
    if status != flow.OPTIMAL:
        return nearest
    owner = dict(nearest)
    for a in range(flow.num_arcs()):
        if flow.flow(a) > 0 and flow.tail(a) < nF and flow.head(a) < sink:
            owner[targets[flow.tail(a)]] = ins_ids[flow.head(a) - nF]
    return owner


def _split_areas(inst: _Instance, ins_list: list[int], load: dict[int, int], limit: int) -> list[list[int]]:
    """Recursive bisection of inspectors' homes until each area's facility load <= limit."""
    total = sum(load.get(k, 0) for k in ins_list)
    if total <= limit or len(ins_list) < 2:
        return [ins_list]
    p = inst.p
    lat = np.array([p.inspectors[k].lat for k in ins_list])
    lon = np.array([p.inspectors[k].lon for k in ins_list]) * np.cos(np.radians(lat.mean()))
    axis = lat if np.ptp(lat) >= np.ptp(lon) else lon
    order = [ins_list[j] for j in np.argsort(axis, kind="stable")]
    acc, cut = 0, 1
    for j, k in enumerate(order[:-1]):
        acc += load.get(k, 0)
        cut = j + 1
        if acc * 2 >= total:
            break
    return _split_areas(inst, order[:cut], load, limit) + _split_areas(inst, order[cut:], load, limit)


def _area_task(inst: _Instance, key: int, ins_list: list[int], facs: list[int], usable,
               starts: int, lns: int, rng_seed: str, deadline: float,
               days: dict) -> AreaTask:
    p = inst.p
    tr = p.travel
    lat = [p.inspectors[k].lat for k in ins_list] + [p.facilities[f].lat for f in facs]
    lon = [p.inspectors[k].lon for k in ins_list] + [p.facilities[f].lon for f in facs]
    km = km_matrix(lat, lon, lat, lon)
    minutes = minutes_matrix(km, tr.speed_kmh, tr.road_factor)
    metres = np.rint(km * tr.road_factor * 1000).astype(np.int64)
    H = len(ins_list)
    service = [0] * H + [p.facilities[f].service_minutes for f in facs]
    windows: list[list[tuple[int, int]]] = [[(0, 1440)] for _ in range(H)]
    for f in facs:
        fac = p.facilities[f]
        windows.append([(w.start, w.end - fac.service_minutes) for w in fac.windows
                        if w.end - fac.service_minutes >= w.start])
    v_home, v_ids, v_start, v_end, v_vis, v_min = [], [], [], [], [], []
    for h, k in enumerate(ins_list):
        ins = p.inspectors[k]
        for d in days[k]:
            v_home.append(h)
            v_ids.append((k, int(d)))
            v_start.append(ins.day_start)
            v_end.append(ins.day_end)
            v_vis.append(ins.max_visits_per_day)
            v_min.append(ins.max_minutes_per_day)
    allowed, penalty = [], []
    for f in facs:
        ok = set(int(k) for k in usable[f])
        allowed.append([v for v, (k, d) in enumerate(v_ids) if k in ok and inst.fac_dates[f, d]])
        penalty.append(MUST_PENALTY if p.facilities[f].must_visit else OPTIONAL_PENALTY)
    return AreaTask(
        key=key, n_homes=H, minutes=minutes.tolist(), metres=metres.tolist(), service=service,
        windows=windows, vehicle_home=v_home, vehicle_day_start=v_start, vehicle_day_end=v_end,
        vehicle_max_visits=v_vis, vehicle_max_minutes=v_min, allowed=allowed, penalty=penalty,
        facility_ids=list(facs), vehicle_ids=v_ids, starts=starts, lns_iterations=lns, rng_seed=rng_seed,
        deadline=deadline,
    )


def _vehicle_days(inst: _Instance, group: list[int], facs: list[int], owner: dict, extra_days: int,
                  day_slack: float) -> dict[int, list[int]]:
    """Which dates of each inspector become vehicles: enough days for the load, spread out.

    Dates are re-drawn afterwards (see _shuffle_dates), so only their number and the
    coverage of date-restricted facilities matter here.
    """
    p = inst.p
    out = {}
    for k in group:
        ins = p.inspectors[k]
        mine = [f for f in facs if owner[f] == k]
        avail = [int(d) for d in np.flatnonzero(inst.ins_avail[k])]
        service = float(np.mean([p.facilities[f].service_minutes for f in mine])) if mine else 90.0
        per_day = min(ins.max_visits_per_day, max(1, int(ins.max_minutes_per_day // (service + 40))))
        need = -(-len(mine) // per_day)
        n = min(len(avail), need + extra_days + int(need * day_slack))
        chosen = {avail[int(j * len(avail) / n)] for j in range(n)} if n else set()
        # Date-restricted facilities need at least one of their own dates among the vehicles.
        for f in mine:
            ok = [d for d in avail if inst.fac_dates[f, d]]
            if ok and not any(d in chosen for d in ok):
                chosen.add(ok[len(ok) // 2])
        out[k] = sorted(chosen)
    return out


def _budget(n_nodes: int, seconds: float) -> tuple[int, int]:
    """Deterministic (descent starts, ruin-and-recreate iterations) that fit `seconds` for an area."""
    n = max(10, n_nodes)
    starts = max(1, min(len(STRATEGIES), int(STARTS_SHARE * seconds / (SECONDS_PER_NODE * n))))
    rest = seconds - starts * SECONDS_PER_NODE * n
    return starts, max(0, int(rest / (LNS_SECONDS_PER_NODE * n)))


def _repair(inst: _Instance, routes: dict, dropped: list[int], usable, legs: Legs) -> list[int]:
    """Cheapest feasible insertion of skipped facilities into any eligible inspector-day."""
    p = inst.p
    left = []
    for f in dropped:
        cands = list(usable[f])
        cands.sort(key=lambda k: (legs.leg(("i", int(k)), ("f", f))[1], int(k)))
        best = None
        for k in cands[:REPAIR_CANDIDATES]:
            k = int(k)
            ins = p.inspectors[k]
            tried_empty = False
            for d in np.flatnonzero(inst.ins_avail[k] & inst.fac_dates[f]):
                d = int(d)
                seq = routes.get((k, d), [])
                if not seq:
                    if tried_empty:
                        continue
                    tried_empty = True
                if len(seq) >= ins.max_visits_per_day:
                    continue
                base = route_km(seq, k, legs) if seq else 0.0
                for pos in range(len(seq) + 1):
                    new = seq[:pos] + [f] + seq[pos:]
                    if time_route(new, k, p, legs) is None:
                        continue
                    delta = route_km(new, k, legs) - base
                    if best is None or delta < best[0] - 1e-9:
                        best = (delta, k, d, new)
        if best is None:
            left.append(f)
            continue
        _, k, d, new = best
        routes[(k, d)] = new
    return left


def _random_matching(adj: list[list[int]], order: list[int]) -> dict[int, int] | None:
    """Perfect matching routes -> dates by augmenting paths, in the (shuffled) given order."""
    match_date: dict[int, int] = {}

    def augment(r: int, seen: set) -> bool:
        """Find a free date for route r, displacing others along an augmenting path."""
        for d in adj[r]:
            if d in seen:
                continue
            seen.add(d)
            if d not in match_date or augment(match_date[d], seen):
                match_date[d] = r
                return True
        return False

    for r in order:
        if not augment(r, set()):
            return None
    return match_date


def _shuffle_dates(inst: _Instance, routes: dict, rng: random.Random) -> dict:
    """Randomly re-assign each inspector's day-routes to his dates (perfect matching)."""
    by_ins: dict[int, list[tuple[int, list[int]]]] = {}
    for (k, d), seq in sorted(routes.items()):
        by_ins.setdefault(k, []).append((d, seq))
    out = {}
    for k in sorted(by_ins):
        items = by_ins[k]
        avail = np.flatnonzero(inst.ins_avail[k])
        adj = []
        for _, seq in items:
            ok = inst.fac_dates[seq].all(axis=0)
            adj.append([int(d) for d in avail if ok[d]])
        order = list(range(len(items)))
        rng.shuffle(order)
        for a in adj:
            rng.shuffle(a)
        match_date = _random_matching(adj, order)
        if match_date is None:
            # Cannot happen (the solver's dates are a matching); keep his dates then.
            out.update({(k, d): seq for d, seq in items})
            continue
        for d, r in match_date.items():
            out[(k, d)] = items[r][1]
    return out


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
    deadline = wall0 + (time_limit if opts.wall_clock_cap else UNCAPPED_SECONDS)
    p = problem
    inst = _Instance(p)
    usable, reasons = _eligibility(inst)
    tell({"phase": "eligibility", "areas_done": 0, "areas": 0, "visits_routed": 0})
    # Independent streams, so adding draws in one phase never shifts another phase.
    rng_lottery = random.Random(f"{seed}:lottery")
    rng_assign = random.Random(f"{seed}:assign")
    rng_dates = random.Random(f"{seed}:dates")

    must = [f for f, fac in enumerate(p.facilities) if fac.must_visit and f not in reasons]
    optional_all = [f for f, fac in enumerate(p.facilities) if not fac.must_visit]
    optional_ok = [f for f in optional_all if f not in reasons]
    service = float(np.mean([p.facilities[f].service_minutes for f in must])) if must else 90.0
    spare = sum(_capacity(inst, k, service) for k in range(len(p.inspectors))) - len(must)
    expected = min(opts.optional_fraction * len(optional_all), max(0.0, 0.5 * spare))
    drawn_fac = draw_optional([p.facilities[f] for f in optional_ok], rng_lottery, expected)
    drawn_ids = {id(x) for x in drawn_fac}
    drawn = [f for f in optional_ok if id(p.facilities[f]) in drawn_ids]
    targets = must + drawn

    # Areas: per region, facility -> inspector by min-cost flow, then bisect inspectors' homes.
    region_of = {}
    for f in targets:
        region_of.setdefault(p.facilities[f].region if len(inst.regions) > 1 else None, []).append(f)
    areas: list[tuple[list[int], list[int]]] = []
    taken: set[int] = set()
    for region in sorted(region_of, key=lambda r: (r is None, r or "")):
        facs = region_of[region]
        owner = _assign(inst, facs, usable, opts, rng_assign)
        load: dict[int, int] = {}
        for f in facs:
            load[owner[f]] = load.get(owner[f], 0) + 1
        # Idle inspectors join too: the routing may need their days (tight windows).
        # An inspector without a region may serve several regions but joins one area only,
        # so no inspector-day is planned twice.
        ins_list = sorted({int(k) for f in facs for k in usable[f]} - taken)
        taken.update(ins_list)
        for group in _split_areas(inst, ins_list, load, opts.max_area_facilities):
            gset = set(group)
            mine = [f for f in facs if owner[f] in gset]
            # An area needs both inspectors and facilities; orphans go to the repair pass.
            if group and mine:
                areas.append((group, mine, owner))

    # The set-up time is estimated from the size, never measured: the budget must not
    # depend on the clock, or the routes would not be reproducible.
    setup = SETUP_SECONDS + SETUP_SECONDS_PER_FACILITY * len(p.facilities)
    routing_seconds = max(0.5, time_limit * ROUTING_SHARE - setup)
    total_nodes = sum(len(a[1]) for a in areas) or 1
    tasks = []
    for key, (group, facs, owner) in enumerate(areas):
        days = _vehicle_days(inst, group, facs, owner, opts.extra_days, opts.day_slack)
        share = routing_seconds * len(facs) / total_nodes
        starts, lns = _budget(len(facs) + len(group), share)
        tasks.append(_area_task(inst, key, group, facs, usable, starts, lns, f"{seed}:lns:{key}", deadline - 1.0,
                                days))
    results: list[AreaResult | None] = [None] * len(tasks)
    routed = 0

    def finished(t: int, res: AreaResult) -> None:
        nonlocal routed
        results[t] = res
        routed += sum(len(seq) for _, seq in res.routes)
        tell({"phase": "routing", "areas_done": sum(r is not None for r in results), "areas": len(tasks),
              "visits_routed": routed})

    tell({"phase": "routing", "areas_done": 0, "areas": len(tasks), "visits_routed": 0})
    if opts.workers > 1 and len(tasks) > 1:
        order = sorted(range(len(tasks)), key=lambda t: -len(tasks[t].facility_ids))
        with ProcessPoolExecutor(max_workers=opts.workers) as pool:
            futures = {pool.submit(solve_area, tasks[t]): t for t in order}
            # Results are placed by area index, so the order in which they finish changes nothing.
            for future in as_completed(futures):
                finished(futures[future], future.result())
    else:
        for t, task in enumerate(tasks):
            finished(t, solve_area(task))

    legs = Legs(p)
    routes: dict[tuple[int, int], list[int]] = {}
    dropped: list[int] = []
    hit_cap = False
    for task, res in zip(tasks, results):
        hit_cap |= res.hit_cap
        for v, seq in res.routes:
            k, d = task.vehicle_ids[v]
            # The solver's matrix and the canonical legs agree; trim defensively if not.
            while seq and time_route(seq, k, p, legs) is None:
                dropped.append(seq.pop())
            if seq:
                routes[(k, d)] = seq
        dropped.extend(res.dropped)
    in_area = {f for _, facs, _ in areas for f in facs}
    dropped.extend(f for f in targets if f not in in_area)
    rank = {f: r for r, f in enumerate(targets)}
    dropped.sort(key=lambda f: (not p.facilities[f].must_visit, rank[f]))
    tell({"phase": "repair", "areas_done": len(tasks), "areas": len(tasks),
          "visits_routed": sum(len(seq) for seq in routes.values())})
    left = _repair(inst, routes, dropped, usable, legs)
    for f in left:
        if p.facilities[f].must_visit:
            reasons[f] = REASON_CAPACITY
    if opts.randomize:
        routes = _shuffle_dates(inst, routes, rng_dates)

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
    n_must = sum(1 for f in p.facilities if f.must_visit)
    final = [r for _, _, r in out_routes]
    stats = {
        "must_visit": n_must,
        "must_visit_scheduled": sum(1 for f in routed if p.facilities[f].must_visit),
        "optional_drawn": len(drawn),
        "optional_scheduled": sum(1 for f in routed if not p.facilities[f].must_visit),
        "travel_km": round(sum(r.travel_km for r in final), 1),
        "areas": len(tasks),
        "time_limit": time_limit,
        "randomize": opts.randomize,
        "solve_seconds": round(time.time() - wall0, 2),
        "hit_wall_clock_cap": hit_cap or time.time() > deadline + 0.5,
        "workers": opts.workers,
    }
    return Schedule(seed, p.sha256, final, unscheduled, stats)

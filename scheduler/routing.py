"""Routing of the areas: deterministic work budgets, multi-start descent, ruin-and-recreate, worker pool."""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from .lifetime import die_with_parent
from .model import STRATEGIES, AreaTask, build_model, search_parameters

# Seconds of one first-solution + descent per area node (measured on the regional
# benchmark on a shared 2-core machine: 3-7 ms per node at 70-90 nodes; kept pessimistic).
SECONDS_PER_NODE = 0.008
# Seconds of one ruin-and-recreate descent per area node (measured 1.5-2 ms; kept pessimistic).
LNS_SECONDS_PER_NODE = 0.003
# Share of an area's time given to the multi-start; the rest goes to ruin-and-recreate.
STARTS_SHARE = 0.35


@dataclass
class AreaResult:
    """What one area's routing returned: (vehicle, facility indexes) routes and the skipped facilities."""

    key: int
    routes: list[tuple[int, list[int]]]
    dropped: list[int]
    seconds: float
    hit_cap: bool


def budget(n_nodes: int, seconds: float) -> tuple[int, int]:
    """Deterministic (descent starts, ruin-and-recreate iterations) that fit `seconds` for an area."""
    n = max(10, n_nodes)
    starts = max(1, min(len(STRATEGIES), int(STARTS_SHARE * seconds / (SECONDS_PER_NODE * n))))
    rest = seconds - starts * SECONDS_PER_NODE * n
    return starts, max(0, int(rest / (LNS_SECONDS_PER_NODE * n)))


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


def run_areas(tasks: list[AreaTask], workers: int, finished: Callable[[int, AreaResult], None]) -> list[AreaResult]:
    """Route every area, in a process pool when workers > 1; results are placed by area index."""
    results: list[AreaResult | None] = [None] * len(tasks)

    def done(t: int, res: AreaResult) -> None:
        results[t] = res
        finished(t, res)

    if workers > 1 and len(tasks) > 1:
        order = sorted(range(len(tasks)), key=lambda t: -len(tasks[t].facility_ids))
        # The workers die with this process (a killed CLI or job leaves no solver running).
        lifetime = (signal.SIGKILL, os.getpid())
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=lifetime) as pool:
            futures = {pool.submit(solve_area, tasks[t]): t for t in order}
            # The order in which areas finish changes nothing.
            for future in as_completed(futures):
                done(futures[future], future.result())
    else:
        for t, task in enumerate(tasks):
            done(t, solve_area(task))
    return results

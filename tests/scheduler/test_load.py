"""Determinism under load: a capped build does its whole deterministic budget on a busy machine."""

import multiprocessing
import time

from scheduler.generator import generate
from scheduler.problem import parse_problem
from scheduler.solve import solve


def _burn(seconds: float) -> None:
    end = time.time() + seconds
    x = 0
    while time.time() < end:
        x = (x * 31 + 7) % 1000003


def _routes(sched):
    return [(r.inspector, r.date, [s.facility for s in r.stops]) for r in sched.routes]


def test_two_capped_runs_under_cpu_load_give_identical_routes():
    """With both cores busy, do two runs of one problem and seed (wall-clock cap on) route identically?"""
    problem = parse_problem(generate(facilities=60, must=30, inspectors=3, dates=5, seed=4))
    ctx = multiprocessing.get_context("spawn")
    burners = [ctx.Process(target=_burn, args=(20.0,), daemon=True) for _ in range(2)]
    for b in burners:
        b.start()
    try:
        runs = [solve(problem, seed=8, time_limit=1.0) for _ in range(2)]
    finally:
        for b in burners:
            b.terminate()
            b.join(5)
    assert [r.stats["hit_wall_clock_cap"] for r in runs] == [False, False]
    assert _routes(runs[0]) == _routes(runs[1]) and runs[0].routes

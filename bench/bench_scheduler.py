"""Scheduler benchmark: regional problem (default) or national problem (--national).

Regional: 1,500 facilities (600 must-visit), 40 inspectors, 22 dates, 30 s limit. Prints
validity, travel, km per visit, time, peak memory, counts, the unpredictability figure over
20 seeds (each seed with --seed-limit seconds, shorter than 30 s; the figure is about dates,
which the date shuffle draws independently of the routing budget), and the cost of
randomization against randomize=False with five times the time limit.

National: 30,000 facilities (12,000 must-visit), 700 inspectors, 20 regions, --time-limit
(default 240 s) with --workers (default 2); --compare-workers also runs workers=1.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scheduler.generator import generate  # noqa: E402
from scheduler.metrics import modal_date_share  # noqa: E402
from scheduler.problem import parse_problem  # noqa: E402
from scheduler.solve import solve  # noqa: E402
from scheduler.validate import validate  # noqa: E402


def peak_mb() -> float:
    """Peak resident memory of this process and its children, MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024.0


def report(label, problem, sched, wall):
    """Print the figures of one solve."""
    broken = validate(problem, sched)
    st = sched.stats
    visits = st["must_visit_scheduled"] + st["optional_scheduled"]
    reasons = Counter(u.reason.split(":")[0] for u in sched.unscheduled)
    print(f"[{label}] valid: {not broken} ({len(broken)} broken rules)")
    for line in broken[:5]:
        print("   ", line)
    print(f"[{label}] must-visit scheduled {st['must_visit_scheduled']}/{st['must_visit']}, "
          f"unscheduled by reason {dict(reasons)}; optional drawn {st['optional_drawn']}, "
          f"scheduled {st['optional_scheduled']}")
    print(f"[{label}] travel {st['travel_km']:.1f} km, {st['travel_km'] / max(1, visits):.1f} km per visit, "
          f"{len(sched.routes)} inspector-days, {st['areas']} areas")
    print(f"[{label}] solve {wall:.1f} s (limit {st['time_limit']:g} s, hit wall-clock cap: "
          f"{st['hit_wall_clock_cap']}), peak memory {peak_mb():.0f} MB")
    return broken


def regional(args):
    """Regional figures."""
    data = generate(1500, 600, 40, 22, seed=args.problem_seed)
    problem = parse_problem(data)
    t = time.time()
    sched = solve(problem, seed=1, time_limit=args.time_limit, workers=args.workers)
    report("regional", problem, sched, time.time() - t)
    must = [f.id for f in problem.facilities if f.must_visit]
    if args.seeds:
        t = time.time()
        runs = [solve(problem, seed=s, time_limit=args.seed_limit, workers=args.workers)
                for s in range(1, args.seeds + 1)]
        share = modal_date_share(runs, must)
        print(f"[unpredictability] mean share of seeds on a facility's most frequent date: {share:.3f} "
              f"over {args.seeds} seeds x {args.seed_limit:g} s (target <= 0.3; fixed order = 1.0; "
              f"{time.time() - t:.0f} s)")
    if args.cost:
        t = time.time()
        base = solve(problem, seed=1, time_limit=5 * args.time_limit, workers=args.workers, randomize=False)
        off = base.stats["travel_km"]
        on = sched.stats["travel_km"]
        print(f"[randomization cost] randomized {on:.1f} km at {args.time_limit:g} s vs randomize=False "
              f"{off:.1f} km at {5 * args.time_limit:g} s ({time.time() - t:.0f} s): "
              f"{100 * (on - off) / off:+.1f}% (target <= +15%)")


def national(args):
    """National figures."""
    t = time.time()
    data = generate(30000, 12000, 700, 22, seed=args.problem_seed, national=True)
    problem = parse_problem(data)
    print(f"[national] generated and parsed in {time.time() - t:.1f} s")
    worker_list = [args.workers] + ([1] if args.compare_workers and args.workers != 1 else [])
    results = []
    for w in worker_list:
        t = time.time()
        sched = solve(problem, seed=1, time_limit=args.time_limit, workers=w)
        wall = time.time() - t
        report(f"national workers={w}", problem, sched, wall)
        results.append(sched)
    if len(results) == 2:
        same = results[0].to_dict()["routes"] == results[1].to_dict()["routes"]
        print(f"[national] routes identical for workers={worker_list[0]} and 1: {same}")


def main() -> None:
    """Parse arguments and run."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--national", action="store_true")
    ap.add_argument("--time-limit", type=float, default=None, help="30 (regional) / 240 (national)")
    ap.add_argument("--workers", type=int, default=None, help="1 (regional) / 2 (national)")
    ap.add_argument("--seeds", type=int, default=20, help="seeds for the unpredictability figure (0: skip)")
    ap.add_argument("--seed-limit", type=float, default=5.0, help="time limit per unpredictability seed")
    ap.add_argument("--no-cost", dest="cost", action="store_false", help="skip the randomize=False run")
    ap.add_argument("--compare-workers", action="store_true", help="national: also run workers=1")
    ap.add_argument("--problem-seed", type=int, default=1)
    args = ap.parse_args()
    if args.national:
        args.time_limit = args.time_limit or 240.0
        args.workers = args.workers or 2
        national(args)
    else:
        args.time_limit = args.time_limit or 30.0
        args.workers = args.workers or 1
        regional(args)


if __name__ == "__main__":
    main()

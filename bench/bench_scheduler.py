"""Scheduler benchmark: regional problem (default) or national problem (--national).

Regional: 1,500 facilities (600 must-visit), 40 inspectors, 22 dates, 30 s limit. Prints
validity, travel, km per visit, time, peak memory, counts, the unpredictability figure over
20 seeds (each seed with --seed-limit seconds, shorter than 30 s; the figure is about dates,
which the date shuffle draws independently of the routing budget), and the cost of
randomization against randomize=False with five times the time limit.

Shortage (part of the regional run; --no-shortage skips it): 1,500 due facilities (all must-visit, seeded
priorities 1/2/3/5 independent of geography), 40 inspectors, 10 dates, 8 seeds at --shortage-limit s, uncapped
(the deterministic budget, whatever the load): visit rate of the farthest fifth (distance to the nearest
eligible home) against the nearest fifth, reachable facilities left out by every seed, share of priority >= 3
placed, every axis's ratios, the inspector-days under their visit cap, and for each facility no seed visited why
(its nearest eligible inspectors' visits by class and skills). Fill (--no-fill skips it): the regional problem with
"fill": 1.0 against a greedy nearest-feasible planner (bench/scheduler_baselines.py): visits and km per visit.

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

from scheduler_baselines import (  # noqa: E402
    SHORTAGE_PROBLEMS,
    fairness_figures,
    greedy_nearest,
    short_days,
    shortage_figures,
    shortage_problem,
)

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
    for v in broken[:5]:
        print("   ", v.message)
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


def shortage(args):
    """Who waits when due visits exceed capacity, on every generated problem: fairness on every axis, the draw,
    priorities."""
    for name, problem_seed, mix in SHORTAGE_PROBLEMS:
        if args.shortage_problems and name not in args.shortage_problems:
            continue
        problem = parse_problem(shortage_problem(problem_seed, mix))
        t = time.time()
        seeds = list(range(1, args.shortage_seeds + 1))
        runs = [solve(problem, seed=s, time_limit=args.shortage_limit, workers=args.workers, wall_clock_cap=False)
                for s in seeds]
        broken = sum(len(validate(problem, r)) for r in runs)
        f = shortage_figures(problem, runs)
        fair = fairness_figures(problem, runs, seeds)
        km = [r.stats["travel_km"] / max(1, sum(len(x.stops) for x in r.routes)) for r in runs]
        tag = f"[shortage {name}]"
        print(f"{tag} problem seed {problem_seed}, skills {mix}: 1,500 due / 40 inspectors / 10 dates, "
              f"{args.shortage_seeds} seeds x {args.shortage_limit:g} s uncapped ({time.time() - t:.0f} s): visits per "
              f"seed {min(f['visits'])}-{max(f['visits'])} (mean {sum(f['visits']) / len(runs):.0f}), km per visit "
              f"{min(km):.1f}-{max(km):.1f}, broken rules {broken}")
        ratio = f["far_rate"] / f["near_rate"]
        print(f"{tag} distance: nearest fifth ({f['near_km'][0]:.0f}-{f['near_km'][1]:.0f} km) {f['near_rate']:.2f}, "
              f"farthest fifth ({f['far_km'][0]:.0f}-{f['far_km'][1]:.0f} km) {f['far_rate']:.2f}: "
              f"{ratio:.2f}x (target >= 0.75x)")
        print(f"{tag} priority >= 3 placed: {100 * f['high_rate']:.1f}% of {f['high']} (target >= 95%)")
        for axis, rows in fair["rows"].items():
            cells = ", ".join(f"{r['key']}{_bounds(r)} {r['rate']:.2f} ({r['due']})" for r in rows if r["due"])
            worst = fair["worst"].get(axis)
            verdict = (f"; worst inside a class: {worst[2]} {worst[3]:.2f} vs {worst[4]} {worst[5]:.2f} = "
                       f"{worst[0]:.2f}x in class {worst[1]} (target >= 0.8x)") if worst else ""
            named = fair["named"].get(axis)
            if named:
                verdict += "; the engine's stats name it: " + ", ".join(
                    f"{reason or 'no reason'} in {n} of {len(runs)} seeds" for reason, n in sorted(
                        named.items(), key=lambda x: (-x[1], str(x[0]))))
            print(f"{tag} by {axis}: {cells}{verdict}")
        d = short_days(problem, runs)
        print(f"{tag} capacity: {d['days']:.0f} inspector-days per seed, {d['short']:.0f} of them under their "
              f"inspector's visit cap ({d['short_km']:.0f} km a day against {d['full_km']:.0f} on full days) holding "
              f"{d['short_visits']:.0f} visits, {d['short_lowest']:.0f} of class {d['lowest']}")
        never = fair["never"]
        print(f"{tag} reachable facilities left out by all {len(runs)} seeds: {len(never)} of {fair['reachable']} "
              f"(target <= 3), needing every skill within an hour of a holder: {len(fair['full_near'])} (target 0); "
              f"independent draws at these visit rates leave out {fair['chance']:.1f} by chance; drawn inside their "
              f"quota in no seed: {sum(1 for n in never if not n['inside'])}")
        for n in never[:20]:
            print(f"{tag}   {n['id']} {n['kind']} ({n['skills']}, priority {n['priority']:g}, {n['service']} min, "
                  f"hours {n['windows']}, {n['dates']} dates): {n['near_km']} km ({n['near_minutes']} min) from the "
                  f"nearest of {n['inspectors']} eligible inspectors; drawn inside the quota in {n['inside']} of "
                  f"{len(runs)} seeds; {n['reason']}")
            w = n["instead"]
            who = ", ".join(f"{k} {km:g} km" for k, km in w["inspectors"])
            print(f"{tag}     its {len(w['inspectors'])} nearest eligible ({who}) made {w['visits']:.0f} visits per "
                  f"seed in {w['days']:.0f} days ({w['km_per_day']:.0f} km a day): higher class {w['higher']:.0%}, "
                  f"its class needing fewer skills {w['fewer_skills']:.0%}, its skills "
                  f"{w['same_skills']:.0%}, other {w['other']:.0%}")


def _bounds(row: dict) -> str:
    """A range group's bounds for a bench line."""
    return f"[{row['range'][0]:g}-{row['range'][1]:g}]" if "range" in row else ""


def fill(args):
    """fill 1.0 against a greedy nearest-feasible planner."""
    data = generate(1500, 600, 40, 22, seed=args.problem_seed)
    data["fill"] = 1.0
    problem = parse_problem(data)
    t = time.time()
    g_visits, g_km = greedy_nearest(problem)
    print(f"[fill] greedy nearest-feasible: {g_visits} visits, {g_km:.0f} km, {g_km / g_visits:.1f} km per visit "
          f"({time.time() - t:.0f} s)")
    t = time.time()
    sched = solve(problem, seed=1, time_limit=args.time_limit, workers=args.workers, wall_clock_cap=False)
    st = sched.stats
    visits = st["must_visit_scheduled"] + st["optional_scheduled"]
    per = st["travel_km"] / visits
    print(f"[fill] engine fill 1.0 ({args.time_limit:g} s uncapped, {time.time() - t:.0f} s): {visits} visits "
          f"({st['optional_scheduled']} optional of {st['optional_drawn']} drawn), {st['travel_km']:.0f} km, "
          f"{per:.1f} km per visit, valid: {not validate(problem, sched)}")
    print(f"[fill] visits {visits / g_visits:.3f}x the greedy planner's (target >= 0.95x; before 0.90x), "
          f"km per visit {per / (g_km / g_visits):.3f}x (target <= 0.55x; before 0.61x)")


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
    ap.add_argument("--no-shortage", dest="shortage", action="store_false", help="skip the shortage figures")
    ap.add_argument("--shortage-limit", type=float, default=10.0, help="time limit per shortage seed")
    ap.add_argument("--shortage-seeds", type=int, default=8, help="solver seeds per shortage problem")
    ap.add_argument("--shortage-problems", nargs="*", default=None,
                    help="only these shortage problems: " + ", ".join(p[0] for p in SHORTAGE_PROBLEMS))
    ap.add_argument("--no-fill", dest="fill", action="store_false", help="skip the fill comparison")
    ap.add_argument("--no-regional", dest="regional", action="store_false",
                    help="skip the regional figures (shortage and fill only)")
    args = ap.parse_args()
    if args.national:
        args.time_limit = args.time_limit or 240.0
        args.workers = args.workers or 2
        national(args)
    else:
        args.time_limit = args.time_limit or 30.0
        args.workers = args.workers or 1
        if args.regional:
            regional(args)
        if args.shortage:
            shortage(args)
        if args.fill:
            fill(args)


if __name__ == "__main__":
    main()

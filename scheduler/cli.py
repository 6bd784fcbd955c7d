"""Command line: solve, validate, generate.

Exit codes: 0 success / schedule valid, 1 schedule breaks rules (one line each),
2 malformed input file or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys

from .problem import ProblemError, load_problem
from .schedule import ScheduleError


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("solve", help="build a schedule")
    s.add_argument("problem")
    s.add_argument("-o", "--output", required=True)
    s.add_argument("--seed", type=int, default=None, help="default: drawn from secrets and written out")
    s.add_argument("--time-limit", type=float, default=30.0, help="seconds (also fixes the work budget)")
    s.add_argument("--workers", type=int, default=1, help="processes; results do not depend on it")
    s.add_argument("--no-randomize", action="store_true", help="keep the solver's dates (audits/baselines)")
    s.add_argument("--no-wall-clock-cap", action="store_true",
                   help="auditors: do the whole work budget however long it takes, so a slower machine "
                        "rebuilds exactly the published routes")
    s.add_argument("--optional-fraction", type=float, default=0.15,
                   help="expected share of optional facilities drawn for extra visits")
    v = sub.add_parser("validate", help="check a schedule against a problem")
    v.add_argument("problem")
    v.add_argument("schedule")
    g = sub.add_parser("generate", help="write a seeded synthetic problem")
    g.add_argument("--facilities", type=int, default=1500)
    g.add_argument("--must", type=int, default=600)
    g.add_argument("--inspectors", type=int, default=40)
    g.add_argument("--dates", type=int, default=22)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--national", action="store_true",
                   help="30,000 facilities / 12,000 must / 700 inspectors over 20 regions unless given")
    g.add_argument("-o", "--output", required=True)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    ap = _parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        if args.cmd == "generate":
            from .generator import generate

            if args.national:
                given = argv or sys.argv[1:]
                fac = args.facilities if "--facilities" in given else 30000
                must = args.must if "--must" in given else 12000
                ins = args.inspectors if "--inspectors" in given else 700
                data = generate(fac, must, ins, args.dates, args.seed, national=True)
            else:
                data = generate(args.facilities, args.must, args.inspectors, args.dates, args.seed)
            with open(args.output, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
            return 0
        problem = load_problem(args.problem)
        if args.cmd == "solve":
            from .solve import solve

            sched = solve(problem, seed=args.seed, time_limit=args.time_limit, workers=args.workers,
                          randomize=not args.no_randomize, optional_fraction=args.optional_fraction,
                          wall_clock_cap=not args.no_wall_clock_cap)
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(sched.to_json())
            st = sched.stats
            print(f"seed {sched.seed}: {len(sched.routes)} routes, must {st['must_visit_scheduled']}/"
                  f"{st['must_visit']}, optional {st['optional_scheduled']}, {st['travel_km']} km, "
                  f"{st['solve_seconds']} s" + (" (hit wall-clock cap)" if st["hit_wall_clock_cap"] else ""))
            return 0
        from .schedule import load_schedule
        from .validate import validate

        broken = validate(problem, load_schedule(args.schedule))
        for line in broken:
            print(line)
        return 1 if broken else 0
    except (ProblemError, ScheduleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

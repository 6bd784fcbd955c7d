"""Command line: solve, validate, repair, urgent, generate.

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
    s.add_argument("--fill", type=float, default=None,
                   help="share of spare capacity for optional visits, 0..1 (overrides the problem's fill)")
    v = sub.add_parser("validate", help="check a schedule against a problem")
    v.add_argument("problem")
    v.add_argument("schedule")
    r = sub.add_parser("repair", help="move an absent inspector's visits to others")
    r.add_argument("problem")
    r.add_argument("schedule")
    r.add_argument("--inspector", required=True)
    r.add_argument("--dates", required=True, help="comma-separated YYYY-MM-DD")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("-o", "--output", required=True)
    u = sub.add_parser("urgent", help="list insertions of an urgent visit before a deadline")
    u.add_argument("problem")
    u.add_argument("schedule")
    u.add_argument("--facility", required=True)
    u.add_argument("--deadline", required=True, help="latest start, YYYY-MM-DDTHH:MM")
    u.add_argument("--earliest", default=None, help="earliest start, YYYY-MM-DDTHH:MM")
    u.add_argument("--limit", type=int, default=5)
    u.add_argument("-o", "--output", default=None, help="write the best option's schedule here")
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


def _write(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def _repair(problem, schedule: dict, args) -> int:
    from .repair import repair_absence

    res = repair_absence(problem, schedule, args.inspector, args.dates.split(","), args.seed)
    _write(args.output, res.schedule)
    for m in res.moved:
        print(f"moved {m['facility']}: {m['from_inspector']} -> {m['to_inspector']} on {m['date']}")
    for u in res.unplaced:
        print(f"unplaced {u['facility']}: {u['reason']}")
    for v in res.violations:
        print(v.message)
    return 1 if res.violations else 0


def _urgent(problem, schedule: dict, args) -> int:
    from .urgent import insertion_options

    options = insertion_options(problem, schedule, args.facility, args.deadline, earliest=args.earliest,
                                limit=args.limit)
    for o in options:
        shown = f", displaces {', '.join(o.displaced)}" if o.displaced else ""
        print(f"{o.inspector} {o.date} {o.start}: +{o.extra_km} km{shown}")
    if not options:
        print(f"no feasible insertion of {args.facility} before {args.deadline}")
        return 1
    if args.output:
        _write(args.output, options[0].schedule)
    return 0


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
                          wall_clock_cap=not args.no_wall_clock_cap, fill=args.fill)
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(sched.to_json())
            st = sched.stats
            print(f"seed {sched.seed}: {len(sched.routes)} routes, must {st['must_visit_scheduled']}/"
                  f"{st['must_visit']}, optional {st['optional_scheduled']}, {st['travel_km']} km, "
                  f"{st['solve_seconds']} s" + (" (hit wall-clock cap)" if st["hit_wall_clock_cap"] else ""))
            return 0
        from .schedule import load_schedule

        schedule = load_schedule(args.schedule).to_dict()
        if args.cmd == "repair":
            return _repair(problem, schedule, args)
        if args.cmd == "urgent":
            return _urgent(problem, schedule, args)
        from .validate import validate

        broken = validate(problem, schedule)
        for v in broken:
            print(v.message)
        return 1 if broken else 0
    except (ProblemError, ScheduleError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

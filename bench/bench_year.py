"""A year of monthly schedules on the demo region, with the app's own due logic, priorities and feedback.

Twelve consecutive monthly horizons (every working day of each month on Kazakhstan's calendar: public
holidays and transferred days off skipped, school breaks by facility type) on the demo region of
`flask demo seed` (1,500 facilities, 40 inspectors, generated straight into a temporary SQLite
database). Each month the app converts the registry (`region_problem`: due rules, priorities from
risk, overdue days, follow-ups, complaints and horizons waited, facilities already planned), the
engine solves it with `--time-limit` seconds, the validator checks it, and it is saved as a published
schedule (so the next month sees who waited). Every planned visit then counts as an inspection on
its date (`last_inspection_date`, follow-up cleared), which is what the next month's due logic reads.

Printed against the goals (issue 11):
- the largest number of days any reachable facility went past its interval within the year (goal <= 30;
  one already overdue when the year starts counts from its first day), counting only days it is open to a
  visit: a school's break or summer, a camp's off-season are no lateness, since no inspection can happen
  then (the calendar's rule). Reachable: never left out of a problem for its status or its hours (closed,
  closed on every horizon date by its opening hours) and never unscheduled for a reason more
  inspector-days cannot fix (too far, skills, conflicts, hours, no open date);
- the share of facilities never visited in the year;
- the modal-weekday share: mean over facilities with >= 2 visits of the share of their visits on their
  most frequent weekday, against the same figure for uniformly random weekdays;
- the chance of an unannounced extra visit within 60 days after an inspection: per facility and
  inspection, 1 - prod(1 - p) over the following horizons' lottery inclusion probabilities p (weighted by
  the horizon's overlap with the 60 days), over windows in which the facility is open at least one day after
  its visit's own horizon (a horizon holds one visit per facility); the
  minimum over facilities (goal > 0), the median, and the
  observed share of inspections followed by another visit within 60 days;
- the visit rate by distance fifth (distance to the nearest inspector's home): placed must-visits over
  must-visit facility-months (goal: farthest fifth >= 0.8x nearest);
- the same visit rate by facility type, and the share of each type's facilities visited in the year (goal:
  every type >= 0.8x the best, issue 20).

Run time: about 12 x (time limit + 5 s); `--time-limit 5` (the default) takes about 2-3 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa  # noqa: E402

from config import TestingConfig  # noqa: E402
from scheduler.lottery import inclusion_probabilities  # noqa: E402
from scheduler.travel import great_circle_km  # noqa: E402

UNFIXABLE = ("too_far", "skills", "conflict", "window", "dates")


def month_start(year: int, month: int) -> dt.date:
    """The first day of a month, wrapping past December."""
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


# Left out of a problem for these reasons the facility is unreachable; a calendar closure (break, summer, season,
# closure, no meals) is not: its closed days are simply not counted as lateness.
UNREACHABLE_EXCLUSIONS = ("closed", "closed_on_horizon_dates")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=5.0, help="solver seconds per monthly horizon")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--facilities", type=int, default=1500)
    parser.add_argument("--inspectors", type=int, default=40)
    parser.add_argument("--fill", type=float, default=None, help="default: SCHEDULE_FILL")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from inspect_app import create_app
    from inspect_app.demo.seed import DEFAULT_REGION, seed_demo
    from inspect_app.extensions import db
    from inspect_app.models import Facility, Inspector, Region, Schedule
    from inspect_app.runtime import current_runtime
    from inspect_app.services import schedules
    from inspect_app.services.calendar import store as calendar_store
    from inspect_app.services.schedules import engine
    from inspect_app.services.schedules.capacity import reason_group
    from inspect_app.services.schedules.problem import db_id, in_season

    folder = tempfile.mkdtemp(prefix="tekseru-year-")

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{os.path.join(folder, 'year.db')}"
        SCHEDULE_WALL_CLOCK_CAP = True

    app = create_app(Config)
    wall0 = time.time()
    first = month_start(2031, 1)
    with app.app_context():
        upgrade()
        seed_demo(db.session, seed=args.seed, facilities=args.facilities, inspectors=args.inspectors,
                  today=first - dt.timedelta(days=1))
        region = db.session.scalar(sa.select(Region).where(Region.kato == DEFAULT_REGION))
        fill = app.config["SCHEDULE_FILL"] if args.fill is None else args.fill
        intervals = app.config["INSPECTION_INTERVAL_DAYS"]
        facilities = {f.id: f for f in db.session.scalars(sa.select(Facility).where(Facility.region_id == region.id))}
        homes = [(i.home_lat, i.home_lon) for i in db.session.scalars(
            sa.select(Inspector).where(Inspector.regions.any(Region.id == region.id)))]
        nearest = {fid: min(great_circle_km(f.lat, f.lon, a, b) for a, b in homes) for fid, f in facilities.items()}
        risk = {fid: f.risk for fid, f in facilities.items()}
        kind = {fid: f.type for fid, f in facilities.items()}
        kinds = {fid: (f.type, f.season_start, f.season_end) for fid, f in facilities.items()}
        runtime = current_runtime()
        calendar = calendar_store.facility_calendar(db.session, first, month_start(2031, 1 + args.months),
                                                    workdays=runtime.workdays,
                                                    type_overrides=runtime.calendar_type_rules)
        history: dict[int, list[dt.date]] = {fid: ([f.last_inspection_date] if f.last_inspection_date else [])
                                             for fid, f in facilities.items()}
        initial = {fid: f.last_inspection_date for fid, f in facilities.items()}
        visits: dict[int, list[dt.date]] = defaultdict(list)
        unfixable, excluded = set(), set()
        due_count, placed_count = Counter(), Counter()
        horizons = []  # (first date, last date, {facility id: inclusion probability})
        broken = 0
        for m in range(args.months):
            month_days = calendar.work.between(month_start(2031, 1 + m),
                                               month_start(2031, 2 + m) - dt.timedelta(days=1))
            start, days = month_days[0], len(month_days)
            t0 = time.time()
            build = schedules.region_problem(db.session, region, start, days, fill=fill, today=start,
                                             runtime=runtime)
            problem = build.problem
            seed = random.Random(f"{args.seed}:{m}").randrange(2**31)
            result = engine.solve(problem, seed, args.time_limit, True)
            errors = engine.validate(problem, result)
            broken += len(errors)
            for e in build.excluded:
                if e["reason"] in UNREACHABLE_EXCLUSIONS:
                    excluded.add(e["facility_id"])
            for u in result["unscheduled"]:
                if reason_group(u["reason"]) in UNFIXABLE:
                    unfixable.add(db_id(u["facility"]))
            must = {db_id(f["id"]) for f in problem["facilities"] if f.get("must_visit")}
            optional = [f for f in problem["facilities"] if not f.get("must_visit")]
            probs = inclusion_probabilities([f.get("weight", 1.0) for f in optional],
                                            result["stats"].get("optional_drawn", 0))
            horizons.append((start, dt.date.fromisoformat(problem["dates"][-1]),
                             {db_id(f["id"]): p for f, p in zip(optional, probs)}))
            routed = {db_id(s["facility"]): dt.date.fromisoformat(r["date"])
                      for r in result["routes"] for s in r["stops"]}
            for fid in must:
                due_count[fid] += 1
                placed_count[fid] += fid in routed
            row = Schedule(region_id=region.id, start_date=start, end_date=dt.date.fromisoformat(problem["dates"][-1]),
                           seed=seed, time_limit=args.time_limit, status="published", problem=problem,
                           problem_sha256=engine.problem_sha256(problem), schedule=result,
                           stats=dict(result.get("stats", {})), commitment=engine.commitment(result), fill=fill)
            db.session.add(row)
            schedules.sync_visits(row)
            for fid, day in routed.items():
                fac = facilities[fid]
                fac.last_inspection_date = day
                fac.followup_due_date = None
                visits[fid].append(day)
                history[fid].append(day)
            db.session.commit()
            stats = result["stats"]
            print(f"month {m + 1:2d} {start}..{problem['dates'][-1]}: must {stats.get('must_visit_scheduled')}/"
                  f"{stats.get('must_visit')}, extra {stats.get('optional_scheduled')}, "
                  f"unscheduled {len(result['unscheduled'])}, {time.time() - t0:.1f} s", flush=True)
        year_end = horizons[-1][1]
        db.session.remove()
        db.engine.dispose()

    reachable = [fid for fid in facilities if fid not in unfixable and fid not in excluded]

    def open_days(fid: int, after: dt.date, until: dt.date) -> int:
        """Days in (after, until] the facility is open to a visit (no break of its type, in its season)."""
        kind, season_start, season_end = kinds[fid]
        return sum(1 for k in range(1, (until - after).days + 1)
                   if in_season(after + dt.timedelta(days=k), season_start, season_end)
                   and calendar.closed_reason(fid, kind, after + dt.timedelta(days=k)) is None)

    worst, worst_id, worst_calendar_days = 0, None, 0
    for fid in reachable:
        interval = intervals[risk[fid]]
        # Lateness is counted inside the simulated year: a facility already overdue starts at day one.
        due = max(initial[fid] + dt.timedelta(days=interval), first) if initial[fid] else first
        for day in sorted(visits[fid]) + [year_end]:
            late = open_days(fid, due, day) if day > due else 0
            if late > worst:
                worst, worst_id, worst_calendar_days = late, fid, (day - due).days
            due = day + dt.timedelta(days=interval)
            if day == year_end:
                break
    never = sum(1 for fid in facilities if not visits[fid]) / len(facilities)
    multi = [v for v in visits.values() if len(v) >= 2]
    modal = statistics.mean(max(Counter(d.weekday() for d in v).values()) / len(v) for v in multi) if multi else 0
    rng = random.Random(0)
    uniform = (statistics.mean(max(Counter(rng.randrange(5) for _ in v).values()) / len(v) for v in multi)
               if multi else 0)
    chances, follow = defaultdict(list), []
    for fid in reachable:
        for day in visits[fid]:
            window_end = day + dt.timedelta(days=60)
            # A horizon holds one visit per facility, so an extra one comes in a later horizon; a facility closed
            # on every day of those (a school visited in May before its summer) cannot be visited, nor owes it.
            own_end = next((h_end for h_start, h_end, _ in horizons if h_start <= day <= h_end), day)
            if open_days(fid, max(day, own_end), min(window_end, year_end)) == 0:
                continue
            miss = 1.0
            for h_start, h_end, probs in horizons:
                lo, hi = max(h_start, day + dt.timedelta(days=1)), min(h_end, window_end)
                if hi < lo or fid not in probs:
                    continue
                share = ((hi - lo).days + 1) / ((h_end - h_start).days + 1)
                miss *= 1 - probs[fid] * share
            if window_end <= year_end:
                chances[fid].append((1 - miss, day))
                follow.append(any(day < d <= window_end for d in visits[fid]))
    lowest = {fid: min(c) for fid, c in chances.items()}
    per_facility = [chance for chance, _ in lowest.values()]
    least = min(lowest, key=lambda fid: lowest[fid][0], default=None)
    ranked = sorted(facilities, key=lambda fid: nearest[fid])
    fifths = [ranked[k * len(ranked) // 5:(k + 1) * len(ranked) // 5] for k in range(5)]
    rates = []
    for group in fifths:
        due = sum(due_count[f] for f in group)
        rates.append(sum(placed_count[f] for f in group) / due if due else math.nan)

    by_type: dict[str, list[int]] = defaultdict(list)
    for fid in facilities:
        by_type[kind[fid]].append(fid)
    type_rates = {}
    for name, group in sorted(by_type.items()):
        due = sum(due_count[f] for f in group)
        type_rates[name] = (sum(placed_count[f] for f in group) / due if due else math.nan,
                            sum(1 for f in group if visits[f]) / len(group), len(group))
    best_type = max((r[0] for r in type_rates.values() if not math.isnan(r[0])), default=math.nan)

    def goal(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"\nyear: {args.months} monthly horizons, {len(facilities)} facilities, {len(homes)} inspectors, "
          f"fill {fill}, {args.time_limit:g} s per horizon, {time.time() - wall0:.0f} s in all; "
          f"validator violations {broken}")
    year_days = calendar.work.between(first, year_end)
    print(f"calendar: {len(year_days)} working days from {first} to {year_end} (holidays and transfers skipped)")
    print(f"largest days past interval, open days only (reachable, {len(reachable)} facilities): {worst} "
          f"(facility {worst_id} {kinds.get(worst_id, ('',))[0]}; {worst_calendar_days} calendar days) "
          f"[goal <= 30: {goal(worst <= 30)}]")
    print(f"share never visited: {never:.3f}")
    print(f"modal-weekday share (facilities with >= 2 visits: {len(multi)}): {modal:.3f} "
          f"(uniformly random weekdays: {uniform:.3f})")
    if per_facility:
        print(f"chance of an extra visit within 60 days after an inspection: min {min(per_facility):.3f}, "
              f"(facility {least} {kinds[least][0]} after {lowest[least][1]}), "
              f"median {statistics.median(per_facility):.3f}, observed {sum(follow) / len(follow):.3f} "
              f"[goal min > 0: {goal(min(per_facility) > 0)}]")
    print("visit rate by distance fifth (nearest .. farthest): " + ", ".join(f"{r:.2f}" for r in rates)
          + f" [goal farthest >= 0.8x nearest: {goal(rates[-1] >= 0.8 * rates[0])}]")
    print("visit rate by facility type (placed must-visits / due facility-months; share visited in the year): "
          + ", ".join(f"{kind} {r[0]:.2f} ({r[2]} facilities; {r[1]:.2f})" for kind, r in type_rates.items())
          + f" [goal every type >= 0.8x the best: "
            f"{goal(all(r[0] >= 0.8 * best_type for r in type_rates.values() if not math.isnan(r[0])))}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())

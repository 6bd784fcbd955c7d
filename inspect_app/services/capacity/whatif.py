"""What-ifs answered by the engine: a sampled month of a region solved as it is and as it would be.

What this promises:
- `submit_whatif` checks the request (the region is the user's to plan, the town is one of the region's, a
  number of inspectors is 0..500) before anything is written, then starts a background job with progress.
- The job builds the month's problem twice (today's registry, and the what-if: N more inspectors based in a town,
  another medium-risk interval, or another fill), solves both with the same seed and time limit, and returns
  for each the must-visits placed of due, the visits, the km per visit and the year's gap (the capacity plan
  under the same assumptions), side by side. It writes nothing but its result. A fill what-if means in the month
  what it means in the year: the share of an inspector's day planned visits may take (each day's minutes scaled
  by fill / CAPACITY_FILL).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.data import load_towns
from inspect_app.i18n import today_almaty
from inspect_app.models import Job, Region, User
from inspect_app.services.access import in_region, require_builder
from inspect_app.services.calendar import store as calendar
from inspect_app.services.capacity.plan import Assumptions, default_assumptions, inspectors_for, region_plan
from inspect_app.services.errors import InvalidInput, NotFound
from inspect_app.services.jobs import execute, submit, task
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.inputs import region_problem

KIND = "capacity_whatif"
SEED = 1
EXTRA_PREFIX = "X"


def find_town(region: Region, name: str) -> dict[str, Any]:
    """A town of the region by its Russian or Kazakh name (case and spaces ignored); InvalidInput on `town`."""
    wanted = " ".join(name.split()).casefold()
    for town in load_towns():
        if town["region_kato"] == region.kato and wanted in (town["name_ru"].casefold(), town["name_kk"].casefold()):
            return town
    raise InvalidInput("No town of this name in the region.", "town")


def sample_month(year: int | None, month: int | None) -> tuple[int, int]:
    """The month a what-if samples: the one asked for, else next month."""
    today = today_almaty()
    nxt = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return (year or nxt.year, month or nxt.month)


def submit_whatif(session: Session, user: User, data: dict[str, Any], runtime: Runtime) -> Job:
    """Check a what-if request and start it as a background job (commits the job row)."""
    region, params = whatif_params(session, user, data, runtime)
    return submit(session, user, KIND, params, region_id=region.id, runtime=runtime)


def run_whatif_now(session: Session, user: User, data: dict[str, Any], runtime: Runtime,
                   time_limit: float | None = None) -> Job:
    """Check a what-if and run it here, to its end (the demo seed: a command has no background to wait for)."""
    region, params = whatif_params(session, user, data, runtime)
    if time_limit is not None:
        params["time_limit"] = time_limit
    job = Job(id=uuid.uuid4().hex, kind=KIND, params=params, user_id=user.id, region_id=region.id)
    session.add(job)
    session.commit()
    return execute(session, job.id, runtime)


def whatif_params(session: Session, user: User, data: dict[str, Any],
                  runtime: Runtime) -> tuple[Region, dict[str, Any]]:
    """The region and the job's parameters of a what-if request, checked (nothing written)."""
    region = session.scalar(sa.select(Region).where(Region.kato == data["region"]))
    if region is None or not in_region(user, region.id):
        raise NotFound("Region not found.", "region")
    require_builder(user, region)
    params = {"region": region.kato, "scenario": data["scenario"]}
    params["year"], params["month"] = sample_month(data.get("year"), data.get("month"))
    if data["scenario"] == "inspectors":
        town = find_town(region, data["town"])
        params.update(inspectors=data["inspectors"], town=town["name_ru"], lat=town["lat"], lon=town["lon"])
    elif data["scenario"] == "interval":
        params["interval_days"] = data["interval_days"]
    else:
        params["fill"] = data["fill"]
    params["time_limit"] = runtime.capacity_whatif_time_limit
    return region, params


def _extra_inspectors(problem: dict[str, Any], n: int, lat: float, lon: float, kato: str) -> None:
    for k in range(1, n + 1):
        problem["inspectors"].append({
            "id": f"{EXTRA_PREFIX}{k}", "name": f"+{k}", "region": kato, "lat": lat, "lon": lon,
            "skills": ["health", "nutrition", "safety"], "day_start": "09:00", "day_end": "18:00",
            "max_visits_per_day": 4, "max_minutes_per_day": 480, "unavailable_dates": []})


def _planned_share(problem: dict[str, Any], share: float) -> None:
    """Each inspector's minutes for planned visits scaled by `share` (a fill of 0.7 against CAPACITY_FILL 0.85:
    82% of today's), the one meaning `fill` has in the year's plan. The schedule's own `fill` (the share of spare
    capacity drawn for extra visits) stays as today: moving it too would pull the other way."""
    for ins in problem["inspectors"]:
        ins["max_minutes_per_day"] = max(1, round(ins["max_minutes_per_day"] * share))


def _outcome(problem: dict[str, Any], result: dict[str, Any], plan) -> dict[str, Any]:
    stats = result["stats"]
    visits = sum(len(r["stops"]) for r in result["routes"])
    return {"must": stats.get("must_visit", 0), "must_placed": stats.get("must_visit_scheduled", 0),
            "visits": visits, "inspectors": len(problem["inspectors"]),
            "km_per_visit": round(stats.get("travel_km", 0) / visits, 1) if visits else 0.0,
            "gap_days": round(plan.total.gap_days, 1),
            "gap_inspectors": inspectors_for(plan.total.gap_days, plan.working_days, plan.fill),
            "unplaced": sorted(u["facility"] for u in result["unscheduled"])}


@task(KIND)
def run_whatif(session: Session, job: Job, params: dict[str, Any], report, runtime: Runtime) -> dict[str, Any]:
    """The job: today's month and the what-if's, solved alike; the plan's gap under each."""
    region = session.scalar(sa.select(Region).where(Region.kato == params["region"]))
    year, month = params["year"], params["month"]
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    days = calendar.working_calendar(session, first, last, runtime.workdays).between(first, last)
    base_assumptions = default_assumptions(runtime)
    assumptions = Assumptions(dict(base_assumptions.intervals), base_assumptions.fill)
    intervals = None
    if params["scenario"] == "interval":
        intervals = {"medium": params["interval_days"]}
        assumptions.intervals["medium"] = params["interval_days"]
    fill = runtime.schedule_fill
    report(0.02, "today")
    base = region_problem(session, region, days[0], len(days), fill=fill, today=days[0], runtime=runtime).problem
    base_result = engine.solve(base, SEED, params["time_limit"], True)
    report(0.45, "what_if")
    scenario = region_problem(session, region, days[0], len(days), fill=fill, today=days[0],
                              intervals=intervals, runtime=runtime).problem
    if params["scenario"] == "inspectors":
        _extra_inspectors(scenario, params["inspectors"], params["lat"], params["lon"], region.kato)
        assumptions.extra_inspectors, assumptions.extra_at = params["inspectors"], (params["lat"], params["lon"])
    elif params["scenario"] == "fill":
        _planned_share(scenario, params["fill"] / base_assumptions.fill)
        assumptions.fill = params["fill"]
    scenario_result = engine.solve(scenario, SEED, params["time_limit"], True)
    report(0.9, "plan")
    today_plan = region_plan(session, region, year, base_assumptions, runtime)
    what_if_plan = region_plan(session, region, year, assumptions, runtime)
    return {"region": region.kato, "year": year, "month": month, "first": days[0].isoformat(),
            "last": days[-1].isoformat(), "scenario": {k: v for k, v in params.items() if k not in ("lat", "lon")},
            "today": _outcome(base, base_result, today_plan),
            "what_if": _outcome(scenario, scenario_result, what_if_plan)}


def recent_whatifs(session: Session, user: User, region: Region | None, limit: int = 5) -> list[Job]:
    """The region's latest what-if jobs the user may read (newest first)."""
    if region is None or not in_region(user, region.id):
        return []
    return list(session.scalars(sa.select(Job).where(Job.kind == KIND, Job.region_id == region.id)
                                .order_by(Job.created_at.desc()).limit(limit)))

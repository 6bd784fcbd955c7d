"""Building schedules as background jobs: one region, or a national build over processes or RQ workers.

Every schedule of a build is saved in one transaction at the end, so a failed, cancelled or killed
build leaves no schedule behind.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import secrets
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.managers import SyncManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Job, JobStatus, Region, Schedule, ScheduleStatus, ScheduleVisit, User
from inspect_app.models import setting as settings_values
from inspect_app.models.job import ACTIVE_JOB_STATUSES
from inspect_app.schemas.schedule import BUILD_DAYS, BUILD_TIME_LIMIT
from inspect_app.services.access import default_build_region
from inspect_app.services.errors import Conflict, InvalidInput, within
from inspect_app.services.jobs import JobCancelled, claim_and_run, submit, task
from inspect_app.services.regions import region_by_kato
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.inputs import MAX_SEED, derive_seed, horizon, region_problem
from inspect_app.services.schedules.problem import ProblemBuild, db_id
from inspect_app.services.schedules.publish import lock_region
from inspect_app.services.schedules.queries import require_builder
from scheduler.lifetime import die_with_parent

POLL_SECONDS = 0.5


@dataclass
class BuildParams:
    """What a build was asked for; `region` None means national (admins only).

    `replaces`/`replace_from`: the published schedule this build will replace from that date on (its
    planned facilities from that date are planned again; publishing supersedes it from that date).
    """

    region: str | None
    start: dt.date
    days: int
    seed: int
    time_limit: float
    fill: float | None = None
    replaces: int | None = None
    replace_from: dt.date | None = None

    def as_job_params(self) -> dict[str, Any]:
        """JSON-ready job parameters."""
        return {"region": self.region, "start": self.start.isoformat(), "days": self.days,
                "seed": self.seed, "time_limit": self.time_limit, "fill": self.fill, "replaces": self.replaces,
                "replace_from": self.replace_from.isoformat() if self.replace_from else None}

    @classmethod
    def from_job_params(cls, params: dict[str, Any]) -> BuildParams:
        """Back from the job's JSON parameters."""
        replace_from = params.get("replace_from")
        return cls(params.get("region"), dt.date.fromisoformat(params["start"]), int(params["days"]),
                   int(params["seed"]), float(params["time_limit"]), params.get("fill"), params.get("replaces"),
                   dt.date.fromisoformat(replace_from) if replace_from else None)


def check_build(session: Session, user: User, data: dict[str, Any],
                runtime: Runtime) -> tuple[BuildParams, Region | None]:
    """Validate a build request and the user's right to it; fills the seed when none was given.

    A horizon never starts in the past (Almaty's today). A replacement names a published schedule of
    the same region, and its date falls inside both horizons and not before today.
    """
    kato = data.get("region") or None
    region = region_by_kato(session, kato, "region") if kato else default_build_region(user)
    require_builder(user, region)
    days = within(BUILD_DAYS, int(data.get("days") or 5), "days")
    time_limit = within(BUILD_TIME_LIMIT, float(data.get("time_limit") or runtime.schedule_time_limit), "time_limit")
    fill = data.get("fill")
    fill = float(settings_values.current("schedule_fill") if fill is None else fill)
    if not 0 <= fill <= 1:
        raise InvalidInput("The fill must be between 0 and 1.", "fill")
    seed = data.get("seed")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif not 0 <= int(seed) < MAX_SEED:
        raise InvalidInput(f"The seed must be between 0 and {MAX_SEED - 1}.", "seed")
    today = today_almaty()
    start = data.get("start") or today + dt.timedelta(days=1)
    if start < today:
        raise InvalidInput(f"The horizon cannot start in the past (today is {today.isoformat()}).", "start")
    replaces, replace_from = data.get("replaces"), data.get("replace_from")
    if replaces is not None:
        old = session.get(Schedule, replaces)
        if old is None or region is None or old.region_id != region.id or old.status != ScheduleStatus.PUBLISHED:
            raise InvalidInput("Only a published schedule of the same region can be replaced.", "replaces")
        replace_from = replace_from or max(start, today)
        end = horizon(session, start, days, runtime)[-1]
        if not (max(start, today, old.first_day) <= replace_from <= min(end, old.last_day)):
            raise InvalidInput("The replacement date must lie in both schedules' periods and not in the past.",
                               "replace_from")
    params = BuildParams(region.kato if region else None, start, days, int(seed), time_limit, fill,
                         replaces, replace_from)
    return params, region


def submit_build(session: Session, user: User, data: dict[str, Any], runtime: Runtime) -> Job:
    """Check a build request and start it as a background job (commits the job row).

    One build per region at a time: the job table's unique index on active builds refuses a second one,
    which answers Conflict naming the running job (a constraint, so two requests at once cannot both pass).
    """
    params, region = check_build(session, user, data, runtime)
    if region is not None:
        lock_region(session, region.id)
    try:
        return submit(session, user, "schedule_build", params.as_job_params(),
                      region_id=region.id if region else None, runtime=runtime)
    except sa.exc.IntegrityError:
        session.rollback()
        running = session.scalar(sa.select(Job).where(Job.kind == "schedule_build", Job.region_id == region.id,
                                                      Job.status.in_(ACTIVE_JOB_STATUSES)))
        raise Conflict(f"A build of this region is already running (job {running.id if running else '?'}); "
                       "wait for it to finish or cancel it.", "region") from None


@dataclass
class RegionResult:
    """One region's solved build, before it is saved."""

    region_id: int
    region_kato: str
    build: ProblemBuild
    seed: int
    schedule: dict[str, Any] = field(default_factory=dict)


Report = Callable[..., None]


@task("schedule_build")
def run_build(session: Session, job: Job, params: dict[str, Any], report: Report,
              runtime: Runtime) -> dict[str, Any]:
    """The job: build problems, solve, validate, then save all schedules in the caller's one commit."""
    p = BuildParams.from_job_params(params)
    # The runner's read of the job left a transaction open; on SQLite it would lock out the progress writer.
    session.commit()
    report(0.02, "building problem")
    if p.region:
        regions = list(session.scalars(sa.select(Region).where(Region.kato == p.region)))
    else:
        regions = list(session.scalars(sa.select(Region).order_by(Region.kato)))
    if not regions:
        raise InvalidInput("No region to build.")
    results = []
    for region in regions:
        replaces = session.get(Schedule, p.replaces) if p.replaces else None
        build = region_problem(session, region, p.start, p.days, national=p.region is None, fill=p.fill,
                               replaces=replaces, replace_from=p.replace_from, runtime=runtime)
        if not p.region and not build.problem["facilities"]:
            continue  # A national build skips regions with nothing to inspect.
        seed = p.seed if p.region else derive_seed(p.seed, region.kato)
        results.append(RegionResult(region.id, region.kato, build, seed))
    # Nothing is written yet: ending the read transaction lets the progress writer's own connection
    # write meanwhile (SQLite would otherwise lock it out). No ORM attribute is touched until saving.
    session.commit()
    if p.region is None and runtime.distributes_jobs:
        _solve_on_workers(session, job, p, results, report, runtime)
    else:
        _solve_here(results, p.time_limit, report, runtime, pool=not runtime.jobs_inline)
    report(0.92, "validating")
    for r in results:
        errors = engine.validate(r.build.problem, r.schedule)
        if errors:
            raise RuntimeError(f"The engine's schedule for {r.region_kato} broke rules: "
                               + "; ".join(f"{e['rule']}: {e['message']}" for e in errors[:5]))
    report(0.96, "saving")
    # No report after this point: the side connection must not wait on our uncommitted writes.
    user_id, job_id = job.user_id, job.id
    # Start the writes in a fresh transaction that holds SQLite's write lock from its BEGIN: one that read
    # before the region workers' (or the heartbeat's) commits could not write at all ("database is locked").
    begin_write(session)
    schedules = [_new_schedule(session, user_id, r, p, batch=None if p.region else job_id) for r in results]
    session.flush()
    return {"schedule_ids": [s.id for s in schedules], "region": p.region, "seed": p.seed}


def _solve_here(results: list[RegionResult], time_limit: float, report: Report, runtime: Runtime,
                pool: bool) -> None:
    """Solve in this process (tests, one after another) or in a process pool that a cancel terminates."""
    n = len(results)
    if not pool:
        for k, r in enumerate(results):
            def tell(info, k=k, r=r):
                report(0.05 + 0.85 * (k + _area_share(info)) / n, f"{r.region_kato}: {info['phase']}",
                       region=r.region_kato, visits_routed=info["visits_routed"],
                       areas=f"{info['areas_done']}/{info['areas']}")

            r.schedule = engine.solve(r.build.problem, r.seed, time_limit, runtime.schedule_wall_clock_cap, tell)
        return
    processes = max(1, min(n, runtime.schedule_processes))
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    # Spawned workers import only the engine; terminate() is what makes a cancel immediate. They (and the
    # manager's process) die with this process, so a killed server leaves no solver running.
    lifetime = (signal.SIGKILL, os.getpid())
    manager = SyncManager(ctx=context)
    manager.start(die_with_parent, lifetime)
    with manager, context.Pool(processes, initializer=die_with_parent, initargs=lifetime) as workers:
        queue = manager.Queue()
        pending = [workers.apply_async(engine.solve, (r.build.problem, r.seed, time_limit,
                                                      runtime.schedule_wall_clock_cap,
                                                      (queue, r.region_kato)))
                   for r in results]
        latest: dict[str, dict] = {}
        try:
            while True:
                while not queue.empty():
                    key, info = queue.get_nowait()
                    latest[key] = info
                done = sum(1 for a in pending if a.ready())
                if done == n:
                    break
                elapsed = time.monotonic() - started
                share = sum(_area_share(info) for info in latest.values())
                phases = sorted({info["phase"] for info in latest.values()}) or ["starting"]
                report(0.05 + 0.85 * min(0.99, max(done, share) / n), f"solving ({', '.join(phases)})",
                       elapsed=round(elapsed, 1), regions_done=done, regions=n,
                       visits_routed=sum(info["visits_routed"] for info in latest.values()))
                time.sleep(POLL_SECONDS)
            for r, a in zip(results, pending):
                r.schedule = a.get()
        except BaseException:
            workers.terminate()
            raise


def _area_share(info: dict) -> float:
    """How far one region's solve has come, 0..1, from the engine's progress report."""
    if info["phase"] == "repair":
        return 0.95
    if info["phase"] == "routing" and info["areas"]:
        return 0.1 + 0.85 * info["areas_done"] / info["areas"]
    return 0.05


def _solve_on_workers(session: Session, job: Job, p: BuildParams, results: list[RegionResult],
                      report: Report, runtime: Runtime) -> None:
    """National build on RQ: one region job per region; this job also takes regions nobody took yet.

    Taking queued regions itself means a single worker never waits for a job that only it could run.
    """
    user = session.get(User, job.user_id) if job.user_id else None
    children: list[tuple[RegionResult, str]] = []
    for r in results:
        child = submit(session, user, "schedule_region", {
            "region": r.region_kato, "start": p.start.isoformat(), "days": p.days, "seed": r.seed,
            "time_limit": p.time_limit, "fill": p.fill, "parent": job.id}, region_id=r.region_id,
            runtime=runtime)
        children.append((r, child.id))
    ids = [cid for _, cid in children]
    engine_ = db.engine
    try:
        while True:
            with Session(engine_) as side:
                rows = {j.id: j for j in side.scalars(sa.select(Job).where(Job.id.in_(ids)))}
                bad = [j for j in rows.values() if j.status in (JobStatus.FAILED, JobStatus.CANCELLED)]
                if bad:
                    raise RuntimeError(f"Region job {bad[0].id} {bad[0].status}: {bad[0].message}")
                done = [j for j in rows.values() if j.status == JobStatus.FINISHED]
                if len(done) == len(ids):
                    for r, cid in children:
                        r.schedule = rows[cid].result["schedule"]
                    return
                queued = [cid for cid in ids if rows[cid].status == JobStatus.QUEUED]
            report(0.05 + 0.85 * len(done) / len(ids), f"solving area {len(done) + 1}/{len(ids)}",
                   regions_done=len(done), regions=len(ids))
            if queued:
                claim_and_run(engine_, queued[0], runtime)
            else:
                time.sleep(POLL_SECONDS)
    except (JobCancelled, RuntimeError):
        with Session(engine_) as side:
            side.execute(sa.update(Job).where(Job.id.in_(ids)).values(cancel_requested=True))
            side.commit()
        raise


def _region_result(session: Session, params: dict[str, Any], runtime: Runtime) -> dict[str, Any]:
    p = BuildParams.from_job_params(params)
    region = session.scalar(sa.select(Region).where(Region.kato == p.region))
    build = region_problem(session, region, p.start, p.days, national="parent" in params, fill=p.fill,
                           runtime=runtime)
    # The wall-clock cap: builds stop at their time limit (always in production; tests compare uncapped runs).
    return {"region": p.region, "problem_sha256": engine.problem_sha256(build.problem),
            "schedule": engine.solve(build.problem, p.seed, p.time_limit, runtime.schedule_wall_clock_cap)}


@task("schedule_region")
def run_region(session: Session, job: Job, params: dict[str, Any], report: Report,
               runtime: Runtime) -> dict[str, Any]:
    """One region of a national build, on any worker: solves and returns the schedule; saves nothing."""
    session.commit()
    report(0.05, f"solving {params['region']}")
    return _region_result(session, params, runtime)


def _new_schedule(session: Session, user_id: int | None, r: RegionResult, p: BuildParams,
                  batch: str | None) -> Schedule:
    dates = r.build.problem["dates"]
    stats = dict(r.schedule.get("stats", {}))
    stats["excluded"] = r.build.excluded
    stats["due"] = {str(k): v for k, v in sorted(r.build.due.items())}
    schedule = Schedule(
        region_id=r.region_id, start_date=dt.date.fromisoformat(dates[0]),
        end_date=dt.date.fromisoformat(dates[-1]), seed=r.seed, time_limit=p.time_limit, status=ScheduleStatus.DRAFT,
        problem=r.build.problem, problem_sha256=engine.problem_sha256(r.build.problem), schedule=r.schedule,
        stats=stats, batch=batch, national_seed=None if p.region else p.seed,
        created_by_id=user_id, fill=p.fill, supersedes_id=p.replaces,
        effective_from=p.replace_from if p.replaces else None,
        revision_kind="replacement" if p.replaces else None,
    )
    session.add(schedule)
    sync_visits(schedule)
    return schedule


def sync_visits(schedule: Schedule) -> None:
    """Make the visit rows match the schedule JSON, keeping the ids of visits that stay."""
    must = {f["id"] for f in schedule.problem["facilities"] if f.get("must_visit")}
    existing = {v.facility_id: v for v in schedule.visits}
    seen = set()
    for route in schedule.schedule["routes"]:
        for order, stop in enumerate(route["stops"]):
            fid = db_id(stop["facility"])
            seen.add(fid)
            visit = existing.get(fid)
            if visit is None:
                visit = ScheduleVisit(facility_id=fid)
                schedule.visits.append(visit)
            visit.inspector_id = db_id(route["inspector"])
            visit.date = dt.date.fromisoformat(route["date"])
            visit.start, visit.end, visit.order = stop["start"], stop["end"], order
            visit.must_visit = stop["facility"] in must
    for fid, visit in existing.items():
        if fid not in seen:
            schedule.visits.remove(visit)

"""Surprise schedules: build (a background job), review, edit, publish with a commitment, routes.

What this service promises:

- A build reads the registry, converts it (`schedule_problem`), solves it with the engine, checks the
  result with the engine's validator and saves every schedule of the build in one transaction at the end:
  a failed, cancelled or killed build leaves no schedule behind.
- Same registry, horizon, seed and time limit give the same schedule. A national build derives each
  region's seed from the national seed and the region's KATO (`derive_seed`), so it equals building
  the regions one by one with those seeds, whether the regions run in this process, in a process pool
  or on several RQ workers.
- Only drafts change. An edit is re-timed, re-checked by the validator (refused with the rule named)
  and answered with the predictability warnings it causes. Publishing fixes a commitment (SHA-256 over
  the canonical schedule and its seed) that never changes after.
- Every read is scoped: admins and ministry see all regions, supervisors their region, inspectors only
  their own visits of published schedules, today and the next working day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.orm import Session

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Facility, Inspector, Job, Region, Schedule, ScheduleVisit, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import schedule_engine as engine
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from inspect_app.services.jobs import JobCancelled, task
from inspect_app.services.schedule_capacity import capacity_use, unscheduled_groups
from inspect_app.services.schedule_problem import (
    ProblemBuild,
    ProblemSettings,
    build_problem,
    db_id,
    facility_id,
    horizon_dates,
    inspector_id,
)
from inspect_app.services.schedule_signals import (
    facility_signals,
    live_visit_clause,
    planned_facilities,
    refused_entries,
)

MAX_SEED = 2**31
POLL_SECONDS = 0.5


# --- scoping ---------------------------------------------------------------------------------------

def schedule_filter(user: User) -> sa.ColumnElement[bool]:
    """Schedules the user may review: all for admins and ministry, the own region for supervisors."""
    if user.sees_all_regions:
        return sa.true()
    if user.role == "supervisor" and user.region_id is not None:
        return Schedule.region_id == user.region_id
    return sa.false()


def require_builder(user: User, region: Region | None) -> None:
    """Admins build anywhere (and nationally), supervisors for their own region, nobody else."""
    if user.role == "admin":
        return
    if user.role == "supervisor" and region is not None and region.id == user.region_id:
        return
    if user.role == "supervisor" and region is not None:
        raise NotFound("Region not found.", "region")
    raise Forbidden("Your role may not build schedules.")


def require_editor(user: User, schedule: Schedule) -> None:
    """Admins and the region's supervisors edit and publish; the ministry only reads."""
    if user.role == "admin" or (user.role == "supervisor" and user.region_id == schedule.region_id):
        return
    raise Forbidden("Your role may read schedules but not change them.")


def schedule_query(user: User, args: dict[str, Any] | None = None) -> sa.Select:
    """A select of the schedules the user may see, newest first, optionally filtered by status/region."""
    args = args or {}
    query = sa.select(Schedule).where(schedule_filter(user))
    if args.get("status"):
        query = query.where(Schedule.status == args["status"])
    if args.get("region"):
        query = query.where(Schedule.region.has(Region.kato == args["region"]))
    return query.order_by(Schedule.created_at.desc(), Schedule.id.desc()).options(so.joinedload(Schedule.region))


def get_schedule(session: Session, user: User, schedule_id: int) -> Schedule:
    """The schedule with this id, or NotFound when missing or outside the user's scope."""
    schedule = session.scalar(sa.select(Schedule).where(Schedule.id == schedule_id, schedule_filter(user)))
    if schedule is None:
        raise NotFound("Schedule not found.")
    return schedule


def buildable_regions(session: Session, user: User) -> list[Region]:
    """Regions the user may build a schedule for."""
    query = sa.select(Region).order_by(Region.kato)
    if user.role == "supervisor":
        query = query.where(Region.id == user.region_id)
    elif user.role != "admin":
        return []
    return list(session.scalars(query))


# --- problem ---------------------------------------------------------------------------------------

def problem_settings(fill: float | None = None) -> ProblemSettings:
    """The conversion rules of this deployment's config."""
    cfg = current_app.config
    return ProblemSettings(intervals=dict(cfg["INSPECTION_INTERVAL_DAYS"]),
                           optional_weights=dict(cfg["SCHEDULE_OPTIONAL_WEIGHTS"]),
                           travel=dict(cfg["SCHEDULE_TRAVEL"]), workdays=tuple(cfg["SCHEDULE_WORKDAYS"]),
                           priority=dict(cfg["SCHEDULE_PRIORITY"]), fill=fill)


def horizon(start: dt.date, days: int) -> list[dt.date]:
    """The working dates of a horizon under this deployment's working week."""
    return horizon_dates(start, days, current_app.config["SCHEDULE_WORKDAYS"])


def region_problem(session: Session, region: Region, start: dt.date, days: int,
                   national: bool = False, fill: float | None = None, replaces: Schedule | None = None,
                   replace_from: dt.date | None = None, today: dt.date | None = None) -> ProblemBuild:
    """Read one region's facilities and inspectors and convert them to a problem (writes nothing).

    An inspector who works in several regions is never booked twice on one date: dates on which a
    published schedule of another region already sends them out count as unavailable, and a national
    build (whose regions are solved at the same time) gives them to one region only, the one whose
    centre is nearest their home.
    """
    facilities = list(session.scalars(
        sa.select(Facility).where(Facility.region_id == region.id, Facility.archived_at.is_(None),
                                  Facility.merged_into_id.is_(None)).order_by(Facility.id)))
    inspectors = list(session.scalars(
        sa.select(Inspector).where(Inspector.regions.any(Region.id == region.id), Inspector.archived_at.is_(None))
        .order_by(Inspector.id)
        .options(so.selectinload(Inspector.absences), so.selectinload(Inspector.conflicts),
                 so.selectinload(Inspector.regions))))
    if national:
        inspectors = [i for i in inspectors if home_region(i).id == region.id]
    dates = horizon(start, days)
    booked = booked_elsewhere(session, region, [i.id for i in inspectors], dates)
    signals = facility_signals(session, region.id, facilities)
    planned = planned_facilities(session, region.id, today or today_almaty(), dates[-1],
                                 replaces, replace_from)
    return build_problem(facilities, inspectors, dates, problem_settings(fill), region.kato, booked=booked,
                         signals=signals, planned=planned)


def home_region(inspector: Inspector) -> Region:
    """The one region of a multi-region inspector in a national build: the centre nearest their home."""
    def distance(region: Region) -> tuple[float, str]:
        if region.center_lat is None or region.center_lon is None:
            return (float("inf"), region.kato)
        return ((region.center_lat - inspector.home_lat) ** 2 + (region.center_lon - inspector.home_lon) ** 2,
                region.kato)

    return min(inspector.regions, key=distance)


def booked_elsewhere(session: Session, region: Region, inspector_ids: list[int],
                     dates: list[dt.date]) -> dict[int, set[dt.date]]:
    """Dates on which published schedules of other regions already send these inspectors out."""
    if not inspector_ids or not dates:
        return {}
    rows = session.execute(
        sa.select(ScheduleVisit.inspector_id, ScheduleVisit.date).distinct()
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(live_visit_clause(), Schedule.region_id != region.id,
               ScheduleVisit.inspector_id.in_(inspector_ids), ScheduleVisit.date.in_(dates)))
    booked: dict[int, set[dt.date]] = {}
    for inspector_id_, day in rows:
        booked.setdefault(inspector_id_, set()).add(day)
    return booked


def derive_seed(national_seed: int, kato: str) -> int:
    """A region's seed in a national build: sha256 of "seed:KATO", so any worker derives the same one."""
    digest = hashlib.sha256(f"{national_seed}:{kato}".encode()).hexdigest()
    return int(digest[:15], 16) % MAX_SEED


# --- building --------------------------------------------------------------------------------------

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


def check_build(session: Session, user: User, data: dict[str, Any]) -> tuple[BuildParams, Region | None]:
    """Validate a build request and the user's right to it; fills the seed when none was given.

    A horizon never starts in the past (Almaty's today). A replacement names a published schedule of
    the same region, and its date falls inside both horizons and not before today.
    """
    kato = data.get("region") or None
    region = None
    if kato:
        region = session.scalar(sa.select(Region).where(Region.kato == kato))
        if region is None:
            raise InvalidInput("Unknown region KATO code.", "region")
    elif user.role == "supervisor":
        region = user.region
    require_builder(user, region)
    days = int(data.get("days") or 5)
    if not 1 <= days <= current_app.config["SCHEDULE_MAX_DAYS"]:
        raise InvalidInput(f"Days must be between 1 and {current_app.config['SCHEDULE_MAX_DAYS']}.", "days")
    time_limit = float(data.get("time_limit") or current_app.config["SCHEDULE_TIME_LIMIT"])
    if not 1 <= time_limit <= 3600:
        raise InvalidInput("The time limit must be between 1 and 3600 seconds.", "time_limit")
    fill = data.get("fill")
    fill = float(current_app.config["SCHEDULE_FILL"] if fill is None else fill)
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
        if old is None or region is None or old.region_id != region.id or old.status != "published":
            raise InvalidInput("Only a published schedule of the same region can be replaced.", "replaces")
        replace_from = replace_from or max(start, today)
        end = horizon(start, days)[-1]
        if not (max(start, today, old.first_day) <= replace_from <= min(end, old.last_day)):
            raise InvalidInput("The replacement date must lie in both schedules' periods and not in the past.",
                               "replace_from")
    params = BuildParams(region.kato if region else None, start, days, int(seed), time_limit, fill,
                         replaces, replace_from)
    return params, region


def submit_build(session: Session, user: User, data: dict[str, Any]) -> Job:
    """Check a build request and start it as a background job (commits the job row).

    One build per region at a time: the job table's unique index on active builds refuses a second one,
    which answers Conflict naming the running job (a constraint, so two requests at once cannot both pass).
    """
    from inspect_app.services.jobs import submit

    params, region = check_build(session, user, data)
    if region is not None:
        lock_region(session, region.id)
    try:
        return submit(session, user, "schedule_build", params.as_job_params(),
                      region_id=region.id if region else None)
    except sa.exc.IntegrityError:
        session.rollback()
        running = session.scalar(sa.select(Job).where(Job.kind == "schedule_build", Job.region_id == region.id,
                                                      Job.status.in_(("queued", "running"))))
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
def run_build(session: Session, job: Job, params: dict[str, Any], report: Report) -> dict[str, Any]:
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
                               replaces=replaces, replace_from=p.replace_from)
        if not p.region and not build.problem["facilities"]:
            continue  # A national build skips regions with nothing to inspect.
        seed = p.seed if p.region else derive_seed(p.seed, region.kato)
        results.append(RegionResult(region.id, region.kato, build, seed))
    # Nothing is written yet: ending the read transaction lets the progress writer's own connection
    # write meanwhile (SQLite would otherwise lock it out). No ORM attribute is touched until saving.
    session.commit()
    if p.region is None and current_app.config.get("REDIS_URL") and not current_app.config.get("JOBS_INLINE"):
        _solve_on_workers(session, job, p, results, report)
    else:
        _solve_here(results, p.time_limit, report, pool=not current_app.config.get("JOBS_INLINE"))
    report(0.92, "validating")
    for r in results:
        errors = engine.validate(r.build.problem, r.schedule)
        if errors:
            raise RuntimeError(f"The engine's schedule for {r.region_kato} broke rules: "
                               + "; ".join(f"{e['rule']}: {e['message']}" for e in errors[:5]))
    report(0.96, "saving")
    # No report after this point: the side connection must not wait on our uncommitted writes.
    user_id, job_id = job.user_id, job.id
    # Start the writes in a fresh transaction: on SQLite (WAL) a transaction that read before the region
    # workers committed could not write at all ("database is locked").
    session.commit()
    schedules = [_new_schedule(session, user_id, r, p, batch=None if p.region else job_id) for r in results]
    session.flush()
    return {"schedule_ids": [s.id for s in schedules], "region": p.region, "seed": p.seed}


def _solve_here(results: list[RegionResult], time_limit: float, report: Report, pool: bool) -> None:
    """Solve in this process (tests, one after another) or in a process pool that a cancel terminates."""
    n = len(results)
    if not pool:
        for k, r in enumerate(results):
            def tell(info, k=k, r=r):
                report(0.05 + 0.85 * (k + _area_share(info)) / n, f"{r.region_kato}: {info['phase']}",
                       region=r.region_kato, visits_routed=info["visits_routed"],
                       areas=f"{info['areas_done']}/{info['areas']}")

            r.schedule = engine.solve(r.build.problem, r.seed, time_limit, _wall_clock_cap(), tell)
        return
    processes = max(1, min(n, current_app.config.get("SCHEDULE_PROCESSES", 1)))
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    # Spawned workers import only the engine; terminate() is what makes a cancel immediate.
    with context.Manager() as manager, context.Pool(processes) as workers:
        queue = manager.Queue()
        pending = [workers.apply_async(engine.solve, (r.build.problem, r.seed, time_limit, _wall_clock_cap(),
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
                      report: Report) -> None:
    """National build on RQ: one region job per region; this job also takes regions nobody took yet.

    Taking queued regions itself means a single worker never waits for a job that only it could run.
    """
    from inspect_app.services.jobs import submit

    user = session.get(User, job.user_id) if job.user_id else None
    children: list[tuple[RegionResult, str]] = []
    for r in results:
        child = submit(session, user, "schedule_region", {
            "region": r.region_kato, "start": p.start.isoformat(), "days": p.days, "seed": r.seed,
            "time_limit": p.time_limit, "fill": p.fill, "parent": job.id}, region_id=r.region_id)
        children.append((r, child.id))
    ids = [cid for _, cid in children]
    engine_ = db.engine
    try:
        while True:
            with Session(engine_) as side:
                rows = {j.id: j for j in side.scalars(sa.select(Job).where(Job.id.in_(ids)))}
                bad = [j for j in rows.values() if j.status in ("failed", "cancelled")]
                if bad:
                    raise RuntimeError(f"Region job {bad[0].id} {bad[0].status}: {bad[0].message}")
                done = [j for j in rows.values() if j.status == "finished"]
                if len(done) == len(ids):
                    for r, cid in children:
                        r.schedule = rows[cid].result["schedule"]
                    return
                queued = [cid for cid in ids if rows[cid].status == "queued"]
            report(0.05 + 0.85 * len(done) / len(ids), f"solving area {len(done) + 1}/{len(ids)}",
                   regions_done=len(done), regions=len(ids))
            if queued:
                _steal(engine_, queued[0])
            else:
                time.sleep(POLL_SECONDS)
    except (JobCancelled, RuntimeError):
        with Session(engine_) as side:
            side.execute(sa.update(Job).where(Job.id.in_(ids)).values(cancel_requested=True))
            side.commit()
        raise


def _steal(engine_: sa.Engine, child_id: str) -> None:
    """Claim a queued region job atomically and run it in this process."""
    with Session(engine_) as side:
        claimed = side.execute(sa.update(Job).where(Job.id == child_id, Job.status == "queued")
                               .values(status="running", started_at=utcnow(), heartbeat_at=utcnow())).rowcount
        side.commit()
        if not claimed:
            return
        child = side.get(Job, child_id)
        try:
            result = _region_result(side, child.params)
        except Exception as exc:  # noqa: BLE001 - the parent sees the failure through the job row
            side.rollback()
            child = side.get(Job, child_id)
            child.status, child.message, child.finished_at = "failed", str(exc)[:500], utcnow()
            side.commit()
            return
        child.status, child.result, child.progress, child.finished_at = "finished", result, 1.0, utcnow()
        side.commit()


def _region_result(session: Session, params: dict[str, Any]) -> dict[str, Any]:
    p = BuildParams.from_job_params(params)
    region = session.scalar(sa.select(Region).where(Region.kato == p.region))
    build = region_problem(session, region, p.start, p.days, national="parent" in params, fill=p.fill)
    return {"region": p.region, "problem_sha256": engine.problem_sha256(build.problem),
            "schedule": engine.solve(build.problem, p.seed, p.time_limit, _wall_clock_cap())}


def _wall_clock_cap() -> bool:
    """Whether builds stop at their time limit (always in production; tests compare uncapped runs)."""
    return current_app.config.get("SCHEDULE_WALL_CLOCK_CAP", True)


@task("schedule_region")
def run_region(session: Session, job: Job, params: dict[str, Any], report: Report) -> dict[str, Any]:
    """One region of a national build, on any worker: solves and returns the schedule; saves nothing."""
    session.commit()
    report(0.05, f"solving {params['region']}")
    return _region_result(session, params)


def _new_schedule(session: Session, user_id: int | None, r: RegionResult, p: BuildParams,
                  batch: str | None) -> Schedule:
    dates = r.build.problem["dates"]
    stats = dict(r.schedule.get("stats", {}))
    stats["excluded"] = r.build.excluded
    stats["due"] = {str(k): v for k, v in sorted(r.build.due.items())}
    schedule = Schedule(
        region_id=r.region_id, start_date=dt.date.fromisoformat(dates[0]),
        end_date=dt.date.fromisoformat(dates[-1]), seed=r.seed, time_limit=p.time_limit, status="draft",
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


# --- review ----------------------------------------------------------------------------------------

def schedule_summary(session: Session, schedule: Schedule) -> dict[str, Any]:
    """What the review page shows: stats, routes with names, unscheduled with reasons, map points."""
    fac_ids = [db_id(f["id"]) for f in schedule.problem["facilities"]]
    facilities = {f.id: f for f in session.scalars(sa.select(Facility).where(Facility.id.in_(fac_ids)))}
    inspectors = {i.id: i for i in session.scalars(
        sa.select(Inspector).where(Inspector.id.in_([db_id(i["id"]) for i in schedule.problem["inspectors"]])))}
    visits = {v.facility_id: v for v in schedule.visits}
    routes = []
    for route in sorted(schedule.schedule["routes"], key=lambda r: (r["inspector"], r["date"])):
        ins = inspectors.get(db_id(route["inspector"]))
        stops = []
        for stop in route["stops"]:
            fac = facilities.get(db_id(stop["facility"]))
            visit = visits.get(db_id(stop["facility"]))
            stops.append({"visit_id": visit.id if visit else None, "facility": fac, "start": stop["start"],
                          "end": stop["end"], "must_visit": visit.must_visit if visit else False})
        routes.append({"inspector": ins, "inspector_id": db_id(route["inspector"]), "date": route["date"],
                       "depart": route["depart"], "return": route["return"], "travel_km": route["travel_km"],
                       "stops": stops, "home": [ins.home_lat, ins.home_lon] if ins else None})
    reasons = {u["facility"]: u["reason"] for u in schedule.schedule["unscheduled"]}
    groups = [{**g, "facilities": [{"facility": facilities.get(db_id(f)), "reason": reasons[f]}
                                   for f in g["facilities"]]}
              for g in unscheduled_groups(schedule.problem, schedule.schedule)]
    stats = schedule.stats or {}
    return {
        "routes": routes, "unscheduled_groups": groups, "unscheduled_total": len(reasons),
        "capacity": capacity_use(schedule.problem, schedule.schedule),
        "refused": refused_entries(session, region_id=schedule.region_id),
        "dates": schedule.problem["dates"],
        "inspectors": sorted(inspectors.values(), key=lambda i: i.full_name),
        "must_total": stats.get("must_visit", 0), "must_scheduled": stats.get("must_visit_scheduled", 0),
        "optional_scheduled": stats.get("optional_scheduled", 0), "travel_km": stats.get("travel_km", 0),
        "excluded": [{"facility": session.get(Facility, e["facility_id"]), "reason": e["reason"]}
                     for e in stats.get("excluded", [])],
    }


# --- edits -----------------------------------------------------------------------------------------

@dataclass
class EditResult:
    """An accepted edit: the schedule as saved and the predictability warnings it caused."""

    schedule: Schedule
    warnings: list[dict[str, str]]


def _find(schedule_json: dict[str, Any], fid: str) -> tuple[dict[str, Any], int]:
    for route in schedule_json["routes"]:
        for k, stop in enumerate(route["stops"]):
            if stop["facility"] == fid:
                return route, k
    raise NotFound("Visit not found.")


def _visit(schedule: Schedule, visit_id: int, field_name: str = "visit_id") -> ScheduleVisit:
    for visit in schedule.visits:
        if visit.id == visit_id:
            return visit
    raise NotFound("Visit not found.", field_name)


def edit_schedule(session: Session, user: User, schedule: Schedule, data: dict[str, Any]) -> EditResult:
    """Move, swap or remove visits of a draft; commits only when the validator accepts the result.

    `data`: {"action": "move", "visit_id", "date"?, "inspector_id"?} (a moved visit goes where it adds
    the fewest kilometres in the target inspector-day), {"action": "swap", "visit_id", "other_visit_id"}
    or {"action": "remove", "visit_id"}; `version` (optional) refuses an edit on a stale copy.
    Raises InvalidInput naming the broken rule(s) in `errors["rules"]`.
    """
    require_editor(user, schedule)
    if schedule.status != "draft":
        raise Conflict("Only a draft schedule can be edited.", "status")
    if data.get("version") is not None and data["version"] != schedule.version:
        raise Conflict("Someone else changed this schedule meanwhile; reload it and edit again.", "version")
    before = schedule.schedule
    after = engine.copy_schedule(before)
    visit = _visit(schedule, data["visit_id"])
    fid = facility_id(visit.facility_id)
    action = data["action"]
    touched: set[tuple[str, str]] = set()
    if action == "remove":
        route, k = _find(after, fid)
        route["stops"].pop(k)
        touched.add((route["inspector"], route["date"]))
        if visit.must_visit:
            after["unscheduled"].append({"facility": fid, "reason": "removed by a supervisor"})
    elif action == "move":
        target_date = (data.get("date") or visit.date).isoformat()
        if target_date not in schedule.problem["dates"]:
            raise InvalidInput("The date is outside the schedule's horizon.", "date")
        target_ins = inspector_id(data.get("inspector_id") or visit.inspector_id)
        if target_ins not in {i["id"] for i in schedule.problem["inspectors"]}:
            raise InvalidInput("This inspector is not part of the schedule.", "inspector_id")
        route, k = _find(after, fid)
        stop = route["stops"].pop(k)
        touched.add((route["inspector"], route["date"]))
        target = engine.route_of(after, target_ins, target_date)
        engine.insert_best(schedule.problem, target, stop)
        touched.add((target_ins, target_date))
    elif action == "swap":
        other = _visit(schedule, data["other_visit_id"], "other_visit_id")
        r1, k1 = _find(after, fid)
        r2, k2 = _find(after, facility_id(other.facility_id))
        r1["stops"][k1], r2["stops"][k2] = r2["stops"][k2], r1["stops"][k1]
        touched |= {(r1["inspector"], r1["date"]), (r2["inspector"], r2["date"])}
    else:
        raise InvalidInput("Unknown edit action.", "action")
    errors = engine.retime(schedule.problem, after, touched)
    counts = engine.recount(schedule.problem, after)
    errors += [e for e in engine.validate(schedule.problem, after) if e not in errors]
    if errors:
        rules = sorted({e["rule"] for e in errors})
        raise InvalidInput("The edit breaks the rules: " + "; ".join(f"{e['rule']}: {e['message']}"
                                                                   for e in errors[:5]),
                           errors={"rules": rules, "violations": [e["message"] for e in errors[:20]]})
    warnings = engine.predictability_warnings(schedule.problem, schedule.original or before, after)
    if schedule.original is None:
        schedule.original = before
    schedule.schedule = after
    schedule.stats = {**(schedule.stats or {}), **counts}
    schedule.edited = True
    sync_visits(schedule)
    session.commit()
    return EditResult(schedule, warnings)


# --- publishing ------------------------------------------------------------------------------------

def lock_region(session: Session, region_id: int) -> None:
    """Serialise writers of one region's published schedules until this transaction ends.

    The UPDATE is the transaction's first statement: PostgreSQL holds the region row's lock, SQLite its
    write lock (a read first would pin a snapshot that could no longer write once another writer committed).
    """
    session.commit()
    session.execute(sa.update(Region).where(Region.id == region_id).values(id=Region.id)
                    .execution_options(synchronize_session=False))


def publication_effect(session: Session, schedule: Schedule) -> dict[str, Any]:
    """What publishing would do (for the confirmation step), or the reason it is refused.

    Returns {"supersedes": Schedule | None, "from": date | None, "visits": n, "inspectors": n,
    "refusal": ServiceError | None}.
    """
    effect: dict[str, Any] = {"supersedes": schedule.supersedes, "from": schedule.effective_from,
                              "visits": len(schedule.visits),
                              "inspectors": len({v.inspector_id for v in schedule.visits}), "refusal": None}
    try:
        _check_publishable(session, schedule)
    except ServiceError as exc:
        effect["refusal"] = exc
    return effect


def _overlapping(session: Session, schedule: Schedule) -> list[Schedule]:
    rows = session.scalars(sa.select(Schedule).where(
        Schedule.region_id == schedule.region_id, Schedule.id != schedule.id,
        Schedule.status.in_(("published", "superseded")),
        Schedule.start_date <= schedule.end_date, Schedule.end_date >= schedule.first_day))
    return [s for s in rows if s.status == "published" or s.superseded_from is not None
            if s.first_day <= schedule.end_date and s.last_day >= schedule.first_day and s.first_day <= s.last_day]


def _check_publishable(session: Session, schedule: Schedule) -> None:
    """Every reason a draft may not be published, as the ServiceError a user reads (writes nothing)."""
    if schedule.status != "draft":
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only a draft can be published.", "status")
    if schedule.hit_cap:
        raise Conflict("This build stopped at the wall-clock safety net, so an auditor could not rebuild it; "
                       "rebuild it (same seed) on a less busy server before publishing.", "hit_cap")
    if schedule.first_day < today_almaty():
        raise InvalidInput("The schedule starts in the past; build a new one from today or later.", "start")
    errors = engine.validate(schedule.problem, schedule.schedule)
    if errors:
        raise InvalidInput("The schedule breaks the rules: " + errors[0]["message"],
                           errors={"rules": sorted({e["rule"] for e in errors})})
    same = session.scalar(sa.select(Schedule).where(
        Schedule.commitment == engine.commitment(schedule.schedule, schedule.seed)))
    if same is not None:
        raise Conflict(f"Schedule {same.id} with the same routes and seed is already published; "
                       "build with another seed or keep that one.", "commitment")
    clash = session.execute(
        sa.select(Inspector.full_name, ScheduleVisit.date)
        .join(ScheduleVisit, ScheduleVisit.inspector_id == Inspector.id)
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(Schedule.region_id != schedule.region_id, live_visit_clause(),
               sa.tuple_(ScheduleVisit.inspector_id, ScheduleVisit.date).in_(
                   sa.select(ScheduleVisit.inspector_id, ScheduleVisit.date)
                   .where(ScheduleVisit.schedule_id == schedule.id)))
        .limit(1)).first()
    if clash is not None:
        raise Conflict(f"{clash.full_name} is already sent out on {clash.date.isoformat()} by a published schedule "
                       "of another region; rebuild this schedule so it sees that booking.", "inspector")
    for old in _overlapping(session, schedule):
        if old.id == schedule.supersedes_id and old.status == "published":
            continue
        raise Conflict(f"Published schedule {old.id} ({old.first_day.isoformat()}..{old.last_day.isoformat()}) "
                       "covers these dates; build a replacement that names it and the date it applies from.",
                       "supersedes")
    if schedule.supersedes_id is not None and schedule.supersedes.status != "published":
        raise Conflict(f"Schedule {schedule.supersedes_id}, which this one replaces, is no longer published.",
                       "supersedes")


def publish_schedule(session: Session, user: User, schedule: Schedule) -> Schedule:
    """Publish a draft: fix its commitment; commits.

    Refused (nothing written) when the draft is no longer a draft, hit the wall-clock cap, starts in the
    past, breaks a rule, repeats a published commitment, double-books a shared inspector, or overlaps a
    published schedule of its region other than the one it explicitly replaces; that one is superseded
    from the replacement date (its earlier days and commitment stay). Writers of a region are serialised
    (`lock_region`), so two publications at once cannot both pass the checks.
    """
    require_editor(user, schedule)
    lock_region(session, schedule.region_id)
    session.refresh(schedule)
    _check_publishable(session, schedule)
    if schedule.supersedes_id is not None:
        old = schedule.supersedes
        old.status = "superseded"
        old.superseded_from = schedule.effective_from
    schedule.commitment = engine.commitment(schedule.schedule, schedule.seed)
    schedule.status = "published"
    schedule.published_at = utcnow()
    schedule.published_by_id = user.id
    try:
        session.commit()
    except (sa.exc.IntegrityError, so.exc.StaleDataError):
        session.rollback()
        raise Conflict("Another publication of this region came first; reload the schedule.", "status") from None
    return schedule


def discard_schedule(session: Session, user: User, schedule: Schedule) -> Schedule:
    """Mark a draft discarded (kept, never deleted, so what was built stays on record); commits."""
    require_editor(user, schedule)
    lock_region(session, schedule.region_id)
    session.refresh(schedule)
    if schedule.status != "draft":
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only a draft can be discarded.", "status")
    schedule.status = "discarded"
    schedule.discarded_at = utcnow()
    schedule.discarded_by_id = user.id
    session.commit()
    return schedule


def find_commitment(session: Session, commitment: str) -> Schedule:
    """The published schedule with this commitment (for the public check page), or NotFound."""
    text = (commitment or "").strip().lower()
    schedule = session.scalar(sa.select(Schedule).where(Schedule.commitment == text)) if len(text) == 64 else None
    if schedule is None:
        raise NotFound("No schedule was published with this commitment.")
    return schedule


def export_schedule(schedule: Schedule) -> dict[str, Any]:
    """The schedule in the engine's JSON format (what `python -m scheduler validate` reads)."""
    return schedule.schedule


def export_problem(schedule: Schedule) -> dict[str, Any]:
    """The exact problem the schedule was solved from (its sha256 is in the schedule)."""
    return schedule.problem


# --- inspectors' routes ----------------------------------------------------------------------------

def route_days(today: dt.date | None = None) -> list[dt.date]:
    """The days an inspector may see: today and the next working day (Almaty time)."""
    today = today or today_almaty()
    workdays = current_app.config["SCHEDULE_WORKDAYS"]
    nxt = horizon_dates(today + dt.timedelta(days=1), 1, workdays)[0]
    return [today, nxt]


def my_route(session: Session, user: User, day: dt.date | None = None) -> tuple[dt.date, list[ScheduleVisit]]:
    """The user's own visits of published schedules on one day, in route order.

    Only today and the next working day are shown, so the surprise survives a leaked phone.
    """
    if user.role != "inspector":
        raise Forbidden("Only inspectors have a route.")
    allowed = route_days()
    day = day or allowed[0]
    if day not in allowed:
        raise Forbidden("Routes are shown for today and the next working day only.", "date")
    inspector = session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))
    if inspector is None:
        return day, []
    visits = session.scalars(
        sa.select(ScheduleVisit).join(Schedule)
        .where(ScheduleVisit.inspector_id == inspector.id, ScheduleVisit.date == day, live_visit_clause())
        .order_by(ScheduleVisit.order)
        .options(so.joinedload(ScheduleVisit.facility)))
    return day, list(visits)


# The absence repair and urgent visits live in their own modules; views import them from here.
from inspect_app.services.schedule_repair import mark_absent, revision_names  # noqa: E402, F401
from inspect_app.services.schedule_urgent import apply_urgent, urgent_options  # noqa: E402, F401

"""Running long work in the background with progress, cancellation and no half-written results.

A task is a function `task(session, job, params, report, runtime) -> dict` registered with `@task("kind")`;
`runtime` is the deployment's configuration (services/runtime.py) the runner was given.
It must write its results with `session` and commit once at the end; `report(fraction, phase, **extra)`
records progress through a separate connection (so progress is visible while the work is uncommitted)
and raises `JobCancelled` once a user asked to cancel. A failed or cancelled task is rolled back whole.

Where jobs run: on RQ workers when `REDIS_URL` is set, inline when `JOBS_INLINE` (tests), otherwise
in a background thread of the app (the embedded default, `Runtime.run_in_thread`).

Jobs whose runner died: while a job runs, a thread of its runner writes `heartbeat_at` every
`JOB_HEARTBEAT_SECONDS`. A running job without a heartbeat for `JOB_DEAD_AFTER_SECONDS`, or whose RQ job RQ
itself gave up on (failed, stopped, abandoned, gone), is marked failed with a plain reason; a cancel asked of
a job whose runner stopped beating ends it as cancelled. This is checked whenever a job is read, before a job
is started, and by every live runner's heartbeat thread (a periodic sweep).
"""

import logging
import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.extensions import db
from inspect_app.models import Job, JobStatus, User
from inspect_app.models.job import ACTIVE_JOB_STATUSES
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import may_read_job
from inspect_app.services.errors import NotFound, ServiceError, Unavailable
from inspect_app.services.notifications import emit, job_resource
from inspect_app.services.runtime import Runtime

log = logging.getLogger(__name__)
TASKS: dict[str, Callable] = {}
DEAD_MESSAGE = "The worker running this job stopped (its process ended or lost contact); nothing was saved."
DEAD_CANCEL_MESSAGE = "Cancelled: the worker running this job had already stopped; nothing was saved."

# Plain messages a job page shows (translated there); details of a failure go to the log and `job.error`.
FAILED_MESSAGE = "The job failed because of an error on the server; nothing was saved."
CANCELLED_MESSAGE = "Cancelled by a user; nothing was saved."
CANCELLED_QUEUED_MESSAGE = "Cancelled before it started."
QUEUE_DOWN_MESSAGE = "The job queue cannot be reached: nothing was started; try again in a few minutes."


class JobCancelled(Exception):
    """Raised inside a task when a user asked to cancel it."""


def task(kind: str) -> Callable:
    """Register a function as the task of a job kind."""

    def decorator(func: Callable) -> Callable:
        TASKS[kind] = func
        return func

    return decorator


def submit(session: Session, user: User | None, kind: str, params: dict[str, Any],
           region_id: int | None = None, *, runtime: Runtime) -> Job:
    """Create a job and start it where this deployment runs jobs; commits the job row first."""
    _load_tasks(runtime)
    if kind not in TASKS:
        raise ValueError(f"Unknown job kind {kind!r}")
    begin_write(session)
    sweep_dead_jobs(session, runtime)
    job = Job(id=uuid.uuid4().hex, kind=kind, params=params, user_id=user.id if user else None,
              region_id=region_id)
    session.add(job)
    session.commit()
    if runtime.jobs_inline or (not runtime.redis_url and runtime.run_in_thread is None):
        # Inline also when nothing else can run it: a Runtime built outside an app has no thread runner.
        execute(session, job.id, runtime)
    elif runtime.redis_url:
        _enqueue(session, runtime, job)
    else:
        runtime.run_in_thread(job.id)
    return job


def _enqueue(session: Session, runtime: Runtime, job: Job) -> None:
    """Hand the job to RQ; with Redis unreachable, end its row failed and answer 503 (nothing runs)."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue

    try:
        connection = Redis.from_url(runtime.redis_url, socket_connect_timeout=2, socket_timeout=2)
        Queue(runtime.rq_queue, connection=connection).enqueue(
            "inspect_app.worker.run_job", job.id, job_id=job.id, job_timeout=3600)
    except RedisError as error:
        log.error("job %s not queued, Redis unreachable: %s", job.id, error)
        begin_write(session)
        session.execute(sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.QUEUED).values(
            status=JobStatus.FAILED, message=QUEUE_DOWN_MESSAGE, finished_at=utcnow()))
        session.commit()
        raise Unavailable(QUEUE_DOWN_MESSAGE) from error


def _load_tasks(runtime: Runtime) -> None:
    # Task modules register themselves on import; importing here keeps services free of cycles.
    import importlib

    for module in runtime.job_task_modules:
        importlib.import_module(module)


def claim_and_run(engine: sa.Engine, job_id: str, runtime: Runtime) -> None:
    """Claim a queued job atomically and run it here, in a session of its own; nothing if another took it.

    A parent job waiting for its children takes the ones nobody took yet, so a single worker never waits
    for a job that only it could run. The child's failure is recorded on its row for the parent to see.
    """
    with Session(engine) as side:
        claimed = side.execute(sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
                               .values(status=JobStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())).rowcount
        side.commit()
        if not claimed:
            return
        child = side.get(Job, job_id)
        # The claimed child beats on its own row, or a sweep would take it for dead while it solves.
        heartbeat = Heartbeat(engine, job_id, runtime)
        heartbeat.start()
        try:
            result = TASKS[child.kind](side, child, dict(child.params), _no_report, runtime)
        except Exception as exc:  # noqa: BLE001 - the parent sees the failure through the job row
            side.rollback()
            log.exception("job %s failed", job_id)
            begin_write(side)
            child = side.get(Job, job_id)
            child.status, child.message, child.finished_at = JobStatus.FAILED, failure_message(exc), utcnow()
            child.error = "".join(traceback.format_exception(exc))[-8000:]
            side.commit()
            return
        finally:
            heartbeat.stop()
        # A fresh transaction with the write lock: the one that read before the task's commits cannot write.
        begin_write(side)
        child = side.get(Job, job_id)
        child.status, child.result, child.progress, child.finished_at = JobStatus.FINISHED, result, 1.0, utcnow()
        side.commit()


def _no_report(fraction: float, phase: str, **extra: Any) -> None:
    """A claimed child reports through its parent, not on its own row."""


def _progress_writer(job_id: str) -> Callable:
    engine = db.engine

    def report(fraction: float, phase: str, **extra: Any) -> None:
        with Session(engine) as side:
            begin_write(side)
            job = side.get(Job, job_id)
            if job is None:
                return
            job.progress = max(0.0, min(1.0, float(fraction)))
            job.phase = phase[:200]
            job.heartbeat_at = utcnow()
            if extra:
                job.result = {**(job.result or {}), "live": extra}
            cancel = job.cancel_requested
            side.commit()
        if cancel:
            raise JobCancelled()

    return report


def execute(session: Session, job_id: str, runtime: Runtime) -> Job:
    """Run a queued job to its end in this process; the task's writes commit once or not at all."""
    _load_tasks(runtime)
    begin_write(session)
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("Job not found.")
    kind, params = job.kind, dict(job.params)
    now = utcnow()
    # Conditional, so that a cancel of the queued job (or a second runner) cannot be overwritten.
    started = session.execute(sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
                              .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)).rowcount
    session.commit()
    if not started:
        return session.get(Job, job_id)
    heartbeat = Heartbeat(db.engine, job_id, runtime)
    heartbeat.start()
    # Reloading the job after the commit would open a read transaction that, on SQLite without WAL,
    # blocks the progress writer's own connection; the task gets the job loaded in a fresh transaction.
    report = _progress_writer(job_id)
    try:
        result = TASKS[kind](session, session.get(Job, job_id), params, report, runtime) or {}
        session.commit()
        _finish(session, job_id, JobStatus.FINISHED, result=result)
    except JobCancelled:
        session.rollback()
        _finish(session, job_id, JobStatus.CANCELLED, message=CANCELLED_MESSAGE)
    except Exception as exc:  # noqa: BLE001 - any failure must end the job visibly, never leave it running
        session.rollback()
        log.exception("job %s failed", job_id)
        _finish(session, job_id, JobStatus.FAILED, message=failure_message(exc),
                error="".join(traceback.format_exception(exc))[-8000:])
    finally:
        heartbeat.stop()
    return session.get(Job, job_id)


def failure_message(exc: BaseException) -> str:
    """What the job page shows for a failure: a service's own message, else a plain one.

    Anything else (a database error with its SQL and parameters, a traceback) goes to the log and to
    `job.error` for administrators, never to the person watching the progress bar.
    """
    if isinstance(exc, ServiceError):
        return exc.message[:500]
    return FAILED_MESSAGE


def _finish(session: Session, job_id: str, status: JobStatus, *, result: dict | None = None, message: str = "",
            error: str | None = None) -> None:
    begin_write(session)
    job = session.get(Job, job_id)
    session.refresh(job)
    job.status = status
    job.finished_at = utcnow()
    if status == JobStatus.FINISHED:
        job.progress = 1.0
        job.result = result
    if message:
        job.message = message
    if error:
        job.error = error
    _tell(session, job)
    session.commit()


# Jobs whose starter hears by e-mail how they ended (a national build's region children report through it).
TOLD_JOB_KINDS = frozenset({"schedule_build", "report_batch", "capacity_whatif"})


def _tell(session: Session, job: Job) -> None:
    """Queue the e-mail to whoever started the job, in the transaction that ends it (cancelled: they know)."""
    if job.user_id is None or job.kind not in TOLD_JOB_KINDS or job.status == "cancelled":
        return
    kind = EventKind.JOB_FINISHED if job.status == "finished" else EventKind.JOB_FAILED
    emit(session, kind, job_resource(job), region_id=job.region_id, user_id=job.user_id)


def _own_job(session: Session, user: User, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or not may_read_job(user, job):
        raise NotFound("Job not found.")
    return job


def get_job(session: Session, user: User, job_id: str, runtime: Runtime) -> Job:
    """A job the user started, or any job for admins; NotFound otherwise. A job whose runner died ends failed."""
    job = _own_job(session, user, job_id)
    if not job.done:
        _end_if_dead(session, job, runtime)
    return job


def request_cancel(session: Session, user: User, job_id: str, runtime: Runtime) -> Job:
    """Ask a running job to stop at its next progress report; a queued job is cancelled at once. Commits.

    A job whose runner died ends as cancelled once its heartbeat is three beats late.
    """
    job = _own_job(session, user, job_id)
    # Conditional updates: the runner may start (or finish) the job at this very moment.
    session.execute(sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.QUEUED).values(
        status=JobStatus.CANCELLED, finished_at=utcnow(), message=CANCELLED_QUEUED_MESSAGE))
    session.execute(sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.RUNNING)
                    .values(cancel_requested=True))
    session.commit()
    session.refresh(job)
    _end_if_dead(session, job, runtime)
    return job


class Heartbeat:
    """A thread of the job's runner that writes its heartbeat and sweeps other jobs whose runners died."""

    def __init__(self, engine: sa.Engine, job_id: str, runtime: Runtime) -> None:
        self.engine, self.job_id, self.runtime = engine, job_id, runtime
        self.interval = runtime.job_heartbeat_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"heartbeat-{job_id}")

    def start(self) -> None:
        """Begin beating."""
        self._thread.start()

    def stop(self) -> None:
        """Stop beating (the job ended)."""
        self._stop.set()
        self._thread.join(self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with Session(self.engine) as side:
                    side.execute(sa.update(Job).where(Job.id == self.job_id, Job.status == JobStatus.RUNNING)
                                 .values(heartbeat_at=utcnow()))
                    side.commit()
                    sweep_dead_jobs(side, self.runtime)
            except sa.exc.SQLAlchemyError as exc:  # a busy or briefly unreachable database: beat again later
                logging.getLogger(__name__).warning("heartbeat of job %s not written: %s", self.job_id, exc)


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def _rq_gave_up(job_ids: list[str], redis_url: str) -> dict[str, str]:
    """For RQ jobs that RQ itself no longer runs (failed, stopped, abandoned, expired): job id -> RQ's reason."""
    from redis import Redis
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RQJob

    verdicts = {}
    try:
        connection = Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        for job_id in job_ids:
            try:
                rq_job = RQJob.fetch(job_id, connection=connection)
            except NoSuchJobError:
                verdicts[job_id] = "gone from the queue"
                continue
            status = rq_job.get_status(refresh=False)
            if status in ("failed", "stopped", "canceled"):
                verdicts[job_id] = str(status)
    except RedisError:
        return {}  # Redis down: the heartbeat alone decides
    return verdicts


def death_reasons(jobs: list[Job], runtime: Runtime) -> dict[str, tuple[str, str]]:
    """Jobs whose runner died: job id -> (final status, message). Jobs still alive are left out."""
    now = datetime.now(UTC)
    beat = runtime.job_heartbeat_seconds
    dead_after = timedelta(seconds=runtime.job_dead_after_seconds)
    out: dict[str, tuple[str, str]] = {}
    for job in jobs:
        if job.status != JobStatus.RUNNING:
            continue
        silent = now - (_aware(job.heartbeat_at) or _aware(job.started_at) or now)
        if job.cancel_requested and silent > timedelta(seconds=3 * beat):
            out[job.id] = (JobStatus.CANCELLED, DEAD_CANCEL_MESSAGE)
        elif silent > dead_after:
            out[job.id] = (JobStatus.FAILED, DEAD_MESSAGE)
    if runtime.redis_url:
        # Queued ones only once they had time to reach Redis (the row is committed before the enqueue).
        asked = [j.id for j in jobs if j.id not in out and (j.status == JobStatus.RUNNING or (
            j.status == JobStatus.QUEUED and now - (_aware(j.created_at) or now) > dead_after))]
        for job_id, reason in _rq_gave_up(asked, runtime.redis_url).items():
            cancelled = next(j.cancel_requested for j in jobs if j.id == job_id)
            out[job_id] = (JobStatus.CANCELLED, DEAD_CANCEL_MESSAGE) if cancelled else (
                JobStatus.FAILED, f"{DEAD_MESSAGE} (RQ: {reason})")
    return out


def _mark_dead(session: Session, verdicts: dict[str, tuple[str, str]]) -> int:
    """End the given jobs as their verdict says, unless they ended meanwhile; commits. Returns how many."""
    if not verdicts:
        return 0
    begin_write(session)
    ended = 0
    for job_id, (status, message) in verdicts.items():
        done = session.execute(sa.update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE_JOB_STATUSES))
                               .values(status=status, message=message, finished_at=utcnow())).rowcount
        if done:
            _tell(session, session.get(Job, job_id, populate_existing=True))
        ended += done
    session.commit()
    return ended


def _end_if_dead(session: Session, job: Job, runtime: Runtime) -> None:
    verdicts = death_reasons([job], runtime)
    if verdicts:
        _mark_dead(session, verdicts)
        session.refresh(job)


def sweep_dead_jobs(session: Session, runtime: Runtime) -> int:
    """Mark every job whose runner died as failed (or cancelled, if a cancel was asked); commits if any."""
    jobs = list(session.scalars(sa.select(Job).where(Job.status.in_(ACTIVE_JOB_STATUSES))))
    return _mark_dead(session, death_reasons(jobs, runtime))


def job_status(job: Job) -> dict[str, Any]:
    """What a progress bar shows."""
    elapsed = None
    if job.started_at is not None:
        start = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=UTC)
        end = job.finished_at or datetime.now(UTC)
        end = end if end.tzinfo else end.replace(tzinfo=UTC)
        elapsed = round((end - start).total_seconds(), 1)
    return {
        "id": job.id, "kind": job.kind, "status": job.status,
        "phase": job.phase, "progress": round(job.progress, 3), "message": job.message,
        "elapsed_seconds": elapsed, "result": job.result, "cancel_requested": job.cancel_requested,
    }

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
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.extensions import db
from inspect_app.models import Job, JobStatus, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import may_read_job
from inspect_app.services.errors import NotFound, ServiceError, Unavailable
from inspect_app.services.job_health import (  # noqa: F401 (sweep_dead_jobs and death_reasons are used from here)
    DEAD_MESSAGE,
    Heartbeat,
    death_reasons,
    end_if_dead,
    sweep_dead_jobs,
    tell,
)
from inspect_app.services.runtime import Runtime

log = logging.getLogger(__name__)
TASKS: dict[str, Callable] = {}

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
    tell(session, job)
    session.commit()


def _own_job(session: Session, user: User, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or not may_read_job(user, job):
        raise NotFound("Job not found.")
    return job


def get_job(session: Session, user: User, job_id: str, runtime: Runtime) -> Job:
    """A job the user started, or any job for admins; NotFound otherwise. A job whose runner died ends failed."""
    job = _own_job(session, user, job_id)
    if not job.done:
        end_if_dead(session, job, runtime)
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
    end_if_dead(session, job, runtime)
    return job


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

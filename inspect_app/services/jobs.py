"""Running long work in the background with progress, cancellation and no half-written results.

A task is a function `task(session, job, params, report) -> dict` registered with `@task("kind")`.
It must write its results with `session` and commit once at the end; `report(fraction, phase, **extra)`
records progress through a separate connection (so progress is visible while the work is uncommitted)
and raises `JobCancelled` once a user asked to cancel. A failed or cancelled task is rolled back whole.

Where jobs run: on RQ workers when `REDIS_URL` is set, inline when `JOBS_INLINE` (tests), otherwise
in a background thread of the app (the embedded default).
"""

import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from inspect_app.extensions import db
from inspect_app.models import Job, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.errors import NotFound

TASKS: dict[str, Callable] = {}
STALE_AFTER_SECONDS = 300


class JobCancelled(Exception):
    """Raised inside a task when a user asked to cancel it."""


def task(kind: str) -> Callable:
    """Register a function as the task of a job kind."""

    def decorator(func: Callable) -> Callable:
        TASKS[kind] = func
        return func

    return decorator


def submit(session: Session, user: User | None, kind: str, params: dict[str, Any],
           region_id: int | None = None) -> Job:
    """Create a job and start it where this deployment runs jobs; commits the job row first."""
    _load_tasks()
    if kind not in TASKS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job(id=uuid.uuid4().hex, kind=kind, params=params, user_id=user.id if user else None,
              region_id=region_id)
    session.add(job)
    session.commit()
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        execute(session, job.id)
    elif app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        queue = Queue(app.config["RQ_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))
        queue.enqueue("inspect_app.worker.run_job", job.id, job_id=job.id, job_timeout=3600)
    else:
        threading.Thread(target=run_in_app, args=(app, job.id), daemon=True, name=f"job-{job.id}").start()
    return job


def run_in_app(app: Flask, job_id: str) -> None:
    """Run a job inside an app context of its own (threads and RQ workers)."""
    with app.app_context():
        try:
            execute(db.session, job_id)
        finally:
            db.session.remove()


def _load_tasks() -> None:
    # Task modules register themselves on import; importing here keeps services free of cycles.
    import importlib

    for module in current_app.config.get("JOB_TASK_MODULES", ()):
        importlib.import_module(module)


def claim_and_run(engine: sa.Engine, job_id: str) -> None:
    """Claim a queued job atomically and run it here, in a session of its own; nothing if another took it.

    A parent job waiting for its children takes the ones nobody took yet, so a single worker never waits
    for a job that only it could run. The child's failure is recorded on its row for the parent to see.
    """
    with Session(engine) as side:
        claimed = side.execute(sa.update(Job).where(Job.id == job_id, Job.status == "queued")
                               .values(status="running", started_at=utcnow(), heartbeat_at=utcnow())).rowcount
        side.commit()
        if not claimed:
            return
        child = side.get(Job, job_id)
        try:
            result = TASKS[child.kind](side, child, dict(child.params), _no_report)
        except Exception as exc:  # noqa: BLE001 - the parent sees the failure through the job row
            side.rollback()
            child = side.get(Job, job_id)
            child.status, child.message, child.finished_at = "failed", str(exc)[:500], utcnow()
            side.commit()
            return
        child.status, child.result, child.progress, child.finished_at = "finished", result, 1.0, utcnow()
        side.commit()


def _no_report(fraction: float, phase: str, **extra: Any) -> None:
    """A claimed child reports through its parent, not on its own row."""


def _progress_writer(job_id: str) -> Callable:
    engine = db.engine

    def report(fraction: float, phase: str, **extra: Any) -> None:
        with Session(engine) as side:
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


def execute(session: Session, job_id: str) -> Job:
    """Run a queued job to its end in this process; the task's writes commit once or not at all."""
    _load_tasks()
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("Job not found.")
    if job.status != "queued":
        return job
    job.status = "running"
    job.started_at = job.heartbeat_at = utcnow()
    kind, params = job.kind, dict(job.params)
    session.commit()
    # Reloading the job after the commit would open a read transaction that, on SQLite without WAL,
    # blocks the progress writer's own connection; the task gets the job loaded in a fresh transaction.
    report = _progress_writer(job_id)
    try:
        result = TASKS[kind](session, session.get(Job, job_id), params, report) or {}
        session.commit()
        _finish(session, job_id, "finished", result=result)
    except JobCancelled:
        session.rollback()
        _finish(session, job_id, "cancelled", message="Cancelled by a user; nothing was saved.")
    except Exception as exc:  # noqa: BLE001 - any failure must end the job visibly, never leave it running
        session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        _finish(session, job_id, "failed", message=str(exc)[:500],
                error="".join(traceback.format_exception(exc))[-8000:])
    return session.get(Job, job_id)


def _finish(session: Session, job_id: str, status: str, *, result: dict | None = None, message: str = "",
            error: str | None = None) -> None:
    job = session.get(Job, job_id)
    session.refresh(job)
    job.status = status
    job.finished_at = utcnow()
    if status == "finished":
        job.progress = 1.0
        job.result = result
    if message:
        job.message = message
    if error:
        job.error = error
    session.commit()


def get_job(session: Session, user: User, job_id: str) -> Job:
    """A job the user started, or any job for admins; NotFound otherwise."""
    job = session.get(Job, job_id)
    if job is None or not (user.role == "admin" or job.user_id == user.id):
        raise NotFound("Job not found.")
    return job


def request_cancel(session: Session, user: User, job_id: str) -> Job:
    """Ask a running job to stop at its next progress report; a queued job is cancelled at once. Commits."""
    job = get_job(session, user, job_id)
    if job.status == "queued":
        job.status = "cancelled"
        job.finished_at = utcnow()
        job.message = "Cancelled before it started."
    elif job.status == "running":
        job.cancel_requested = True
    session.commit()
    return job


def is_stalled(job: Job) -> bool:
    """True when a running job has not reported for a while (its worker probably died)."""
    if job.status != "running" or job.heartbeat_at is None:
        return False
    beat = job.heartbeat_at if job.heartbeat_at.tzinfo else job.heartbeat_at.replace(tzinfo=UTC)
    return (datetime.now(UTC) - beat).total_seconds() > STALE_AFTER_SECONDS


def job_status(job: Job) -> dict[str, Any]:
    """What a progress bar shows."""
    elapsed = None
    if job.started_at is not None:
        start = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=UTC)
        end = job.finished_at or datetime.now(UTC)
        end = end if end.tzinfo else end.replace(tzinfo=UTC)
        elapsed = round((end - start).total_seconds(), 1)
    return {
        "id": job.id, "kind": job.kind, "status": "stalled" if is_stalled(job) else job.status,
        "phase": job.phase, "progress": round(job.progress, 3), "message": job.message,
        "elapsed_seconds": elapsed, "result": job.result, "cancel_requested": job.cancel_requested,
    }

"""The health of background jobs: the runner's heartbeat, the jobs whose runner died (no heartbeat for
`JOB_DEAD_AFTER_SECONDS`, or RQ gave up on them) ended as failed or cancelled with a plain reason, and the e-mail
that tells whoever started a job how it ended. `jobs` runs the jobs; this module never imports it."""

import logging
import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.models import Job, JobStatus
from inspect_app.models.job import ACTIVE_JOB_STATUSES
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import utcnow
from inspect_app.services.notifications import emit, job_resource
from inspect_app.services.runtime import Runtime

DEAD_MESSAGE = "The worker running this job stopped (its process ended or lost contact); nothing was saved."
DEAD_CANCEL_MESSAGE = "Cancelled: the worker running this job had already stopped; nothing was saved."


# Jobs whose starter hears by e-mail how they ended (a national build's region children report through it).
TOLD_JOB_KINDS = frozenset({"schedule_build", "report_batch", "capacity_whatif"})


def tell(session: Session, job: Job) -> None:
    """Queue the e-mail to whoever started the job, in the transaction that ends it (cancelled: they know)."""
    if job.user_id is None or job.kind not in TOLD_JOB_KINDS or job.status == "cancelled":
        return
    kind = EventKind.JOB_FINISHED if job.status == "finished" else EventKind.JOB_FAILED
    emit(session, kind, job_resource(job), region_id=job.region_id, user_id=job.user_id)


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
        # Queued ones only once they had time to reach Redis (the row is committed before the enqueue); running
        # ones only once their runner missed beats: a fresh heartbeat proves the runner alive, and a job run in
        # its own process (the demo seed's build and what-if) never was in RQ's queue.
        asked = [j.id for j in jobs if j.id not in out and (
            (j.status == JobStatus.RUNNING
             and now - (_aware(j.heartbeat_at) or _aware(j.started_at) or now) > timedelta(seconds=3 * beat))
            or (j.status == JobStatus.QUEUED and now - (_aware(j.created_at) or now) > dead_after))]
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
            tell(session, session.get(Job, job_id, populate_existing=True))
        ended += done
    session.commit()
    return ended


def end_if_dead(session: Session, job: Job, runtime: Runtime) -> None:
    verdicts = death_reasons([job], runtime)
    if verdicts:
        _mark_dead(session, verdicts)
        session.refresh(job)


def sweep_dead_jobs(session: Session, runtime: Runtime) -> int:
    """Mark every job whose runner died as failed (or cancelled, if a cancel was asked); commits if any."""
    jobs = list(session.scalars(sa.select(Job).where(Job.status.in_(ACTIVE_JOB_STATUSES))))
    return _mark_dead(session, death_reasons(jobs, runtime))

"""Background jobs: long work (a national schedule, a batch of PDFs) with progress a user can watch."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime, partial_unique_index
from inspect_app.models.vocab import utcnow


class JobStatus(StrEnum):
    """Where a background job is: waiting, running, or ended one of three ways."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


JOB_STATUSES = tuple(JobStatus)
# A job is active until it ends; ended ones never change again.
ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
ENDED_JOB_STATUSES = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELLED)


class Job(db.Model):
    """One run of a background task; the task writes its result in one transaction at the end."""

    __tablename__ = "job"
    # One active build per region: a second build waits its turn (schedapp; a constraint, not a check).
    __table_args__ = (
        partial_unique_index("uq_job_active_build", "region_id",
                             "kind = 'schedule_build' AND status IN ('queued', 'running')"),
    )

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=JobStatus.QUEUED, index=True)
    phase: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    progress: so.Mapped[float] = so.mapped_column(sa.Float, default=0.0)
    message: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    params: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    result: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    cancel_requested: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    started_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    heartbeat_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    user: so.Mapped["User | None"] = so.relationship()  # noqa: F821

    @property
    def done(self) -> bool:
        """True once the job ended, one way or another."""
        return self.status in ENDED_JOB_STATUSES

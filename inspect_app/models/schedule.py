"""Surprise-inspection schedules: what the engine decided for a region and horizon, and its visits."""

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.facility import Facility
from inspect_app.models.geo import Region
from inspect_app.models.inspector import Inspector
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class ScheduleStatus(StrEnum):
    """A schedule's life: a draft is published (or discarded); a published one is superseded by its successor."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


SCHEDULE_STATUSES = tuple(ScheduleStatus)
# Schedules whose routes (or, superseded, their days before the successor) inspectors follow.
COMMITTED_SCHEDULE_STATUSES = (ScheduleStatus.PUBLISHED, ScheduleStatus.SUPERSEDED)
# Why a published schedule has a successor: a replacement from a date, an absence repair, an urgent visit.
REVISION_KINDS = ("replacement", "repair", "urgent")
URGENT_REASONS = ("hotline_111", "incident", "other")
# What happened at a visit (README "The inspector's day"); schedapp's problem builder reads not_done.


class VisitStatus(StrEnum):
    """What happened at a planned visit (its audit's state, or that it did not take place)."""

    PLANNED = "planned"
    CHECKED_IN = "checked_in"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NOT_DONE = "not_done"


VISIT_STATUSES = tuple(VisitStatus)
# Visits still ahead of their inspector (nothing submitted, not reported as not done).
OPEN_VISIT_STATUSES = (VisitStatus.PLANNED, VisitStatus.CHECKED_IN, VisitStatus.DRAFT)
NOT_DONE_REASONS = ("closed", "refused_entry", "not_found", "inspector_ill", "other")


class Schedule(db.Model):
    """One region's schedule for a horizon, with the exact problem it was solved from.

    `problem` and `schedule` hold the engine's JSON formats verbatim, so an auditor can re-solve
    the problem with the seed and time limit and compare; `visits` are the same routes as rows
    for queries. `commitment` is set when the schedule is published and never changes after.
    """

    __tablename__ = "schedule"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    start_date: so.Mapped[date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[date] = so.mapped_column(sa.Date)
    seed: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    time_limit: so.Mapped[float] = so.mapped_column(sa.Float)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=ScheduleStatus.DRAFT, index=True)
    problem: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    problem_sha256: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    schedule: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    # The engine's stats plus what the app adds (facilities left out of the problem and why).
    stats: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    edited: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    # What the engine decided, kept at the first hand edit: predictability is judged against it.
    original: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    commitment: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    # A national build saves one schedule per region with the same batch (its job id).
    batch: so.Mapped[str | None] = so.mapped_column(sa.String(32), index=True)
    national_seed: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    published_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    published_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # Share of spare inspector capacity given to extra lottery visits (the problem's "fill").
    fill: so.Mapped[float | None] = so.mapped_column(sa.Float)
    # A successor of a published schedule names it and the date from which it replaces it; the
    # predecessor keeps its commitment and its days before `superseded_from` (inspectors see those).
    supersedes_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("schedule.id"), index=True)
    effective_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    superseded_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    revision_kind: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    # What a repair or urgent insertion did: moved and unplaced visits, displaced ones, the cost.
    revision: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    discarded_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    discarded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    # Optimistic locking: two supervisors editing one draft cannot overwrite each other.
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    region: so.Mapped[Region] = so.relationship()
    supersedes: so.Mapped["Schedule | None"] = so.relationship(remote_side=[id], foreign_keys=[supersedes_id])
    created_by: so.Mapped["User | None"] = so.relationship(foreign_keys=[created_by_id])  # noqa: F821
    published_by: so.Mapped["User | None"] = so.relationship(foreign_keys=[published_by_id])  # noqa: F821
    visits: so.Mapped[list["ScheduleVisit"]] = so.relationship(
        back_populates="schedule", cascade="all, delete-orphan",
        order_by="(ScheduleVisit.date, ScheduleVisit.inspector_id, ScheduleVisit.order)",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def hit_cap(self) -> bool:
        """True when the build stopped at the wall-clock safety net: it may not be rebuilt, so not published."""
        return bool((self.schedule or {}).get("stats", {}).get("hit_wall_clock_cap"))

    @property
    def first_day(self) -> date:
        """The first date this schedule's routes apply (a successor applies from its effective date)."""
        return self.effective_from or self.start_date

    @property
    def last_day(self) -> date:
        """The last date this schedule's routes apply (a superseded one stops the day before its successor)."""
        if self.superseded_from is not None:
            return self.superseded_from - timedelta(days=1)
        return self.end_date

    def __repr__(self) -> str:
        return f"<Schedule {self.id} {self.status} {self.start_date}..{self.end_date}>"


class ScheduleVisit(db.Model):
    """One planned visit: an inspector at a facility on a date, in route order."""

    __tablename__ = "schedule_visit"
    __table_args__ = (
        sa.Index("ix_schedule_visit_inspector_date", "inspector_id", "date"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    schedule_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("schedule.id", ondelete="CASCADE"), index=True)
    inspector_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("inspector.id"))
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    date: so.Mapped[date] = so.mapped_column(sa.Date, index=True)
    start: so.Mapped[str] = so.mapped_column(sa.String(5))
    end: so.Mapped[str] = so.mapped_column(sa.String(5))
    order: so.Mapped[int] = so.mapped_column(sa.Integer)
    must_visit: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    # An urgent visit (a 111 hotline complaint, an incident) inserted into a published route, with its deadline.
    urgent: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    deadline: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=VisitStatus.PLANNED,
                                              server_default=VisitStatus.PLANNED.value)
    not_done_reason: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    not_done_note: so.Mapped[str] = so.mapped_column(sa.String(500), default="", server_default="")
    # The client UUID of the not-done, so a phone's outbox may send it again and get the same answer.
    not_done_uuid: so.Mapped[str | None] = so.mapped_column(sa.String(36))
    # When the status last changed (UTC).
    status_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    schedule: so.Mapped[Schedule] = so.relationship(back_populates="visits")
    inspector: so.Mapped[Inspector] = so.relationship()
    facility: so.Mapped[Facility] = so.relationship()


def live_visit_clause() -> sa.ColumnElement[bool]:
    """Visits inspectors are sent to (join ScheduleVisit to Schedule first): a published schedule's, a superseded
    one's before its successor."""
    return sa.and_(
        sa.or_(Schedule.status == ScheduleStatus.PUBLISHED,
               sa.and_(Schedule.status == ScheduleStatus.SUPERSEDED, Schedule.superseded_from.is_not(None),
                       ScheduleVisit.date < Schedule.superseded_from)),
        sa.or_(Schedule.effective_from.is_(None), ScheduleVisit.date >= Schedule.effective_from),
    )


class UrgentRequest(db.Model):
    """A complaint or incident that needs a visit before a deadline, as a supervisor entered it.

    `schedule_id` is the published revision that placed the visit; an open request (nothing placed it)
    makes the facility a must-visit with complaint priority in the next build, until it is inspected.
    """

    __tablename__ = "urgent_request"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.String(16))
    note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    deadline: so.Mapped[datetime] = so.mapped_column(UtcDateTime())
    schedule_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("schedule.id"))
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    facility: so.Mapped[Facility] = so.relationship()

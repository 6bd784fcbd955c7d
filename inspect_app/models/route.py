"""The inspector's day: who looked at which schedule or route, and the secret calendar feeds."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime
from inspect_app.models.user import User
from inspect_app.models.vocab import utcnow

# How a schedule or route was read (shown to supervisors by name, see web/schedules/access.py).
ACCESS_CHANNELS = ("page", "api", "pdf", "calendar", "export", "offline")


class RouteAccess(db.Model):
    """One read of a schedule or of an inspector's day: a surprise schedule is secret, so every look is logged."""

    __tablename__ = "route_access"
    __table_args__ = (sa.Index("ix_route_access_region_at", "region_id", "at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"))
    schedule_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("schedule.id", ondelete="SET NULL"),
                                                          index=True)
    inspector_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("inspector.id"))
    day: so.Mapped[date | None] = so.mapped_column(sa.Date)
    channel: so.Mapped[str] = so.mapped_column(sa.String(16))
    what: so.Mapped[str] = so.mapped_column(sa.String(200), default="")

    user: so.Mapped[User | None] = so.relationship()
    inspector: so.Mapped["Inspector | None"] = so.relationship()  # noqa: F821


class CalendarFeed(db.Model):
    """A user's secret iCalendar URL; only the token's SHA-256 is stored, so rotating or revoking is a row change."""

    __tablename__ = "calendar_feed"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    user: so.Mapped[User] = so.relationship()

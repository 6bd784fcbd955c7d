"""Kazakhstan's working calendar beyond the `holidays` package: the government's transfers of days off, the
school year's breaks, and a facility's own closures."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class CalendarTransfer(db.Model):
    """One transfer of a day off by government decree: `day_off` (a weekday nobody works) and/or `working_day`
    (a Saturday or Sunday worked instead, with the hours of the day off's weekday). `year` is the decree's
    calendar year, the unit an admin edits."""

    __tablename__ = "calendar_transfer"
    __table_args__ = (sa.CheckConstraint("day_off IS NOT NULL OR working_day IS NOT NULL", name="one_date"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    year: so.Mapped[int] = so.mapped_column(sa.Integer, index=True)
    day_off: so.Mapped[date | None] = so.mapped_column(sa.Date, unique=True)
    working_day: so.Mapped[date | None] = so.mapped_column(sa.Date, unique=True)
    note: so.Mapped[str] = so.mapped_column(sa.String(200), default="")


class SchoolBreak(db.Model):
    """A break of the school year that starts in `school_year` (2026 = 2026/2027), inclusive dates. A break
    that holds 15 July is the summer."""

    __tablename__ = "school_break"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="break_order"),
                      sa.UniqueConstraint("school_year", "start_date"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    school_year: so.Mapped[int] = so.mapped_column(sa.Integer, index=True)
    start_date: so.Mapped[date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[date] = so.mapped_column(sa.Date)
    note: so.Mapped[str] = so.mapped_column(sa.String(200), default="")


class FacilityClosure(db.Model):
    """A facility's own closure (repairs, quarantine, an emergency), inclusive dates, entered by a supervisor."""

    __tablename__ = "facility_closure"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="closure_order"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id", ondelete="CASCADE"), index=True)
    start_date: so.Mapped[date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[date] = so.mapped_column(sa.Date)
    reason: so.Mapped[str] = so.mapped_column(sa.String(16))
    note: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

"""Summary counts the statistics read instead of the audits themselves, kept current by the writes."""

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db

NO_DISTRICT = 0  # the district key of a facility without a district (a key column may not be NULL)


class AuditMonthCount(db.Model):
    """Counted inspections (submitted, not replaced by a correction) of one month, area, legal basis and result.

    Kept by the submit (+1; a correction also takes its original's -1) in the region and district the facility
    had then; `flask stats rebuild` recounts it from the audits (after moving facilities between districts).
    """

    __tablename__ = "audit_month_count"
    __table_args__ = (
        sa.UniqueConstraint("month", "region_id", "district_id", "legal_basis", "result",
                            name="uq_audit_month_count_key"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    month: so.Mapped[date] = so.mapped_column(sa.Date)  # the first day of the month
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    district_id: so.Mapped[int] = so.mapped_column(sa.Integer)  # NO_DISTRICT when the facility has none
    legal_basis: so.Mapped[str] = so.mapped_column(sa.String(16))
    result: so.Mapped[str] = so.mapped_column(sa.String(24))
    audits: so.Mapped[int] = so.mapped_column(sa.Integer)


class TallyKind(StrEnum):
    """What a `ViolationMonthCount` row counts the violations by (besides month, region and deadline month)."""

    CELL = "cell"  # district, section and severity
    REGION_CELL = "region"  # section and severity (the region's cells: a national view reads a tenth of the rows)
    TYPE = "type"  # the facility's type (key)
    AGENCY = "agency"  # the facility's agency (key)
    ITEM = "item"  # the checklist item (key), with its section and severity


class ViolationMonthCount(db.Model):
    """The violations (superseded ones left out) raised by the submitted inspections of one month and region, by
    one `TallyKind` of grouping and the month of their deadline: how many, how many open and resolved now, and
    the first one's id (an item's text is that violation's).

    Kept by the writes that change them: the submit (+1 open each), a correction (its original's open ones
    become superseded: -1), a resolution (open -1, resolved +1); `flask stats rebuild` recounts it, as it is after
    a facility moves, changes type or agency, or is merged. Overdue ones are the open ones of a deadline month
    before the current one, plus those of the current month counted from the violations themselves.
    """

    __tablename__ = "violation_month_count"
    __table_args__ = (
        sa.UniqueConstraint("kind", "month", "region_id", "district_id", "key", "section", "severity", "due_month",
                            name="uq_violation_month_count_key"),
        sa.Index("ix_violation_month_count_kind_month", "kind", "month"),
        sa.Index("ix_violation_month_count_kind_region_month", "kind", "region_id", "month"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(8))  # TallyKind
    month: so.Mapped[date] = so.mapped_column(sa.Date)  # the first day of the inspection's month
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"))
    district_id: so.Mapped[int] = so.mapped_column(sa.Integer)  # CELL: NO_DISTRICT when none; else NO_DISTRICT
    key: so.Mapped[str] = so.mapped_column(sa.String(120))  # TYPE, AGENCY, ITEM: the type, agency, item code
    section: so.Mapped[str] = so.mapped_column(sa.String(64))  # CELL, REGION_CELL, ITEM ("" else)
    severity: so.Mapped[str] = so.mapped_column(sa.String(16))  # CELL, REGION_CELL, ITEM ("" else)
    due_month: so.Mapped[date] = so.mapped_column(sa.Date)  # the deadline's month (ITEM: the inspection's month)
    violations: so.Mapped[int] = so.mapped_column(sa.Integer)
    open: so.Mapped[int] = so.mapped_column(sa.Integer)
    resolved: so.Mapped[int] = so.mapped_column(sa.Integer)
    first_id: so.Mapped[int] = so.mapped_column(sa.Integer)

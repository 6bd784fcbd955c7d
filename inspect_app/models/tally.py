"""Summary counts the statistics read instead of the audits themselves, kept current by the writes."""

from datetime import date

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

"""Facilities of the registry: schools, kindergartens, camps and the rest."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.geo import District, Region
from inspect_app.models.types import UtcDateTime, partial_index
from inspect_app.models.vocab import FacilityStatus, utcnow

LIVE_FIGURE_COLUMNS = ("district_id", "risk", "type", "status", "last_inspection_date", "last_result",
                       "open_critical", "lat", "lon")


class Facility(db.Model):
    """A place where children spend time and that the inspectorate may visit unannounced."""

    __tablename__ = "facility"
    # Lists are paged in name order, by region for supervisors: these indexes serve a page without a sort.
    __table_args__ = (
        sa.Index("ix_facility_name_ru_id", "name_ru", "id"),
        sa.Index("ix_facility_region_id_name_ru_id", "region_id", "name_ru", "id"),
        # The few merged records, looked up when audits are counted on their survivor.
        partial_index("ix_facility_merged_into_id", "merged_into_id", where="merged_into_id IS NOT NULL"),
        # The dashboard's and the map's figures read the live facilities of a scope from these columns alone
        # (an index-only scan on PostgreSQL) instead of every row of the wide registry table.
        partial_index("ix_facility_live_figures", "region_id", "id", where="archived_at IS NULL",
                      include=LIVE_FIGURE_COLUMNS),
        # Facilities with an open critical item, most urgent first: the dashboard's list and its count.
        partial_index("ix_facility_open_critical", "open_critical_due", "name_ru",
                      where="open_critical > 0 AND archived_at IS NULL", include=("region_id",)),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bin: so.Mapped[str] = so.mapped_column(sa.String(12), unique=True)
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(400))
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(400), default="")
    type: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    agency: so.Mapped[str] = so.mapped_column(sa.String(32), index=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("district.id"), index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(400), default="")
    lat: so.Mapped[float] = so.mapped_column(sa.Float)
    lon: so.Mapped[float] = so.mapped_column(sa.Float)
    children_count: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    # Camps: the yearly season as "MM-DD"; outside it the facility is not visited.
    season_start: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    season_end: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    # {"mon": [["08:00", "18:00"]], ...}; a missing weekday means closed that day.
    opening_hours: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    risk: so.Mapped[str] = so.mapped_column(sa.String(8), index=True)
    risk_reason: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    status: so.Mapped[str] = so.mapped_column(sa.String(16), index=True, default=FacilityStatus.ACTIVE)
    contact_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    contact_phone: so.Mapped[str] = so.mapped_column(sa.String(50), default="")
    contact_email: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    last_inspection_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # The newest submitted audit and its result, kept by the submit for the results map (no look-up per marker).
    # No foreign key: the audit table refers to this one, and the pointer is a summary, not a link to follow.
    last_audit_id: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    last_result: so.Mapped[str | None] = so.mapped_column(sa.String(24))
    # Its open critical violations and their earliest deadline, kept by the writes that change them (the submit, a
    # correction, a resolution, a merge: services/statistics/tally.py), so no figure counts violations per facility.
    open_critical: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    open_critical_due: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # Set by a critical violation: the facility is due for a follow-up on this date.
    followup_due_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    merged_into_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("facility.id"))
    archived_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow
    )
    # Optimistic locking: an edit based on a stale page is refused instead of silently overwriting.
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1)

    region: so.Mapped[Region] = so.relationship()
    district: so.Mapped[District | None] = so.relationship()
    merged_into: so.Mapped["Facility | None"] = so.relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}

    def name(self, locale: str = "ru") -> str:
        """Name in the given UI language (Kazakh when asked and known, Russian otherwise)."""
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru

    @property
    def is_archived(self) -> bool:
        """True once the facility was archived or merged into another record."""
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Facility {self.bin} {self.name_ru!r}>"


def survivor_id(facility_id: sa.ColumnElement[int]) -> sa.ColumnElement[int]:
    """The facility a record of `facility_id` belongs to now: the survivor of a merge, else itself.

    A hashed audit keeps the facility it was hashed with; lists and statistics join through this. Merges keep
    every pointer one step long (services/duplicates.py), so one look-up is enough.
    """
    merged = so.aliased(Facility)
    pointer = sa.select(merged.merged_into_id).where(merged.id == facility_id).scalar_subquery()
    return sa.func.coalesce(pointer, facility_id)


def with_merged(facility_id: int) -> sa.Select:
    """The ids of a facility and of every record merged into it."""
    return sa.select(Facility.id).where(sa.or_(Facility.id == facility_id, Facility.merged_into_id == facility_id))


class DuplicateStatus(StrEnum):
    """A pair found as possible duplicates waits (open) until a person merges it or dismisses it."""

    OPEN = "open"
    MERGED = "merged"
    DISMISSED = "dismissed"


DUPLICATE_STATUSES = tuple(DuplicateStatus)


class DuplicateCandidate(db.Model):
    """A pair of facilities that look like one place registered twice, waiting for a person."""

    __tablename__ = "duplicate_candidate"
    __table_args__ = (sa.UniqueConstraint("facility_a_id", "facility_b_id", name="uq_duplicate_pair"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    facility_a_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    facility_b_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.String(200))
    distance_m: so.Mapped[float | None] = so.mapped_column(sa.Float)
    name_similarity: so.Mapped[float | None] = so.mapped_column(sa.Float)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=DuplicateStatus.OPEN, index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    facility_a: so.Mapped[Facility] = so.relationship(foreign_keys=[facility_a_id])
    facility_b: so.Mapped[Facility] = so.relationship(foreign_keys=[facility_b_id])

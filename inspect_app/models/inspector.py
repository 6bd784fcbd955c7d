"""Inspectors: who may inspect what, from where, and when they are away."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.facility import Facility
from inspect_app.models.geo import Region
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow

inspector_region = sa.Table(
    "inspector_region",
    db.metadata,
    sa.Column("inspector_id", sa.ForeignKey("inspector.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("region_id", sa.ForeignKey("region.id"), primary_key=True),
)


class Inspector(db.Model):
    """An inspector with skills, a home base, a daily capacity and a calendar."""

    __tablename__ = "inspector"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    agency: so.Mapped[str] = so.mapped_column(sa.String(32))
    skills: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    home_address: so.Mapped[str] = so.mapped_column(sa.String(400), default="")
    home_lat: so.Mapped[float] = so.mapped_column(sa.Float)
    home_lon: so.Mapped[float] = so.mapped_column(sa.Float)
    max_visits_per_day: so.Mapped[int] = so.mapped_column(sa.Integer, default=4)
    max_minutes_per_day: so.Mapped[int] = so.mapped_column(sa.Integer, default=480)
    day_start: so.Mapped[str] = so.mapped_column(sa.String(5), default="09:00")
    day_end: so.Mapped[str] = so.mapped_column(sa.String(5), default="18:00")
    archived_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow
    )

    user: so.Mapped["User | None"] = so.relationship(back_populates="inspector")  # noqa: F821
    regions: so.Mapped[list[Region]] = so.relationship(secondary=inspector_region, order_by=Region.kato)
    absences: so.Mapped[list["InspectorAbsence"]] = so.relationship(
        back_populates="inspector", cascade="all, delete-orphan", order_by="InspectorAbsence.start_date"
    )
    conflicts: so.Mapped[list["InspectorConflict"]] = so.relationship(
        back_populates="inspector", cascade="all, delete-orphan"
    )

    @property
    def region_katos(self) -> list[str]:
        """KATO codes of the regions the inspector works in."""
        return [region.kato for region in self.regions]

    def __repr__(self) -> str:
        return f"<Inspector {self.id} {self.full_name!r}>"


class InspectorAbsence(db.Model):
    """A period (inclusive) when the inspector cannot be scheduled: leave, sickness, training."""

    __tablename__ = "inspector_absence"
    __table_args__ = (sa.CheckConstraint("end_date >= start_date", name="absence_order"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    inspector_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("inspector.id", ondelete="CASCADE"), index=True
    )
    start_date: so.Mapped[date] = so.mapped_column(sa.Date)
    end_date: so.Mapped[date] = so.mapped_column(sa.Date)
    reason: so.Mapped[str] = so.mapped_column(sa.String(200), default="")

    inspector: so.Mapped[Inspector] = so.relationship(back_populates="absences")


class InspectorConflict(db.Model):
    """A declared conflict of interest: the inspector may not inspect this facility."""

    __tablename__ = "inspector_conflict"
    __table_args__ = (sa.UniqueConstraint("inspector_id", "facility_id", name="uq_conflict_pair"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    inspector_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("inspector.id", ondelete="CASCADE"), index=True
    )
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    reason: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    declared_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    inspector: so.Mapped[Inspector] = so.relationship(back_populates="conflicts")
    facility: so.Mapped[Facility] = so.relationship()


def distinct_names(inspectors: list[Inspector]) -> dict[int, str]:
    """Each inspector's name as a list shows it: the full name, with the home town added where two share a name
    (and the registry number as well where they share the town too), so that namesakes are told apart."""
    by_name: dict[str, list[Inspector]] = {}
    for ins in inspectors:
        by_name.setdefault(ins.full_name.strip().casefold(), []).append(ins)
    out = {}
    for group in by_name.values():
        towns = [_town(i) for i in group]
        for ins, town in zip(group, towns, strict=True):
            if len(group) == 1:
                out[ins.id] = ins.full_name
            elif town and towns.count(town) == 1:
                out[ins.id] = f"{ins.full_name} ({town})"
            else:
                out[ins.id] = f"{ins.full_name} ({', '.join(filter(None, (town, f'№ {ins.id}')))})"
    return out


def _town(inspector: Inspector) -> str:
    """The town of the inspector's home address (its first part: "Талгар, ул. Абая, 3")."""
    return (inspector.home_address or "").split(",")[0].strip()

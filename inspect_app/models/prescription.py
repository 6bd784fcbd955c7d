"""The prescription to remedy the violations found (предписание об устранении выявленных нарушений): a numbered
document per audit with failed items, its items, their append-only events, evidence photos and the facility's
secret link.

The hashed record is never rewritten: an item points at its Violation (hashed with the audit) for the
requirement, the legal reference and what must be done; everything that happens afterwards (a report of the
facility, a supervisor's decision, a follow-up audit's result, a new deadline) is a new PrescriptionEvent. The
newest event of an item gives its state and deadline; "overdue" is derived from that deadline, never stored.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.admin_event import AppendOnly
from inspect_app.models.audit import Audit, Violation
from inspect_app.models.facility import Facility
from inspect_app.models.geo import Region
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class ItemState(StrEnum):
    """A prescription item's state, as its newest event says. OVERDUE is derived (open or not fixed past the
    deadline) and never stored."""

    OPEN = "open"
    REPORTED = "reported"  # the facility says it is done (note and photos); a supervisor decides
    VERIFIED = "verified"  # a follow-up audit passed it, or a supervisor accepted the evidence
    NOT_FIXED = "not_fixed"  # a follow-up audit failed it again: escalated, with a new deadline
    SUPERSEDED = "superseded"  # the audit was corrected: the corrected record's prescription replaces it
    OVERDUE = "overdue"


# States an item can be stored in; the others are derived.
STORED_STATES = (ItemState.OPEN, ItemState.REPORTED, ItemState.VERIFIED, ItemState.NOT_FIXED, ItemState.SUPERSEDED)
# An item in one of these states is closed: nothing more is expected of the facility.
CLOSED_STATES = frozenset({ItemState.VERIFIED, ItemState.SUPERSEDED})
# The deadline runs (and may pass) only in these.
RUNNING_STATES = frozenset({ItemState.OPEN, ItemState.NOT_FIXED})


class EventKind(StrEnum):
    """What happened to an item."""

    ISSUED = "issued"  # the prescription was drawn up and handed over with the act
    REPORTED = "reported"  # the facility's head reported it done (through the link)
    ACCEPTED = "accepted"  # a supervisor accepted the evidence
    REJECTED = "rejected"  # a supervisor rejected the evidence: open again
    PASSED_FOLLOWUP = "passed_followup"  # a follow-up audit found it fixed
    FAILED_FOLLOWUP = "failed_followup"  # a follow-up audit found it not fixed: escalated, new deadline
    DEADLINE = "deadline"  # a supervisor set a new deadline
    SUPERSEDED = "superseded"  # the audit was corrected


class Prescription(db.Model):
    """One numbered prescription: the failed items of one audit, delivered with the act at the facility."""

    __tablename__ = "prescription"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Region prefix (the KATO's first two digits) - year - sequence of the region's year, e.g. 75-2026-00012.
    number: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    audit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audit.id"), unique=True)
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    # The day the act and this prescription were handed over at the facility: deadlines run from it.
    delivered_on: so.Mapped[date] = so.mapped_column(sa.Date)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    audit: so.Mapped[Audit] = so.relationship()
    facility: so.Mapped[Facility] = so.relationship()
    region: so.Mapped[Region] = so.relationship()
    items: so.Mapped[list["PrescriptionItem"]] = so.relationship(
        back_populates="prescription", order_by="PrescriptionItem.position")


class PrescriptionItem(db.Model):
    """One item to remedy: a violation of the audit. Never changed after it is written; see its events."""

    __tablename__ = "prescription_item"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    prescription_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prescription.id"), index=True)
    violation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("violation.id"), unique=True)
    position: so.Mapped[int] = so.mapped_column(sa.Integer)
    # Copied from the violation for the lists' filters and the follow-up's match (the violation stays the source).
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    item_code: so.Mapped[str] = so.mapped_column(sa.String(120))
    section: so.Mapped[str] = so.mapped_column(sa.String(64))
    severity: so.Mapped[str] = so.mapped_column(sa.String(16))

    prescription: so.Mapped[Prescription] = so.relationship(back_populates="items")
    violation: so.Mapped[Violation] = so.relationship()
    events: so.Mapped[list["PrescriptionEvent"]] = so.relationship(
        back_populates="item", order_by="PrescriptionEvent.id")


class PrescriptionEvent(db.Model):
    """One change of an item: who, when, what, the state after it and the deadline in force after it."""

    __tablename__ = "prescription_event"
    __table_args__ = (sa.Index("ix_prescription_event_item", "item_id", "id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prescription_item.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(24))
    state: so.Mapped[str] = so.mapped_column(sa.String(16), index=True)
    due_date: so.Mapped[date] = so.mapped_column(sa.Date)
    escalation: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    note: so.Mapped[str] = so.mapped_column(sa.String(2000), default="")
    at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    # A signed-in user, or none for the facility's head through the link (their name is on the act).
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    actor_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    via_link: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    # The follow-up audit whose result this is.
    audit_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("audit.id"))

    item: so.Mapped[PrescriptionItem] = so.relationship(back_populates="events")
    photos: so.Mapped[list["PrescriptionPhoto"]] = so.relationship(order_by="PrescriptionPhoto.id")


class PrescriptionPhoto(db.Model):
    """Evidence the facility sent with a report (checked like an audit photo)."""

    __tablename__ = "prescription_photo"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    event_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prescription_event.id"), index=True)
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(64))
    size: so.Mapped[int] = so.mapped_column(sa.Integer)
    width: so.Mapped[int] = so.mapped_column(sa.Integer)
    height: so.Mapped[int] = so.mapped_column(sa.Integer)
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)


class PrescriptionCounter(db.Model):
    """The last number given in a region's year; its row is locked while a number is taken."""

    __tablename__ = "prescription_counter"
    __table_args__ = (sa.UniqueConstraint("region_id", "year", name="uq_prescription_counter"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"))
    year: so.Mapped[int] = so.mapped_column(sa.Integer)
    last: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class PrescriptionLink(db.Model):
    """The facility's secret link to one prescription; only the token's SHA-256 is stored."""

    __tablename__ = "prescription_link"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    prescription_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("prescription.id"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    prescription: so.Mapped[Prescription] = so.relationship()


@sa.event.listens_for(PrescriptionItem, "before_update")
@sa.event.listens_for(PrescriptionEvent, "before_update")
@sa.event.listens_for(PrescriptionPhoto, "before_update")
def _refuse_rewrite(mapper, connection, target) -> None:
    # Called for any dirty instance, also one whose only change is a new event in its list: columns decide.
    state = sa.inspect(target)
    if any(state.attrs[column.key].history.has_changes() for column in mapper.column_attrs):
        raise AppendOnly("A prescription's items and events are append-only: a change is a new event.")


@sa.event.listens_for(PrescriptionItem, "before_delete")
@sa.event.listens_for(PrescriptionEvent, "before_delete")
@sa.event.listens_for(PrescriptionPhoto, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:
    raise AppendOnly("A prescription's items and events are append-only: a change is a new event.")

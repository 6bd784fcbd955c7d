"""Checklist template versions, audits (inspections) with answers and photos, violations, and the hash chain."""

from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.facility import Facility
from inspect_app.models.geo import Region
from inspect_app.models.inspector import Inspector
from inspect_app.models.types import UtcDateTime, partial_index, partial_unique_index
from inspect_app.models.user import User
from inspect_app.models.vocab import utcnow

LEGAL_BASES = ("planned", "unplanned", "monitoring")
# Why an unplanned inspection happened (the signal behind it).
UNPLANNED_REASONS = ("prior_order", "complaint", "prosecutor_demand", "state_body_request", "media_report")


class AuditStatus(StrEnum):
    """An audit is a draft until submitted (then frozen and hashed) or discarded."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    DISCARDED = "discarded"


AUDIT_STATUSES = tuple(AuditStatus)
AUDIT_RESULTS = ("pass", "pass_with_violations", "fail")


class ViolationStatus(StrEnum):
    """A violation is open until resolved, or superseded when a correction of its audit is submitted."""

    OPEN = "open"
    RESOLVED = "resolved"
    SUPERSEDED = "superseded"


VIOLATION_STATUSES = tuple(ViolationStatus)
GENESIS_HASH = "0" * 64
# The legal bases whose inspection is ordered by an act registered with the Committee on Legal Statistics
# (Entrepreneurial Code art. 151): its date, number and registration number are elements of the act on
# the results. A monitoring visit is not an inspection under the Code and has no such order.
ORDERED_BASES = ("planned", "unplanned")
SIGNATURE_MAX_BYTES = 200 * 1024


class ActFormat(IntEnum):
    """What the hashed record of an audit holds; an audit hashed before the act has none (None)."""

    ACT_V1 = 1  # the act's elements: the order, positions, the inspecting body, place, acknowledgement, signatures


class ChecklistTemplate(db.Model):
    """One stored version of a checklist template; audits point at the exact version they were filled against.

    `content` is `forms.template_to_dict` of the effective template (a regional one already merged with the
    national template it extends), so an old audit renders the same whatever the YAML files say today.
    """

    __tablename__ = "checklist_template"
    __table_args__ = (sa.UniqueConstraint("code", "version", name="uq_checklist_template_code_version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    # Numbered by the app (1, 2, ...) each time the content of a code changes.
    version: so.Mapped[int] = so.mapped_column(sa.Integer)
    region_kato: so.Mapped[str | None] = so.mapped_column(sa.String(9), index=True)
    checksum: so.Mapped[str] = so.mapped_column(sa.String(64))
    content: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    source: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    # An uploaded version is a draft until activated; it is in force from `active_from` (Almaty date) on. Versions
    # loaded from the files are in force from the start (no date).
    draft: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    active_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # The YAML as uploaded (its comments and layout), downloaded again as it came; None for file-loaded versions.
    yaml_text: so.Mapped[str | None] = so.mapped_column(sa.Text)
    uploaded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))

    @property
    def label(self) -> str:
        """Short human label, e.g. `national v2 (sha256 1a2b3c4d)`."""
        return f"{self.code} v{self.version} (sha256 {self.checksum[:8]})"

    def __repr__(self) -> str:
        return f"<ChecklistTemplate {self.code} v{self.version}>"


AUDIT_COUNTED_COLUMNS = ("facility_id", "result", "legal_basis", "id", "region_id", "inspector_id", "submitted_at")


class Audit(db.Model):
    """One inspection of one facility: a draft while filled in, then a frozen, hash-chained record."""

    __tablename__ = "audit"
    __table_args__ = (
        # One live audit per scheduled visit, whatever the retries: corrections and discarded drafts aside.
        partial_unique_index("uq_audit_live_visit", "schedule_visit_id",
                             "supersedes_id IS NULL AND status <> 'discarded'"),
        # The statistics' period of submitted audits, read from the index alone on PostgreSQL (the inspectors'
        # figures and their median days to submit too).
        partial_index("ix_audit_counted", "inspection_date", where="status = 'submitted'",
                      include=AUDIT_COUNTED_COLUMNS),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Generated by the client: a retried create returns the same draft instead of a second one.
    client_uuid: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=AuditStatus.DRAFT, index=True)
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    template_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("checklist_template.id"), index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    inspector_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("inspector.id"), index=True)
    inspector_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    # Points at the scheduler's visit; no foreign key because those tables come in a later migration.
    schedule_visit_id: so.Mapped[int | None] = so.mapped_column(sa.Integer, index=True)

    legal_basis: so.Mapped[str] = so.mapped_column(sa.String(16))
    basis_reason: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    signal_source: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    signal_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    signal_anonymous: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    prosecutor_reg_number: so.Mapped[str | None] = so.mapped_column(sa.String(64))

    inspection_date: so.Mapped[date] = so.mapped_column(sa.Date, index=True)
    check_in_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    check_out_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    gps_lat: so.Mapped[float | None] = so.mapped_column(sa.Float)
    gps_lon: so.Mapped[float | None] = so.mapped_column(sa.Float)
    gps_accuracy_m: so.Mapped[float | None] = so.mapped_column(sa.Float)
    # Metres between the check-in position and the facility; over CHECKIN_MAX_DISTANCE_M it is flagged.
    checkin_distance_m: so.Mapped[float | None] = so.mapped_column(sa.Float)
    checkin_far: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    discarded_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    discard_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    # The client UUID of the discard, so a phone's outbox may send it again and get the same answer.
    discard_uuid: so.Mapped[str | None] = so.mapped_column(sa.String(36))
    representatives: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    # item code -> {"value": ..., "comment": "...", "photos": [photo ids]} (forms/README.md).
    answers: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # item code -> when the client saved that item's answer (ISO 8601 UTC); an older save never overwrites a
    # newer one. Not part of the hashed record: it describes the sync, not the inspection.
    answers_saved_at: so.Mapped[dict[str, str] | None] = so.mapped_column(sa.JSON, default=dict)
    # Bumped by every write (the ORM's version counter: each UPDATE is conditioned on the version it read).
    version: so.Mapped[int] = so.mapped_column(sa.Integer, default=1, server_default="1")

    score_overall: so.Mapped[float | None] = so.mapped_column(sa.Float)
    section_scores: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    critical_failures: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    result: so.Mapped[str | None] = so.mapped_column(sa.String(24), index=True)

    # Unique: a record is corrected at most once (corrections form one line), which the database enforces even
    # when two corrections are opened at the same moment.
    supersedes_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("audit.id"), index=True, unique=True)
    correction_reason: so.Mapped[str | None] = so.mapped_column(sa.String(1000))

    # The act on the results (Entrepreneurial Code art. 152). `act_format` is set at submission and says the hashed
    # record includes these fields; audits submitted before it keep their hash as it was.
    act_format: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    # The act ordering the inspection and its registration with the Committee on Legal Statistics (ORDERED_BASES).
    order_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    order_number: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    order_reg_number: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    inspector_position: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    # Copied at submission, so the act reads the same when the region or the facility is renamed later.
    inspecting_body: so.Mapped[dict[str, str] | None] = so.mapped_column(sa.JSON)
    act_place: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    representative_name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    representative_position: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    # The representative's written explanation, an attachment of the act.
    representative_explanation: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # Either the representative signed (a PNG of the strokes) or the inspector recorded a refusal to sign.
    signature_refused: so.Mapped[bool | None] = so.mapped_column(sa.Boolean)
    refusal_witness: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    representative_signature: so.Mapped[bytes | None] = so.mapped_column(sa.LargeBinary, deferred=True)
    representative_signature_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    inspector_signature: so.Mapped[bytes | None] = so.mapped_column(sa.LargeBinary, deferred=True)
    inspector_signature_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))

    submit_uuid: so.Mapped[str | None] = so.mapped_column(sa.String(36), unique=True)
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    chain_seq: so.Mapped[int | None] = so.mapped_column(sa.Integer, unique=True)
    prev_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    record_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)

    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    facility: so.Mapped[Facility] = so.relationship()
    region: so.Mapped[Region] = so.relationship()
    template: so.Mapped[ChecklistTemplate] = so.relationship()
    user: so.Mapped[User | None] = so.relationship()
    inspector: so.Mapped[Inspector | None] = so.relationship()
    supersedes: so.Mapped["Audit | None"] = so.relationship(remote_side=[id])
    photos: so.Mapped[list["AuditPhoto"]] = so.relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="AuditPhoto.id"
    )
    violations: so.Mapped[list["Violation"]] = so.relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="Violation.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_submitted(self) -> bool:
        """True once the record is frozen in the chain."""
        return self.status == AuditStatus.SUBMITTED

    def __repr__(self) -> str:
        return f"<Audit {self.id} {self.status} facility={self.facility_id}>"


class AuditPhoto(db.Model):
    """A photo taken during an inspection, kept in the database so it shares the audit's transaction."""

    __tablename__ = "audit_photo"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    item_code: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    # Generated by the phone: a retried upload returns the stored photo instead of a second copy.
    client_uuid: so.Mapped[str | None] = so.mapped_column(sa.String(36), unique=True)
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    content_type: so.Mapped[str] = so.mapped_column(sa.String(64))
    size: so.Mapped[int] = so.mapped_column(sa.Integer)
    width: so.Mapped[int] = so.mapped_column(sa.Integer)
    height: so.Mapped[int] = so.mapped_column(sa.Integer)
    caption: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    # Deferred: lists and hashes need the metadata only, never megabytes of pixels.
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary, deferred=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    audit: so.Mapped[Audit] = so.relationship(back_populates="photos")


class Violation(db.Model):
    """A failed checklist item with its corrective action (предписание): what, by whom, by when."""

    __tablename__ = "violation"
    # Facilities with an open critical violation, now: the dashboard's list and the map's colours.
    __table_args__ = (partial_index("ix_violation_open_critical", "facility_id", "due_date",
                                    where="status = 'open' AND severity = 'critical'"),
                      # The open items falling due this month (the dashboard's overdue figure for it).
                      partial_index("ix_violation_open_due_date", "due_date", where="status = 'open'"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    facility_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("facility.id"), index=True)
    item_code: so.Mapped[str] = so.mapped_column(sa.String(120))
    section: so.Mapped[str] = so.mapped_column(sa.String(64))
    severity: so.Mapped[str] = so.mapped_column(sa.String(16), index=True)
    item_text: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON)
    corrective_action: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON)
    responsible: so.Mapped[str] = so.mapped_column(sa.String(200))
    due_date: so.Mapped[date] = so.mapped_column(sa.Date, index=True)
    legal_ref: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=ViolationStatus.OPEN, index=True)
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    resolution_note: so.Mapped[str] = so.mapped_column(sa.String(1000), default="")

    audit: so.Mapped[Audit] = so.relationship(back_populates="violations")
    facility: so.Mapped[Facility] = so.relationship()


class AuditChainHead(db.Model):
    """The single row naming the newest link of the audit hash chain; locked to serialise appends."""

    __tablename__ = "audit_chain_head"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    seq: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    last_hash: so.Mapped[str] = so.mapped_column(sa.String(64), default=GENESIS_HASH)
    updated_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

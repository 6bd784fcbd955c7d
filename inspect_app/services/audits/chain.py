"""The tamper-evident hash chain of submitted audits.

Each submitted audit stores `record_hash = sha256(canonical JSON of {"prev": previous hash, "record": content})`,
where `content` is built from the audit's own stored columns, its photos' digests and its violations (see
`record_content`). An audit submitted with the act's elements (`act_format` set) also hashes them under "act",
its signatures by their digests (checked against the stored bytes like photos); an audit submitted before has no
"act" key, so its content, and hash, are what they always were. Anyone who changes a stored byte of a submitted
record breaks its hash, and anyone who deletes or reorders records breaks the link of the next one.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

import forms
from inspect_app.models import Audit, AuditChainHead, AuditPhoto, ChecklistTemplate
from inspect_app.models.audit import GENESIS_HASH
from scheduler import commitment

HEAD_ID = 1


def utc_seconds(value: datetime | None) -> datetime | None:
    """An aware UTC timestamp without microseconds: what every database stores and returns alike."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return utc_seconds(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def canonical_json(data: Any) -> str:
    """The one serialisation that is hashed (the schedule commitment's, `scheduler.commitment`), as text."""
    return commitment.canonical_json(data).decode("utf-8")


def record_content(audit: Audit) -> dict[str, Any]:
    """The hashed content of a submitted audit, built from its stored columns only.

    Mutable follow-up state (a violation's resolution) and facts owned by other records (the facility's
    current name) stay out, so a later legitimate change elsewhere never breaks the chain.
    """
    template = audit.template
    content = {
        "id": audit.id,
        "client_uuid": audit.client_uuid,
        "facility_id": audit.facility_id,
        "region_id": audit.region_id,
        "template": {"id": template.id, "code": template.code, "version": template.version,
                     "checksum": template.checksum},
        "user_id": audit.user_id,
        "inspector_id": audit.inspector_id,
        "inspector_name": audit.inspector_name,
        "schedule_visit_id": audit.schedule_visit_id,
        "legal_basis": audit.legal_basis,
        "basis_reason": audit.basis_reason,
        "signal_source": audit.signal_source,
        "signal_date": _iso(audit.signal_date),
        "signal_anonymous": audit.signal_anonymous,
        "prosecutor_reg_number": audit.prosecutor_reg_number,
        "inspection_date": _iso(audit.inspection_date),
        "check_in_at": _iso(audit.check_in_at),
        "check_out_at": _iso(audit.check_out_at),
        "gps": [audit.gps_lat, audit.gps_lon, audit.gps_accuracy_m],
        "representatives": list(audit.representatives or []),
        "answers": audit.answers or {},
        "notes": audit.notes,
        "score_overall": audit.score_overall,
        "section_scores": audit.section_scores or {},
        "critical_failures": list(audit.critical_failures or []),
        "result": audit.result,
        "photos": sorted(
            ({"id": p.id, "sha256": p.sha256, "item_code": p.item_code, "size": p.size} for p in audit.photos),
            key=lambda p: p["id"],
        ),
        "violations": sorted(
            (
                {"item_code": v.item_code, "severity": v.severity, "due_date": _iso(v.due_date),
                 "responsible": v.responsible, "corrective_action": v.corrective_action, "legal_ref": v.legal_ref}
                for v in audit.violations
            ),
            key=lambda v: v["item_code"],
        ),
        "supersedes_id": audit.supersedes_id,
        "correction_reason": audit.correction_reason,
        "submit_uuid": audit.submit_uuid,
        "submitted_at": _iso(audit.submitted_at),
        "chain_seq": audit.chain_seq,
    }
    if audit.act_format is not None:
        content["act"] = act_content(audit)
    return content


def act_content(audit: Audit) -> dict[str, Any]:
    """The act's elements as hashed (format 1): the order, positions, body, place, acknowledgement, signatures."""
    return {
        "format": audit.act_format,
        "order_date": _iso(audit.order_date),
        "order_number": audit.order_number,
        "order_reg_number": audit.order_reg_number,
        "inspector_position": audit.inspector_position,
        "inspecting_body": audit.inspecting_body,
        "place": audit.act_place,
        "representative_name": audit.representative_name,
        "representative_position": audit.representative_position,
        "representative_explanation": audit.representative_explanation,
        "signature_refused": audit.signature_refused,
        "refusal_witness": audit.refusal_witness,
        "representative_signature_sha256": audit.representative_signature_sha256,
        "inspector_signature_sha256": audit.inspector_signature_sha256,
    }


def compute_hash(content: dict[str, Any], prev_hash: str) -> str:
    """sha256 hex of the canonical JSON of the content chained to the previous hash."""
    return commitment.sha256_hex({"prev": prev_hash, "record": content})


def lock_head(session: Session) -> AuditChainHead:
    """The chain head row, locked until the transaction ends (FOR UPDATE; SQLite serialises writers anyway)."""
    head = session.scalar(sa.select(AuditChainHead).where(AuditChainHead.id == HEAD_ID).with_for_update())
    if head is None:
        head = AuditChainHead(id=HEAD_ID, seq=0, last_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    return head


def append(session: Session, audit: Audit, head: AuditChainHead) -> str:
    """Give the audit the next link of the chain and move the head; the caller holds the lock and commits.

    The audit must have been flushed (it has its id); the link and the head are then written in one flush.
    """
    audit.chain_seq = head.seq + 1
    audit.prev_hash = head.last_hash
    if audit.id is None:
        session.flush()
    audit.record_hash = compute_hash(record_content(audit), audit.prev_hash)
    head.seq = audit.chain_seq
    head.last_hash = audit.record_hash
    session.flush()
    return audit.record_hash


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain check: how many links were checked and the first broken one, if any."""

    ok: bool
    checked: int
    broken_audit_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""


def _photo_digests(session: Session, audit_ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        sa.select(AuditPhoto.id, AuditPhoto.data).where(AuditPhoto.audit_id.in_(audit_ids))
    ).all()
    return {pid: hashlib.sha256(data).hexdigest() for pid, data in rows}


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _signature_digests(session: Session, audit_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """audit id -> (representative's, inspector's) signature digests from the stored bytes, for acts only."""
    rows = session.execute(
        sa.select(Audit.id, Audit.representative_signature, Audit.inspector_signature)
        .where(Audit.id.in_(audit_ids), Audit.act_format.is_not(None))
    ).all()
    return {aid: (_digest(rep), _digest(insp)) for aid, rep, insp in rows}


def verify_chain(session: Session, up_to_seq: int | None = None, batch: int = 500,
                 from_seq: int = 1) -> ChainReport:
    """Recompute every link from the stored content, in order; report the first broken one.

    Checks, per record: the link to the previous record's stored hash, the record's own hash, each photo's
    bytes against its digest, and the template version's content against its checksum. With `from_seq`
    the walk starts there, trusting the stored hash of the record before it (a local check that costs
    the same whatever the chain's length; `flask audit verify` walks the whole chain).
    """
    prev = GENESIS_HASH
    if from_seq > 1:
        prev = session.scalar(sa.select(Audit.record_hash).where(Audit.chain_seq == from_seq - 1)) or ""
    expected_seq = from_seq
    checked = 0
    template_ok: dict[int, bool] = {}
    while True:
        query = (
            sa.select(Audit)
            .where(Audit.chain_seq.is_not(None), Audit.chain_seq >= expected_seq)
            .order_by(Audit.chain_seq)
            .limit(batch)
            .options(so.selectinload(Audit.photos), so.selectinload(Audit.violations), so.joinedload(Audit.template))
            # What is checked must be what is stored, not what this session remembers.
            .execution_options(populate_existing=True)
        )
        if up_to_seq is not None:
            query = query.where(Audit.chain_seq <= up_to_seq)
        audits = list(session.scalars(query))
        if not audits:
            break
        digests = _photo_digests(session, [a.id for a in audits])
        signatures = _signature_digests(session, [a.id for a in audits])
        for audit in audits:
            reason = _broken_link(audit, expected_seq, prev, digests, template_ok, signatures.get(audit.id))
            if reason:
                return ChainReport(False, checked, audit.id, audit.chain_seq, reason)
            prev = audit.record_hash
            expected_seq += 1
            checked += 1
    head = session.get(AuditChainHead, HEAD_ID)
    if up_to_seq is None and from_seq == 1 and head is not None and (head.seq != checked or head.last_hash != prev):
        return ChainReport(False, checked, None, head.seq, "the chain head does not point at the last record")
    return ChainReport(True, checked)


def _broken_link(audit: Audit, expected_seq: int, prev: str, digests: dict[int, str],
                 template_ok: dict[int, bool], signatures: tuple[str | None, str | None] | None = None) -> str:
    """Why this link is broken, or an empty string when it holds."""
    if audit.chain_seq != expected_seq:
        return f"link {expected_seq} is missing (found {audit.chain_seq} next)"
    if audit.prev_hash != prev:
        return "its previous hash does not match the stored hash of the record before it"
    template: ChecklistTemplate = audit.template
    if template.id not in template_ok:
        template_ok[template.id] = _template_intact(template)
    if not template_ok[template.id]:
        return f"checklist template {template.code} v{template.version} was altered"
    for photo in audit.photos:
        if digests.get(photo.id) != photo.sha256:
            return f"photo {photo.id} does not match its digest"
    if signatures is not None and signatures != (audit.representative_signature_sha256,
                                                 audit.inspector_signature_sha256):
        return "a signature does not match its digest"
    if compute_hash(record_content(audit), audit.prev_hash) != audit.record_hash:
        return "its stored content does not match its hash"
    return ""


def _template_intact(template: ChecklistTemplate) -> bool:
    try:
        return forms.template_from_dict(template.content).checksum == template.checksum
    except forms.TemplateError:
        return False

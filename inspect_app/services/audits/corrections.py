"""Correcting a submitted audit: a new draft that names the record it corrects; the record stays as it was."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditPhoto, User
from inspect_app.services.access import require_audit_writer
from inspect_app.services.audits.act import ACT_COPIED
from inspect_app.services.audits.drafts import DRAFT_FIELDS
from inspect_app.services.errors import Conflict


def create_correction(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open a draft that corrects a submitted audit (its answers copied, its reason recorded); commits.

    The corrected audit stays as it was; submitting the correction appends a new link to the chain.
    Returns (draft, created); a repeated `client_uuid` returns the same draft. A record is corrected once
    (a unique index on `supersedes_id`): of concurrent corrections one wins, the others get its draft back
    when they repeat its uuid, or 409.
    """
    require_audit_writer(user)
    client_uuid = str(data["client_uuid"])
    existing = _correction_repeat(session, audit, client_uuid)
    if existing is not None:
        return existing, False
    if not audit.is_submitted:
        raise Conflict("Only a submitted audit can be corrected; edit the draft instead.", "status")
    _refuse_second_correction(session, audit)
    visit_details = {key: getattr(audit, key) for key in DRAFT_FIELDS}
    visit_details["representatives"] = list(audit.representatives)
    # The act's typed elements carry over; the corrected act is acknowledged and signed again.
    visit_details.update({key: getattr(audit, key) for key in ACT_COPIED})
    draft = Audit(
        client_uuid=client_uuid, facility_id=audit.facility_id, region_id=audit.region_id,
        template_id=audit.template_id, user_id=user.id, inspector_id=audit.inspector_id,
        inspector_name=audit.inspector_name, inspection_date=audit.inspection_date,
        supersedes_id=audit.id, correction_reason=data["reason"], **visit_details,
    )
    try:
        with session.begin_nested():
            session.add(draft)
    except sa.exc.IntegrityError:
        # A concurrent request inserted first: its uuid (a repeat) or another correction of this record.
        existing = _correction_repeat(session, audit, client_uuid)
        if existing is not None:
            return existing, False
        _refuse_second_correction(session, audit)
        raise
    # Photos are copied so the correction is a complete record of its own.
    id_map = {}
    for photo in session.scalars(sa.select(AuditPhoto).where(AuditPhoto.audit_id == audit.id)
                                 .options(so.undefer(AuditPhoto.data))):
        copy = AuditPhoto(audit_id=draft.id, item_code=photo.item_code, sha256=photo.sha256,
                          content_type=photo.content_type, size=photo.size, width=photo.width,
                          height=photo.height, caption=photo.caption, data=photo.data)
        session.add(copy)
        session.flush()
        id_map[photo.id] = copy.id
    draft.answers = {
        code: ({**answer, "photos": [id_map.get(p, p) for p in answer.get("photos", [])]}
               if isinstance(answer, dict) and answer.get("photos") else answer)
        for code, answer in (audit.answers or {}).items()
    }
    session.commit()
    return draft, True


def _correction_repeat(session: Session, audit: Audit, client_uuid: str) -> Audit | None:
    """The correction this uuid already made, None if the uuid is new; Conflict if it made something else."""
    existing = session.scalar(sa.select(Audit).where(Audit.client_uuid == client_uuid))
    if existing is not None and existing.supersedes_id != audit.id:
        raise Conflict("This client_uuid was already used for another audit.", "client_uuid")
    return existing


def _refuse_second_correction(session: Session, audit: Audit) -> None:
    newer = session.scalar(sa.select(Audit.id).where(Audit.supersedes_id == audit.id))
    if newer is not None:
        raise Conflict(f"Audit {audit.id} was already corrected by audit {newer}; correct that one.", "supersedes_id")

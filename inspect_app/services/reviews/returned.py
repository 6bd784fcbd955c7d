"""What a return sends back to the inspector: their returned audits, and the correction they file for one."""

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Audit, ReviewDecision, ReviewOutcome, User
from inspect_app.services.access import may_correct_returned, may_read_audit
from inspect_app.services.audits.corrections import create_correction
from inspect_app.services.errors import Conflict, Forbidden, NotFound


@dataclass
class Returned:
    """A returned audit of the user, its decision, and the correction filed for it (None until filed)."""

    audit: Audit
    decision: ReviewDecision
    correction: Audit | None


def returned_audits(session: Session, user: User) -> list[Returned]:
    """The user's own audits returned by review whose correction is not submitted yet, oldest return first."""
    correction = so.aliased(Audit)
    rows = session.execute(
        sa.select(Audit, ReviewDecision, correction)
        .join(ReviewDecision, ReviewDecision.audit_id == Audit.id)
        .outerjoin(correction, correction.supersedes_id == Audit.id)
        .where(Audit.user_id == user.id, ReviewDecision.outcome == ReviewOutcome.RETURNED.value,
               sa.or_(correction.id.is_(None), correction.status != "submitted"))
        .order_by(ReviewDecision.decided_at, ReviewDecision.id)
        .options(so.joinedload(Audit.facility)))
    return [Returned(audit=a, decision=d, correction=c) for a, d, c in rows]


def correct_returned(session: Session, user: User, audit_id: int, reason: str = "") -> Audit:
    """Open (or reopen) the correction of a returned audit, the reason being the review's comment unless one
    is given; commits. NotFound outside the user's scope, Forbidden for a role that writes no audits, Conflict
    when the audit was not returned."""
    audit = session.get(Audit, audit_id)
    if audit is None or not may_read_audit(user, audit):
        raise NotFound("Audit not found.")
    if not may_correct_returned(user, audit):
        raise Forbidden("Your role may read audits but not change them.")
    decision = session.scalar(sa.select(ReviewDecision).where(ReviewDecision.audit_id == audit.id))
    if decision is None or decision.outcome != ReviewOutcome.RETURNED:
        raise Conflict("Only an audit returned by review is corrected from here.", "status")
    existing = session.scalar(sa.select(Audit).where(Audit.supersedes_id == audit.id))
    if existing is not None and existing.status == "draft" and existing.user_id == user.id:
        return existing
    text = (reason or "").strip() or decision.comment
    draft, _created = create_correction(session, user, audit, {"client_uuid": str(uuid.uuid4()),
                                                               "reason": text[:1000]})
    return draft

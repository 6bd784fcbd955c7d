"""The public verify page: does a printed report match the stored, intact record? (No sign-in needed.)"""

import hmac
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditStatus
from inspect_app.services.access import is_storable_id
from inspect_app.services.audits.chain import verify_chain


def public_verification(session: Session, audit_id: int, record_hash: str) -> dict[str, Any]:
    """What the public verify page may show: whether the printed hash matches the stored, intact record.

    `matches` is True only when the audit is submitted, the printed hash equals its stored hash, the record
    recomputes to that hash, and it is linked both ways (to the record before it and from the one after).
    The check is local so that a public page costs the same however long the chain grows; the whole chain
    is walked by `flask audit verify`. Only a matching hash shows the facility, date and result (the
    printed report already shows them); a wrong one reveals nothing, not even whether the audit exists,
    so walking ids lists nothing. Answers are never shown.
    """
    audit = session.get(Audit, audit_id) if is_storable_id(audit_id) else None
    if audit is None or not audit.is_submitted or not hmac.compare_digest(audit.record_hash or "",
                                                                        (record_hash or "").strip().lower()):
        return {"found": False, "matches": False, "audit": None, "reason": "the hash matches no stored record"}
    chain = verify_chain(session, from_seq=audit.chain_seq, up_to_seq=audit.chain_seq + 1)
    return {"found": True, "matches": chain.ok, "audit": audit, "reason": "" if chain.ok else chain.reason,
            "superseded_by": submitted_correction(session, audit)}


def submitted_correction(session: Session, audit: Audit) -> Audit | None:
    """The submitted correction that replaced this audit, if any (an open correction draft does not count)."""
    return session.scalar(sa.select(Audit).where(Audit.supersedes_id == audit.id,
                                                 Audit.status == AuditStatus.SUBMITTED))

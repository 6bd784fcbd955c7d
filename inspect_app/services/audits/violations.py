"""A violation after the audit: resolved once its corrective action is done. (Violations are made when an audit
is submitted: submission.py.)"""

from sqlalchemy.orm import Session

from inspect_app.models import User, Violation, ViolationStatus
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import may_resolve_violation, require_audit_writer
from inspect_app.services.audits.queries import may_read
from inspect_app.services.errors import Forbidden, NotFound
from inspect_app.services.statistics import tally


def resolve_violation(session: Session, user: User, violation_id: int, note: str = "") -> Violation:
    """Mark a violation resolved (the corrective action was done); commits. The audit record is untouched."""
    require_audit_writer(user)
    violation = session.get(Violation, violation_id)
    if violation is None or not may_read(user, violation.audit):
        raise NotFound("Violation not found.")
    if not may_resolve_violation(user, violation.audit):
        raise Forbidden("Only a supervisor of the region marks a violation corrected.")
    if violation.status != ViolationStatus.RESOLVED:
        tally.lock_facility(session, violation.facility_id)
        before = violation.status
        violation.status = ViolationStatus.RESOLVED
        tally.violation_status_changed(session, violation, before)
        violation.resolved_at = utcnow()
        violation.resolution_note = note[:1000]
        tally.recount_open_critical(session, {violation.facility_id})
        session.commit()
    return violation

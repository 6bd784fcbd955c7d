"""Accepting or returning a submitted audit: one decision per audit version, the first one wins."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Audit, ReviewDecision, ReviewOutcome, User
from inspect_app.models.notification import EventKind
from inspect_app.services import checklists
from inspect_app.services.access import may_read_audit, may_review_audit, require_reviewer
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from inspect_app.services.notifications import audit_resource, emit
from inspect_app.services.reviews.queue import live_submitted


class DecisionTaken(Conflict):
    """The audit already has a decision (another reviewer was first); `decision` is the one that stands."""

    def __init__(self, decision: ReviewDecision):
        when = decision.decided_at.strftime("%Y-%m-%d %H:%M UTC")
        message = (f"Audit {decision.audit_id} was already {decision.outcome} by {decision.reviewer_name} "
                   f"at {when}.")
        # No `field`: the form pages show it as the page's message, not beside an input.
        super().__init__(message, errors={"outcome": [message]})
        self.decision = decision


def decide(session: Session, user: User, audit_id: int, data: dict[str, Any]) -> ReviewDecision:
    """Record the user's decision (`outcome`, `comment`, `item_codes`) on a submitted, live audit; commits.

    The audit record itself is not touched. NotFound outside the user's scope, Forbidden for a role that does
    not review or for the audit's author, Conflict for a draft or a superseded version, InvalidInput for a
    return without a comment or naming an item the checklist lacks, DecisionTaken when a decision exists (of
    two decisions at the same moment the unique constraint keeps one; the other gets DecisionTaken).
    """
    require_reviewer(user)
    audit = session.get(Audit, audit_id)
    if audit is None or not may_read_audit(user, audit):
        raise NotFound("Audit not found.")
    if not may_review_audit(user, audit):
        raise Forbidden("Nobody reviews an audit they wrote.")
    existing = decision_on(session, audit.id)
    if existing is not None:
        raise DecisionTaken(existing)
    live = session.scalar(sa.select(Audit.id).where(Audit.id == audit.id, *live_submitted()))
    if live is None:
        raise Conflict("Only a submitted audit in force is reviewed; review its latest version.", "status")
    outcome = ReviewOutcome(data["outcome"])
    comment = (data.get("comment") or "").strip()
    codes = list(dict.fromkeys(data.get("item_codes") or []))
    if outcome == ReviewOutcome.RETURNED and not comment:
        raise InvalidInput("A returned audit needs a comment saying what to correct.", "comment")
    known = checklists.parsed(audit.template).items_by_code
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InvalidInput(f"There is no item {', '.join(unknown)} in this checklist.", "item_codes")
    decision = ReviewDecision(audit_id=audit.id, reviewer_id=user.id, reviewer_name=user.full_name or user.username,
                              outcome=outcome.value, comment=comment[:2000],
                              item_codes=codes if outcome == ReviewOutcome.RETURNED else [])
    try:
        with session.begin_nested():
            session.add(decision)
    except sa.exc.IntegrityError:
        # Another reviewer's decision was committed first: theirs stands.
        winner = decision_on(session, audit.id)
        if winner is None:
            raise
        raise DecisionTaken(winner) from None
    if outcome == ReviewOutcome.RETURNED:
        emit(session, EventKind.AUDIT_RETURNED, audit_resource(audit, review_note=comment, review_items=codes),
             region_id=audit.region_id, user_id=audit.user_id)
    else:
        emit(session, EventKind.AUDIT_REVIEWED, audit_resource(audit, review_outcome=outcome.value),
             region_id=audit.region_id, user_id=audit.user_id)
    session.commit()
    return decision


def decision_on(session: Session, audit_id: int) -> ReviewDecision | None:
    """The decision on this audit version, if any."""
    return session.scalar(sa.select(ReviewDecision).where(ReviewDecision.audit_id == audit_id))

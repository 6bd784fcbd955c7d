"""What the review of one audit reads beside the audit: the decisions of its versions, the route stop it
belonged to, the facility's previous audit and its open items."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Audit, ReviewDecision, ScheduleVisit, User, Violation
from inspect_app.models.facility import with_merged
from inspect_app.services.access import may_read_audit, may_review_audit, require_reviewer
from inspect_app.services.errors import Forbidden, NotFound
from inspect_app.services.reviews.decide import decision_on
from inspect_app.services.reviews.queue import live_submitted


@dataclass
class ReviewRecord:
    """One audit as its reviewer sees it."""

    audit: Audit
    decision: ReviewDecision | None  # this version's, once taken
    history: list[ReviewDecision]  # every version's decisions, oldest first
    visit: ScheduleVisit | None
    previous: Audit | None
    open_items: list[Violation] = field(default_factory=list)
    live: bool = True  # submitted and not replaced by a submitted correction

    @property
    def decidable(self) -> bool:
        """The forms are shown: a live, submitted version without a decision."""
        return self.live and self.decision is None


def review_record(session: Session, user: User, audit_id: int) -> ReviewRecord:
    """The audit under review and what its page shows. NotFound outside the user's scope; Forbidden for roles
    that do not review and for the audit's author."""
    require_reviewer(user)
    audit = session.get(Audit, audit_id)
    if audit is None or not may_read_audit(user, audit):
        raise NotFound("Audit not found.")
    if not may_review_audit(user, audit):
        raise Forbidden("Nobody reviews an audit they wrote.")
    visit = session.get(ScheduleVisit, audit.schedule_visit_id) if audit.schedule_visit_id else None
    live = session.scalar(sa.select(Audit.id).where(Audit.id == audit.id, *live_submitted())) is not None
    return ReviewRecord(audit=audit, decision=decision_on(session, audit.id),
                        history=chain_decisions(session, audit), visit=visit, previous=previous_audit(session, audit),
                        open_items=open_items(session, audit.facility_id), live=live)


def chain_ids(session: Session, audit: Audit) -> list[int]:
    """The ids of every version of this audit (the records it corrects and those correcting it), oldest first."""
    ids = [audit.id]
    current = audit
    while current.supersedes_id is not None:
        ids.insert(0, current.supersedes_id)
        current = session.get(Audit, current.supersedes_id)
    newer = session.scalar(sa.select(Audit.id).where(Audit.supersedes_id == audit.id))
    while newer is not None:
        ids.append(newer)
        newer = session.scalar(sa.select(Audit.id).where(Audit.supersedes_id == newer))
    return ids


def chain_decisions(session: Session, audit: Audit) -> list[ReviewDecision]:
    """The review decisions of every version of the audit, oldest first (for its history)."""
    return list(session.scalars(sa.select(ReviewDecision)
                                .where(ReviewDecision.audit_id.in_(chain_ids(session, audit)))
                                .order_by(ReviewDecision.decided_at, ReviewDecision.id)))


def decision_of(session: Session, audit: Audit) -> ReviewDecision | None:
    """The decision on this audit version, if any."""
    return decision_on(session, audit.id)


def previous_audit(session: Session, audit: Audit) -> Audit | None:
    """The facility's newest submitted, live audit before this one (other versions of this one left out)."""
    mine = chain_ids(session, audit)
    return session.scalar(
        sa.select(Audit)
        .where(Audit.facility_id.in_(with_merged(audit.facility_id)), Audit.id.not_in(mine), *live_submitted(),
               sa.or_(Audit.inspection_date < audit.inspection_date,
                      sa.and_(Audit.inspection_date == audit.inspection_date, Audit.id < audit.id)))
        .order_by(Audit.inspection_date.desc(), Audit.id.desc()).limit(1))


def open_items(session: Session, facility_id: int) -> list[Violation]:
    """The facility's open items to remedy, most urgent first: today its open violations (the one place to
    change when prescriptions replace them)."""
    return list(session.scalars(
        sa.select(Violation)
        .where(Violation.facility_id.in_(with_merged(facility_id)), Violation.status == "open")
        .order_by(Violation.due_date, Violation.id)))

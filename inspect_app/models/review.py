"""A supervisor's review of a submitted audit: one decision per audit version, append-only.

The decision is a record of its own beside the audit: it never changes the audit's hashed content. An audit
returned for correction is corrected the usual way (a new version in the chain); that version is reviewed
with a decision of its own.
"""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.audit import Audit
from inspect_app.models.types import UtcDateTime
from inspect_app.models.user import User
from inspect_app.models.vocab import utcnow


class ReviewOutcome(StrEnum):
    """What the supervisor decided: the audit stands, or it goes back to its author for a correction."""

    ACCEPTED = "accepted"
    RETURNED = "returned"


class ReviewDecision(db.Model):
    """One review decision on one audit version: who, when, what, and (on a return) why and which items.

    A unique constraint on `audit_id` lets one decision win when two supervisors decide at the same moment;
    a database trigger (migration 0008_review) refuses any UPDATE or DELETE of a stored decision.
    """

    __tablename__ = "review_decision"
    __table_args__ = (sa.UniqueConstraint("audit_id", name="uq_review_decision_audit"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("audit.id"))
    reviewer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    # The reviewer's name as it was at the time (an account renamed later does not rewrite the history).
    reviewer_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    decided_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow, index=True)
    outcome: so.Mapped[str] = so.mapped_column(sa.String(16), index=True)
    comment: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # The checklist item codes a return names (empty for an acceptance).
    item_codes: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)

    audit: so.Mapped[Audit] = so.relationship()
    reviewer: so.Mapped[User] = so.relationship()

    @property
    def is_return(self) -> bool:
        return self.outcome == ReviewOutcome.RETURNED

    def __repr__(self) -> str:
        return f"<ReviewDecision audit={self.audit_id} {self.outcome}>"

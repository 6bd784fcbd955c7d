"""Who reviews submitted audits (never their author) and files the correction of a returned one."""

import sqlalchemy as sa

from inspect_app.models import Audit, User
from inspect_app.services.access.audits import may_read_audit
from inspect_app.services.access.roles import is_admin, is_supervisor, may_write_audits
from inspect_app.services.errors import Forbidden


def may_review_audits(user: User | None) -> bool:
    """The review queue: admins (every region) and supervisors (their region); nobody else reviews."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def review_filter(user: User) -> sa.ColumnElement[bool]:
    """Audits in the user's review queue: every region's for admins, the own region's for supervisors, never
    their own (nobody reviews an audit they wrote)."""
    if is_admin(user):
        return Audit.user_id.is_distinct_from(user.id)
    if is_supervisor(user) and user.region_id is not None:
        return sa.and_(Audit.region_id == user.region_id, Audit.user_id.is_distinct_from(user.id))
    return sa.false()


def may_review_audit(user: User | None, audit: Audit) -> bool:
    """The same rule as `review_filter`, for one audit: a supervisor of its region or an admin, not its author."""
    if not may_review_audits(user) or audit.user_id == user.id:
        return False
    return is_admin(user) or audit.region_id == user.region_id


def require_reviewer(user: User) -> None:
    """Refuse the review queue to every role but supervisors and admins."""
    if not may_review_audits(user):
        raise Forbidden("Only supervisors and admins review audits.")


def may_correct_returned(user: User | None, audit: Audit) -> bool:
    """Filing the correction of an audit returned by review: its author (or anyone who may write audits and read
    it, as for any correction)."""
    return may_write_audits(user) and may_read_audit(user, audit)

"""Who reads, writes and reopens audits, closes violations and starts an audit without a visit."""

import sqlalchemy as sa

from inspect_app.models import Audit, User
from inspect_app.services.access.roles import is_admin, is_inspector, is_supervisor, may_write_audits, sees_all_regions
from inspect_app.services.errors import Forbidden


def audit_filter(user: User) -> sa.ColumnElement[bool]:
    """Audits the user may read: all for admins and the ministry, the region's for supervisors, own for inspectors."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Audit.region_id == user.region_id
    if is_inspector(user):
        return Audit.user_id == user.id
    return sa.false()


def may_read_audit(user: User, audit: Audit) -> bool:
    """The same rule as `audit_filter`, for one audit."""
    if sees_all_regions(user):
        return True
    if is_supervisor(user):
        return user.region_id is not None and audit.region_id == user.region_id
    return is_inspector(user) and audit.user_id == user.id


def require_audit_writer(user: User) -> None:
    """Ministry analysts read audits but never write them."""
    if not may_write_audits(user):
        raise Forbidden("Your role may read audits but not change them.")


def may_edit_draft(user: User, audit: Audit) -> bool:
    """Only a draft's author changes it (a supervisor reads an inspector's draft but does not edit it)."""
    return may_write_audits(user) and audit.user_id == user.id


def may_resolve_violation(user: User, audit: Audit) -> bool:
    """Closing a violation: a supervisor of the audit's region or an admin, never the inspector who found it,
    so that a critical violation and the follow-up it causes cannot disappear without a supervisor."""
    if is_admin(user):
        return True
    return is_supervisor(user) and user.region_id is not None and audit.region_id == user.region_id


def may_start_audit_without_visit(user: User) -> bool:
    """Inspectors start audits from a stop of their route; supervisors and admins may open one anywhere."""
    return may_write_audits(user) and not is_inspector(user)


def may_search_facilities_to_inspect(user: User) -> bool:
    """The start form's facility search: for those who may start an audit without a visit."""
    return may_start_audit_without_visit(user)


def may_reopen_audit(user: User, audit: Audit) -> bool:
    """Reopening a visit's audit: an inspector only their own; supervisors and admins any they may read."""
    return not is_inspector(user) or audit.user_id == user.id

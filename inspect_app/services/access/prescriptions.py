"""Who reads, lists and decides on prescriptions (they follow the audits behind them)."""

import sqlalchemy as sa

from inspect_app.models import Audit, Prescription, User
from inspect_app.services.access.audits import may_read_audit
from inspect_app.services.access.roles import is_admin, is_inspector, is_supervisor, may_read_registry, sees_all_regions
from inspect_app.services.errors import Forbidden


def prescription_filter(user: User, prescription=None) -> sa.ColumnElement[bool]:
    """Prescriptions the user may read: all for admins and the ministry, the region's for supervisors, those
    of their own audits for inspectors (the same scope as the audits behind them)."""
    prescription = prescription if prescription is not None else Prescription
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return prescription.region_id == user.region_id
    if is_inspector(user):
        return prescription.audit_id.in_(sa.select(Audit.id).where(Audit.user_id == user.id))
    return sa.false()


def may_read_prescription(user: User, prescription) -> bool:
    """The same rule as `prescription_filter`, for one prescription (it follows its audit)."""
    return may_read_audit(user, prescription.audit)


def may_list_prescriptions(user: User | None) -> bool:
    """The lists of a region's and the country's prescriptions: those who read the registry."""
    return may_read_registry(user)


def require_prescription_lister(user: User) -> None:
    """Forbidden unless the user reads the lists of prescriptions."""
    if not may_list_prescriptions(user):
        raise Forbidden("Your role does not give access to the lists of prescriptions.")


def may_decide_prescription(user: User, prescription) -> bool:
    """Accepting or rejecting the facility's evidence, a new deadline, the facility's link: a supervisor of the
    region or an admin, never the inspector (the same rule as closing a violation)."""
    if is_admin(user):
        return True
    return is_supervisor(user) and user.region_id is not None and prescription.region_id == user.region_id


def require_prescription_decider(user: User, prescription) -> None:
    """Forbidden unless the user decides on this prescription's items."""
    if not may_decide_prescription(user, prescription):
        raise Forbidden("Only a supervisor of the region decides on a prescription's items.")

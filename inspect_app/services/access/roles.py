"""The roles and their sets, and the questions every other rule is made of (`is_admin`, `in_region`, ...)."""

from inspect_app.models import User
from inspect_app.models.vocab import DB_INT_MAX, Role
from inspect_app.services.errors import Forbidden

NATIONAL = frozenset({Role.ADMIN, Role.MINISTRY})
REGISTRY_READERS = frozenset({Role.ADMIN, Role.MINISTRY, Role.SUPERVISOR})
WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR})  # registry, schedules, the region's route settings
AUDIT_WRITERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR})
REGIONAL = frozenset({Role.SUPERVISOR, Role.INSPECTOR})  # roles that belong to one region


def _role(user: User | None) -> str | None:
    return getattr(user, "role", None)


def is_inspector(user: User | None) -> bool:
    """Inspectors see their route and their own audits, never the registry."""
    return _role(user) == Role.INSPECTOR


def is_supervisor(user: User | None) -> bool:
    """A supervisor works in their region only."""
    return _role(user) == Role.SUPERVISOR


def is_admin(user: User | None) -> bool:
    """Admins may do everything, in every region."""
    return _role(user) == Role.ADMIN


def sees_all_regions(user: User | None) -> bool:
    """Admins and ministry analysts work across the whole country."""
    return _role(user) in NATIONAL


def may_read_registry(user: User | None) -> bool:
    """Admins, the ministry and supervisors read the registry, statistics and schedules."""
    return _role(user) in REGISTRY_READERS


def may_edit_registry(user: User | None) -> bool:
    """Admins and supervisors change the registry; ministry analysts only read and export."""
    return _role(user) in WRITERS


def may_edit_calendar(user: User | None) -> bool:
    """Only admins change the country's calendar (transfers of days off, school breaks)."""
    return _role(user) == Role.ADMIN


def require_calendar_editor(user: User) -> None:
    """Forbidden unless the user may change the country's calendar."""
    if not may_edit_calendar(user):
        raise Forbidden("Only an administrator changes the calendar.")


def may_write_audits(user: User | None) -> bool:
    """Everyone but the ministry writes audits (inspectors their own)."""
    return _role(user) in AUDIT_WRITERS


def role_needs_region(role: str) -> bool:
    """Supervisors and inspectors belong to one region; admins and ministry analysts to none."""
    return role in REGIONAL


def in_region(user: User, region_id: int | None) -> bool:
    """True when the record's region is one the user works in."""
    return sees_all_regions(user) or (user.region_id is not None and region_id == user.region_id)


def require_registry_reader(user: User) -> None:
    """Inspectors see their own routes, not the registry."""
    if not may_read_registry(user):
        raise Forbidden("Your role does not give access to the registry.")


def require_registry_editor(user: User) -> None:
    """Only admins and supervisors change the registry."""
    if not may_edit_registry(user):
        raise Forbidden("Your role may read the registry but not change it.")


def require_region_access(user: User, region_id: int, field: str = "region_kato") -> None:
    """Refuse to write a record into a region the user does not work in."""
    if not in_region(user, region_id):
        raise Forbidden("You may only work with records of your own region.", field)


def is_storable_id(record_id: int) -> bool:
    """True for ids an integer primary key can hold; a larger one would be a database error, not a miss."""
    return 0 < record_id <= DB_INT_MAX

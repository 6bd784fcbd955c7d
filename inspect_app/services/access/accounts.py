"""Accounts and administration: who manages users and roles, tokens, the history, checklists and settings."""

import sqlalchemy as sa

from inspect_app.models import Region, User
from inspect_app.models.vocab import Role
from inspect_app.services.access.roles import is_admin, is_supervisor
from inspect_app.services.errors import Forbidden, NotFound


def may_manage_users(user: User | None) -> bool:
    """Admins manage every account; a region's supervisor their region's inspectors' accounts."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def user_admin_filter(user: User) -> sa.ColumnElement[bool]:
    """Accounts the user may list and manage: all for admins, the own region's inspectors for supervisors."""
    if is_admin(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return sa.and_(User.role == Role.INSPECTOR.value, User.region_id == user.region_id)
    return sa.false()


def may_manage_user(actor: User, target: User) -> bool:
    """The same rule as `user_admin_filter`, for one account."""
    if is_admin(actor):
        return True
    return (is_supervisor(actor) and actor.region_id is not None and target.role == Role.INSPECTOR
            and target.region_id == actor.region_id)


def check_user_manageable(actor: User, target: User | None) -> User:
    """The account if the actor may manage it; NotFound otherwise (another region's account is as if unknown)."""
    if target is None or not may_manage_users(actor) or not may_manage_user(actor, target):
        raise NotFound("User not found.")
    return target


def require_user_manager(user: User) -> None:
    """Only admins and supervisors manage accounts."""
    if not may_manage_users(user):
        raise Forbidden("Your role may not manage user accounts.")


def assignable_roles(actor: User) -> tuple[str, ...]:
    """Roles the actor may give an account: any for admins; supervisors create and keep inspectors only."""
    if is_admin(actor):
        return tuple(r.value for r in Role)
    if is_supervisor(actor):
        return (Role.INSPECTOR.value,)
    return ()


def require_role_assignment(actor: User, role: str, region_id: int | None, target: User | None = None) -> None:
    """Refuse a role the actor may not give, a region outside the supervisor's, and a change of one's own role.

    An escalation attempt is a refusal naming the field; nothing is written.
    """
    if target is not None and target.id == actor.id and role != target.role:
        raise Forbidden("Nobody changes their own role.", "role")
    if role not in assignable_roles(actor):
        raise Forbidden("Your role may not give this role.", "role")
    if is_supervisor(actor) and region_id != actor.region_id:
        raise Forbidden("You may only manage accounts of your own region.", "region_kato")


def may_read_admin_history(user: User | None) -> bool:
    """The administration history is read (and exported) by admins."""
    return is_admin(user)


def require_admin_history_reader(user: User) -> None:
    """Refuse the history to everyone but admins."""
    if not may_read_admin_history(user):
        raise Forbidden("Only admins read the administration history.")


def may_revoke_token_of(actor: User, owner: User) -> bool:
    """One's own tokens, and an admin anyone's."""
    return actor.id == owner.id or is_admin(actor)


def checklist_filter(user: User) -> sa.ColumnElement[bool]:
    """Checklist versions on the checklists page: all for admins; the national one and the own region's
    extension for supervisors; none for the others."""
    from inspect_app.models import ChecklistTemplate

    if is_admin(user):
        return sa.true()
    if is_supervisor(user) and user.region is not None:
        return sa.or_(ChecklistTemplate.region_kato.is_(None), ChecklistTemplate.region_kato == user.region.kato)
    return sa.false()


def may_read_checklists(user: User | None) -> bool:
    """The checklists page: admins and supervisors."""
    return is_admin(user) or (is_supervisor(user) and getattr(user, "region_id", None) is not None)


def require_checklist_reader(user: User) -> None:
    if not may_read_checklists(user):
        raise Forbidden("Your role may not manage checklists.")


def may_manage_checklist(user: User | None, region: Region | None) -> bool:
    """Upload and activate: the national template admins only; a regional extension admins and its supervisors."""
    if is_admin(user):
        return True
    return region is not None and is_supervisor(user) and user.region_id == region.id


def require_checklist_manager(user: User, region: Region | None) -> None:
    if not may_manage_checklist(user, region):
        raise Forbidden("Only admins change the national checklist; supervisors their region's extension.", "file")


def may_change_settings(user: User | None) -> bool:
    """The settings page (intervals, release hours, check-in distance, fill, deadlines): admins."""
    return is_admin(user)


def require_settings_editor(user: User) -> None:
    if not may_change_settings(user):
        raise Forbidden("Only admins change settings.")

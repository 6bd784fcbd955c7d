"""The users page's operations: list, create, change role or region, (de)activate, temporary passwords.

Each asks `services/access/` who may do it, validates everything before it writes, writes the change and
its history row in one transaction, and commits.
"""

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Inspector, Region, User
from inspect_app.models.vocab import Role
from inspect_app.services import access
from inspect_app.services import users as users_service
from inspect_app.services.admin_history import record
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound
from inspect_app.services.regions import region_by_kato

# A temporary password: 16 characters of an alphabet without look-alikes (0/O, 1/l/I), in groups of four.
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """A random password to read out or hand over (about 80 bits), which zxcvbn accepts."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def account_query(actor: User, args: dict[str, Any]) -> sa.Select:
    """The accounts the actor manages, filtered by a search (username or name), role, region and active."""
    access.require_user_manager(actor)
    query = sa.select(User).where(access.user_admin_filter(actor)).order_by(User.username)
    if args.get("q"):
        like = _like(args["q"])
        query = query.where(sa.or_(User.username.ilike(like, escape="\\"), User.full_name.ilike(like, escape="\\")))
    if args.get("role"):
        query = query.where(User.role == args["role"])
    if args.get("region"):
        query = query.where(User.region.has(Region.kato == args["region"]))
    if args.get("active"):
        query = query.where(User.active.is_(args["active"] == "yes"))
    return query


def get_account(session: Session, actor: User, user_id: int) -> User:
    """An account the actor manages, or NotFound (another region's account is as if unknown)."""
    access.require_user_manager(actor)
    target = session.get(User, user_id) if access.is_storable_id(user_id) else None
    return access.check_user_manageable(actor, target)


def _region(session: Session, role: str, kato: str | None) -> Region | None:
    if not access.role_needs_region(role):
        return None
    if not kato:
        raise InvalidInput("Supervisors and inspectors belong to a region.", "region_kato")
    return region_by_kato(session, kato, "region_kato")


def _inspector_to_link(session: Session, actor: User, inspector_id: int | None,
                       region: Region | None) -> Inspector | None:
    if inspector_id is None:
        return None
    inspector = session.scalar(sa.select(Inspector).where(Inspector.id == inspector_id,
                                                         access.inspector_filter(actor)))
    if inspector is None or (region is not None and region not in inspector.regions):
        raise InvalidInput("No inspector of this region has this id.", "inspector_id")
    if inspector.user_id is not None:
        raise InvalidInput("This inspector already has an account.", "inspector_id")
    return inspector


def create_account(session: Session, actor: User, data: dict[str, Any]) -> tuple[User, str]:
    """Create an account with a temporary password (returned once) that must be changed at the first sign-in.

    Supervisors create inspectors of their region only; an inspector record may be linked (an inspector's).
    """
    access.require_user_manager(actor)
    role = data["role"]
    region = _region(session, role, data.get("region_kato"))
    access.require_role_assignment(actor, role, region.id if region else None)
    if data.get("inspector_id") is not None and role != Role.INSPECTOR:
        raise InvalidInput("Only an inspector's account is linked to an inspector record.", "inspector_id")
    inspector = _inspector_to_link(session, actor, data.get("inspector_id"), region)
    password = temporary_password()
    user = users_service.create_user(session, data["username"], password, role, region.kato if region else None,
                                     data.get("full_name") or "", commit=False, actor=actor,
                                     locale=data.get("locale"), must_change_password=True)
    if inspector is not None:
        inspector.user = user
    session.commit()
    return user, password


def update_account(session: Session, actor: User, target: User, data: dict[str, Any]) -> User:
    """Change an account's role, region, name or language; nobody changes their own role, and the last active
    admin stays an admin. A changed role or region ends the account's sessions (its rights changed)."""
    access.check_user_manageable(actor, target)
    role = data["role"]
    region = _region(session, role, data.get("region_kato"))
    region_id = region.id if region else None
    if role != target.role or region_id != target.region_id:
        access.require_role_assignment(actor, role, region_id, target)
    if target.role == Role.ADMIN and role != Role.ADMIN:
        users_service.require_another_active_admin(session, target, "role")
    if role != target.role:
        record(session, actor, "role_changed", target, old=target.role, new=role)
    if region_id != target.region_id:
        record(session, actor, "region_changed", target, old=target.region.kato if target.region else None,
               new=region.kato if region else None)
    if (data.get("locale") or None) != target.locale:
        record(session, actor, "language_changed", target, old=target.locale, new=data.get("locale"))
    if role != target.role or region_id != target.region_id:
        target.end_sessions()
    target.role, target.region, target.full_name = role, region, data.get("full_name") or ""
    target.locale = data.get("locale") or None
    session.commit()
    return target


def set_account_active(session: Session, actor: User, target: User, active: bool) -> int:
    """Deactivate (sessions end, API tokens revoked for good) or reactivate an account; never one's own, never
    the last active admin. Returns how many tokens a deactivation revoked, for the page to say."""
    access.check_user_manageable(actor, target)
    if target.id == actor.id and not active:
        raise Forbidden("You cannot deactivate your own account.", "active")
    return users_service.set_active(session, target, active, actor=actor)


def give_temporary_password(session: Session, actor: User, target: User) -> tuple[str, int]:
    """Set a generated password the user must change at their next sign-in; returns it (shown once) and how
    many of the user's API tokens the new password revoked."""
    access.check_user_manageable(actor, target)
    if target.id == actor.id:
        raise Forbidden("Change your own password on your account page.", "password")
    password = temporary_password()
    revoked = users_service.set_password(session, target, password, actor=actor, temporary=True)
    return password, revoked


def revoke_token_of(session: Session, actor: User, owner: User, token_id: int) -> None:
    """Revoke a token: one's own, or (an admin) anyone's; another user's token is as if unknown otherwise."""
    if not access.may_revoke_token_of(actor, owner):
        raise NotFound("Token not found.")
    users_service.revoke_token(session, owner, token_id, actor=actor)

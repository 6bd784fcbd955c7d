"""One-time links to choose a new password, made by whoever manages the account (no e-mail: they pass it on).

A link works once, for RESET_LINK_HOURS, and only the newest of a user's links works; its token is shown once
and stored as a SHA-256. Using one is a conditional UPDATE (used_at IS NULL), so two tabs sending the same link
at once set one password; the other is refused.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import PasswordReset, User
from inspect_app.services import access
from inspect_app.services import users as users_service
from inspect_app.services.admin_history import record
from inspect_app.services.errors import Forbidden, InvalidInput

RESET_LINK_HOURS = 24


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_reset_link(session: Session, actor: User, target: User) -> str:
    """A new one-time token for `target` (older unused ones stop working); returns the token, shown once."""
    access.check_user_manageable(actor, target)
    if target.id == actor.id:
        raise Forbidden("Change your own password on your account page.", "password")
    if not target.active:
        raise InvalidInput("Reactivate the account first.", "active")
    now = datetime.now(UTC)
    session.execute(sa.update(PasswordReset).where(PasswordReset.user_id == target.id, PasswordReset.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=target.id, token_hash=_hash(token), created_by_id=actor.id, created_at=now,
                              expires_at=now + timedelta(hours=RESET_LINK_HOURS)))
    record(session, actor, "password_reset_link", target, hours=RESET_LINK_HOURS)
    session.commit()
    return token


def valid_reset(session: Session, token: str) -> PasswordReset | None:
    """The unused, unexpired link of an active user with this token, or None (all failures look alike)."""
    if not token or len(token) > 100:
        return None
    reset = session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at < datetime.now(UTC) or not reset.user.active:
        return None
    return reset


def use_reset_link(session: Session, token: str, password: str) -> User | None:
    """Set the password chosen through the link and spend the link; None when the link is not (or no longer)
    valid. A weak password is refused (InvalidInput naming `password`) and leaves the link usable."""
    reset = valid_reset(session, token)
    if reset is None:
        return None
    user = reset.user
    users_service.check_password_strength(password, user.username, user.full_name)
    spent = session.execute(sa.update(PasswordReset)
                            .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
                            .values(used_at=datetime.now(UTC)).execution_options(synchronize_session=False))
    if spent.rowcount != 1:  # another request spent it first
        session.rollback()
        return None
    users_service.set_password(session, user, password, actor=user)
    return user

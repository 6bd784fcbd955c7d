"""Users and API tokens."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import ApiToken, Region, User
from inspect_app.models.vocab import ROLES
from inspect_app.services.errors import Conflict, InvalidInput, NotFound


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def get_user_by_username(session: Session, username: str) -> User:
    """The user with this username (for admin commands), or NotFound."""
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user {username!r}.", "username")
    return user


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    region_kato: str | None = None,
    full_name: str = "",
    commit: bool = True,
) -> User:
    """Create a user; supervisors and inspectors need a region. Commits unless told not to."""
    if role not in ROLES:
        raise InvalidInput(f"Unknown role; use one of {', '.join(ROLES)}.", "role")
    if len(password) < 8:
        raise InvalidInput("The password needs at least 8 characters.", "password")
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict("This username is taken.", "username")
    region = None
    if region_kato:
        region = session.scalar(sa.select(Region).where(Region.kato == region_kato))
        if region is None:
            raise InvalidInput("Unknown region KATO code.", "region_kato")
    if role in ("supervisor", "inspector") and region is None:
        raise InvalidInput("Supervisors and inspectors belong to a region.", "region_kato")
    user = User(username=username, role=role, region=region, full_name=full_name)
    user.set_password(password)
    session.add(user)
    if commit:
        session.commit()
    return user


def issue_token(session: Session, user: User, name: str = "", days: int | None = 365) -> str:
    """Create an API token for the user and return it; only its hash is stored. Commits."""
    token = ApiToken.new_token()
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash_token(token), name=name, expires_at=expires))
    session.commit()
    return token

"""Users and API tokens: sign-in, passwords, (de)activation, and tokens that always expire."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_app.database import begin_write
from inspect_app.models import ApiToken, User
from inspect_app.models.vocab import ROLES
from inspect_app.services.access import role_needs_region
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.regions import region_by_kato

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score (0..4) a password must reach: 3 means "safely unguessable" for an online attack.
MIN_PASSWORD_SCORE = 3
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365
# A token's last use is written at most this often, so that reading the API is not a write per request.
TOKEN_USE_PRECISION = timedelta(seconds=60)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("not a password of anyone", method="scrypt")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    An unknown or deactivated user costs the same scrypt hash as a known one, so the time of the answer
    does not tell which usernames exist.
    """
    user = session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def check_password_strength(password: str, *personal: str) -> None:
    """Refuse a short, common or guessable password (zxcvbn knows the common-password lists), naming the field."""
    from zxcvbn import zxcvbn

    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.", "password")
    # zxcvbn's cost grows with the length; past 100 characters nobody guesses it anyway.
    if zxcvbn(password[:100], user_inputs=[p for p in personal if p])["score"] < MIN_PASSWORD_SCORE:
        raise InvalidInput("This password is too common or too easy to guess; choose a longer, unusual one.",
                           "password")


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
    check_password_strength(password, username, full_name)
    begin_write(session)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict("This username is taken.", "username")
    region = region_by_kato(session, region_kato, "region_kato") if region_kato else None
    if role_needs_region(role) and region is None:
        raise InvalidInput("Supervisors and inspectors belong to a region.", "region_kato")
    user = User(username=username, role=role, region=region, full_name=full_name)
    user.set_password(password)
    try:
        with session.begin_nested():
            session.add(user)
    except sa.exc.IntegrityError as exc:
        # Created by a concurrent request after the check above.
        raise Conflict("This username is taken.", "username") from exc
    if commit:
        session.commit()
    return user


def get_user_by_username(session: Session, username: str) -> User:
    """The user with this username (for admin commands), or NotFound."""
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user {username!r}.", "username")
    return user


def set_password(session: Session, user: User, password: str) -> int:
    """Give the user a new password (checked like a new one); every session they had ends and every API token
    is revoked (a token made while the old password may have leaked dies with it). Commits.

    Returns how many tokens were revoked, for the operator to be told.
    """
    check_password_strength(password, user.username, user.full_name)
    user.set_password(password)
    revoked = _delete_tokens(session, user)
    session.commit()
    return revoked


def set_active(session: Session, user: User, active: bool) -> int:
    """Deactivate (sessions end, API tokens revoked for good, sign-in refused) or reactivate a user; commits.

    Returns how many tokens a deactivation revoked: a reactivated user asks for new ones, so that a token
    that was out in the world while the account was shut does not come back with it.
    """
    user.active = active
    revoked = 0
    if not active:
        user.end_sessions()
        revoked = _delete_tokens(session, user)
    session.commit()
    return revoked


def _delete_tokens(session: Session, user: User) -> int:
    return session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere (their session and remember-me cookies stop working); commits."""
    user.end_sessions()
    session.commit()


def issue_token(session: Session, user: User, name: str = "", days: int = TOKEN_DEFAULT_DAYS) -> str:
    """Create an API token that expires in 1..TOKEN_MAX_DAYS days and return it; only its hash is stored. Commits."""
    if not isinstance(days, int) or not 1 <= days <= TOKEN_MAX_DAYS:
        raise InvalidInput(f"A token lasts between 1 and {TOKEN_MAX_DAYS} days; every token expires.", "days")
    token = ApiToken.new_token()
    expires = datetime.now(UTC) + timedelta(days=days)
    session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash_token(token), name=name, expires_at=expires))
    session.commit()
    return token


def note_token_use(session: Session, token: ApiToken) -> None:
    """Record that `token` authenticated a request now: at most once per TOKEN_USE_PRECISION per token.

    Commits (in its own short transaction) only when it writes; two requests racing both leave a time of
    this minute, so the conditional UPDATE needs no lock beyond its own row.
    """
    now = datetime.now(UTC)
    cutoff = now - TOKEN_USE_PRECISION
    if token.last_used_at is not None and token.last_used_at >= cutoff:
        return
    session.commit()  # end the read; the UPDATE then starts a write transaction of its own (SQLite)
    session.execute(sa.update(ApiToken)
                    .where(ApiToken.id == token.id,
                           sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < cutoff))
                    .values(last_used_at=now)
                    .execution_options(synchronize_session=False))
    session.commit()


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """The user's API tokens, newest first (their values are never stored, only names and dates)."""
    return list(session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    """Delete one of the user's tokens by its id; NotFound for another user's. Commits."""
    token = session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None:
        raise NotFound(f"{user.username} has no token {token_id}.", "token_id")
    session.delete(token)
    session.commit()
    return token


def revoke_all_tokens(session: Session, user: User) -> int:
    """Delete every token of the user; returns how many. Commits."""
    count = _delete_tokens(session, user)
    session.commit()
    return count

"""Users and API tokens: sign-in, passwords, (de)activation, and tokens that always expire."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_app.database import begin_write
from inspect_app.models import ApiToken, User
from inspect_app.models.vocab import ROLES, Role
from inspect_app.services.access import role_needs_region
from inspect_app.services.admin_history import record
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.regions import region_by_kato

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score (0..4) a password must reach: 3 means "safely unguessable" for an online attack.
MIN_PASSWORD_SCORE = 3
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365
TOKEN_NAME_MAX = 100
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
    *,
    actor: User | None = None,
    locale: str | None = None,
    must_change_password: bool = False,
) -> User:
    """Create a user; supervisors and inspectors need a region. Commits unless told not to.

    The creation is in the administration history under `actor` (None: the command line).
    """
    if role not in ROLES:
        raise InvalidInput(f"Unknown role; use one of {', '.join(ROLES)}.", "role")
    check_password_strength(password, username, full_name)
    begin_write(session)
    if session.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise Conflict("This username is taken.", "username")
    region = region_by_kato(session, region_kato, "region_kato") if region_kato else None
    if role_needs_region(role) and region is None:
        raise InvalidInput("Supervisors and inspectors belong to a region.", "region_kato")
    user = User(username=username, role=role, region=region, full_name=full_name, locale=locale,
                must_change_password=must_change_password)
    user.set_password(password)
    try:
        with session.begin_nested():
            session.add(user)
    except sa.exc.IntegrityError as exc:
        # Created by a concurrent request after the check above.
        raise Conflict("This username is taken.", "username") from exc
    record(session, actor, "user_created", user, role=role, region=region.kato if region else None)
    if commit:
        session.commit()
    return user


def note_sign_in(session: Session, user: User) -> None:
    """Remember when the user last signed in (shown on the users page); commits."""
    user.last_login_at = datetime.now(UTC)
    session.commit()


def get_user_by_username(session: Session, username: str) -> User:
    """The user with this username (for admin commands), or NotFound."""
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user {username!r}.", "username")
    return user


def set_password(session: Session, user: User, password: str, *, actor: User | None = None,
                 temporary: bool = False) -> int:
    """Give the user a new password (checked like a new one); every session they had ends and every API token
    is revoked (a token made while the old password may have leaked dies with it). Commits.

    A `temporary` one (set by an admin for the user) must be changed at the next sign-in; one the user sets
    lifts that duty. Either way the change is in the administration history, and links to reset the password
    stop working. Returns how many tokens were revoked, for the operator to be told.
    """
    check_password_strength(password, user.username, user.full_name)
    user.set_password(password)
    user.must_change_password = temporary
    revoked = _delete_tokens(session, user)
    _retire_reset_links(session, user)
    record(session, actor, "temporary_password" if temporary else "password_changed", user, tokens_revoked=revoked)
    session.commit()
    return revoked


def _retire_reset_links(session: Session, user: User) -> None:
    from inspect_app.models import PasswordReset

    session.execute(sa.update(PasswordReset)
                    .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=datetime.now(UTC)).execution_options(synchronize_session=False))


def lock_active_admins(session: Session) -> list[int]:
    """The ids of the active admins, their rows locked until the transaction ends (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's writer holds its database lock), so that two admins removed at once cannot leave none."""
    begin_write(session)
    return list(session.scalars(sa.select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True))
                                .with_for_update()))


def require_another_active_admin(session: Session, user: User, field: str) -> None:
    """Refuse to deactivate or demote the last active admin (nobody could manage accounts any more)."""
    if user.role == Role.ADMIN and user.active and lock_active_admins(session) == [user.id]:
        raise Conflict("This is the last active admin; make another admin first.", field)


def set_active(session: Session, user: User, active: bool, *, actor: User | None = None) -> int:
    """Deactivate (sessions end, API tokens revoked for good, sign-in refused) or reactivate a user; commits.

    The last active admin cannot be deactivated. Returns how many tokens a deactivation revoked: a reactivated
    user asks for new ones, so that a token that was out in the world while the account was shut does not come
    back with it. Links to reset a deactivated user's password stop working.
    """
    if not active:
        require_another_active_admin(session, user, "active")
    if user.active == active:
        session.commit()
        return 0
    user.active = active
    revoked = 0
    if not active:
        user.end_sessions()
        revoked = _delete_tokens(session, user)
        _retire_reset_links(session, user)
    record(session, actor, "reactivated" if active else "deactivated", user)
    session.commit()
    return revoked


def _delete_tokens(session: Session, user: User) -> int:
    return session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount


def end_sessions(session: Session, user: User) -> None:
    """Sign the user out everywhere (their session and remember-me cookies stop working); commits."""
    user.end_sessions()
    session.commit()


def issue_token(session: Session, user: User, name: str = "", days: int = TOKEN_DEFAULT_DAYS, *,
                actor: User | None = None) -> str:
    """Create an API token that expires in 1..TOKEN_MAX_DAYS days and return it; only its hash is stored. Commits.

    The CLI (actor None) and the token page (the user themself) both call this; the history names the token.
    """
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_MAX_DAYS:
        raise InvalidInput(f"A token lasts between 1 and {TOKEN_MAX_DAYS} days; every token expires.", "days")
    if len(name or "") > TOKEN_NAME_MAX:
        raise InvalidInput(f"A token's name has at most {TOKEN_NAME_MAX} characters.", "name")
    token = ApiToken.new_token()
    expires = datetime.now(UTC) + timedelta(days=days)
    session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash_token(token), name=name, expires_at=expires))
    record(session, actor, "token_created", user, name=name, days=days)
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


def revoke_token(session: Session, user: User, token_id: int, *, actor: User | None = None) -> ApiToken:
    """Delete one of the user's tokens by its id; NotFound for another user's. Commits.

    Who may revoke whose token is the caller's question (`access.may_revoke_token_of`); this records who did.
    """
    token = session.scalar(sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    if token is None:
        raise NotFound(f"{user.username} has no token {token_id}.", "token_id")
    record(session, actor, "token_revoked", user, name=token.name, token_id=token.id)
    session.delete(token)
    session.commit()
    return token


def revoke_all_tokens(session: Session, user: User, *, actor: User | None = None) -> int:
    """Delete every token of the user; returns how many. Commits."""
    count = _delete_tokens(session, user)
    if count:
        record(session, actor, "tokens_revoked", user, count=count)
    session.commit()
    return count

"""Loading the current user from the session cookie or from an API bearer token."""

import hmac
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, request
from flask_babel import lazy_gettext as _l

from inspect_app.extensions import db, login_manager
from inspect_app.models import ApiToken, User
from inspect_app.services.access import is_storable_id
from inspect_app.services.users import note_token_use


def init_login(app: Flask) -> None:
    """Configure Flask-Login for this app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Войдите, чтобы открыть эту страницу.")
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user of a session or remember-me cookie: `<id>:<session token>` of an active user.

    Signing out replaces the token, so a copied session or remember-me cookie stops working.
    """
    raw_id, _sep, token = (user_id or "").partition(":")
    if not raw_id.isdigit() or not token or not is_storable_id(int(raw_id)):
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_token or "", token):
        return None
    return user


def user_from_bearer() -> User | None:
    """The user whose API token is presented as `Authorization: Bearer ...`, if it is valid."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    if not token:
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash_token(token))
                            .options(so.joinedload(ApiToken.user)))  # one query for the token and its user
    if row is None or not row.user.active:
        return None
    now = datetime.now(UTC)
    if row.expires_at is not None and row.expires_at < now:  # UtcDateTime: always aware
        return None
    user = row.user
    note_token_use(db.session, row)
    return user

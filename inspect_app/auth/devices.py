"""Devices a user has signed in on: a signed, HttpOnly cookie that lets a locked account in, slowly.

Ten wrong passwords lock an account for a while, whoever typed them; so that a stranger's guesses cannot lock
the real user out, a browser in which that user signed in before is slowed (one try per `known_device` limit)
instead of refused. The cookie holds a random device id and digests of the usernames signed in there, signed
with the app's key: it cannot be forged, and it names nobody to whoever reads it.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "tekseru_device"
MAX_AGE = timedelta(days=180)
# A shared phone remembers at most this many accounts (the oldest is dropped).
MAX_USERS = 10


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="tekseru-known-device")


def _digest(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]


def _read() -> dict:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        data = _serializer().loads(raw, max_age=int(MAX_AGE.total_seconds()))
    except BadSignature:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("users"), list) else {}


def known_as(username: str) -> str | None:
    """This browser's device id when `username` signed in on it before (within MAX_AGE), else None."""
    data = _read()
    return str(data["id"]) if data.get("id") and _digest(username) in data["users"] else None


def remember(response: Response, username: str) -> None:
    """Note on the response that `username` signed in on this browser."""
    data = _read()
    users = [u for u in data.get("users", []) if u != _digest(username)] + [_digest(username)]
    value = _serializer().dumps({"id": data.get("id") or secrets.token_hex(8), "users": users[-MAX_USERS:]})
    response.set_cookie(COOKIE, value, max_age=int(MAX_AGE.total_seconds()), httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/auth/")

"""Locale and time-zone selection: user choice, then ?lang=, then Russian; dates in Asia/Almaty."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

ALMATY = ZoneInfo("Asia/Almaty")


def select_locale() -> str:
    """Pick the UI language: an explicit ?lang=, the session, the user's profile (a token's user in the API),
    else the default (ru)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and background jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = request.args.get("lang")
    if requested in languages:
        session["lang"] = requested
        return requested
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    api_user = g.get("api_user")  # a bearer token's user (the API keeps no session)
    if api_user is not None and api_user.locale in languages:
        return api_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every date the app shows is in Asia/Almaty."""
    return "Asia/Almaty"


def to_almaty(value: datetime) -> datetime:
    """Convert a stored timestamp to Almaty time; naive values (SQLite) are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ALMATY)


def today_almaty() -> date:
    """Today's date in Almaty, which is what 'today' means to every user."""
    return datetime.now(ALMATY).date()

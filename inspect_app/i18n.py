"""Locale and time-zone selection: ?lang=, the session, the user's profile, the browser's languages, then
Russian; dates in Asia/Almaty."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

ALMATY = ZoneInfo("Asia/Almaty")


def select_locale() -> str:
    """Pick the UI language: an explicit ?lang=, the session, the user's profile (a token's user in the API),
    the languages the browser asks for (Accept-Language), else the default (ru).

    A ?lang= on a page is kept in the session; on an API call it answers that call only, so a client that keeps
    cookies is not switched for good by one request.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the CLI and background jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = request.args.get("lang")
    if requested in languages:
        if not request.path.startswith("/api/"):
            session["lang"] = requested
        return requested
    if session.get("lang") in languages:
        return session["lang"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    api_user = g.get("api_user")  # a bearer token's user (the API keeps no session)
    if api_user is not None and api_user.locale in languages:
        return api_user.locale
    g.locale_from_header = True  # from here on the answer varies with Accept-Language (see vary_by_language)
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def vary_by_language(response):
    """Tell caches that an answer whose language was left to Accept-Language varies with it."""
    if g.get("locale_from_header"):
        response.vary.add("Accept-Language")
    return response


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

"""Template filters and globals: dates in Almaty time, labels, messages, list URLs."""

from datetime import date, datetime

from flask import Flask, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from inspect_app.i18n import to_almaty
from inspect_app.labels import ACTIONS, LABELS, change_value, field_label, label
from inspect_app.messages import ui_message
from inspect_app.services.access import Rights


def almaty(value: datetime | date | None, fmt: str = "medium") -> str:
    """A date or timestamp shown in Asia/Almaty in the UI language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(to_almaty(value), fmt)
    return format_date(value, fmt)


def page_url(endpoint: str, args: dict, **changes) -> str:
    """The URL of the same list with some query arguments changed (empty ones dropped)."""
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "", False)}
    return url_for(endpoint, **merged)


def init_template_helpers(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["almaty"] = almaty
    app.jinja_env.globals["LABELS"] = LABELS
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["change_value"] = change_value
    app.jinja_env.filters["ui_message"] = ui_message
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "ru")
    app.jinja_env.globals["ACTIONS"] = ACTIONS
    app.jinja_env.globals["page_url"] = page_url
    # What the signed-in user may do, asked of the access module (templates never compare roles).
    app.context_processor(lambda: {"can": Rights(current_user)})

"""Template filters and globals: dates in Almaty time, labels, messages, list URLs."""

import hashlib
import hmac
from datetime import date, datetime

from flask import Flask, current_app, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from inspect_app.i18n import to_almaty
from inspect_app.labels import (
    ACTIONS,
    LABELS,
    change_value,
    closure_reason,
    duplicate_reason,
    field_label,
    label,
    labels_of,
)
from inspect_app.messages import ui_message
from inspect_app.web.rights import Rights


def almaty(value: datetime | date | str | None, fmt: str = "medium") -> str:
    """A date or timestamp shown in Asia/Almaty in the UI language (an ISO date string too, as schedules keep)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return format_datetime(to_almaty(value), fmt)
    return format_date(value, fmt)


def signed(value: float | None) -> str:
    """A change with its sign in the UI language's digits: "+97,8", "−3,1" (a real minus), "0,0"."""
    if value is None:
        return ""
    if round(value, 1) == 0:
        return format_decimal(0, format="0.0")
    return format_decimal(value, format="+#,##0.0;\u2212#,##0.0")


def decimal(value: float | None) -> str:
    """A measure with one decimal in the UI language's digits: "12,4" in ru and kk, "12.4" in en."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.0")


def csrf_field() -> Markup:
    """The CSRF token as a hidden input without an id, for pages with several forms (WTForms' own field
    carries id="csrf_token", which several forms on one page would repeat)."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % generate_csrf()


def page_url(endpoint: str, args: dict, **changes) -> str:
    """The URL of the same list with some query arguments changed (empty ones dropped)."""
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "", False)}
    return url_for(endpoint, **merged)


def offline_scope() -> str:
    """The signed-in user's name for their data on a phone (IndexedDB store, service-worker cache), or "".

    An HMAC of the user's id under the app's key: stable for the user, the same on every device, and it
    names nobody to whoever reads a phone's storage.
    """
    if not current_user.is_authenticated:
        return ""
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    return hmac.new(key, f"offline:{current_user.id}".encode(), hashlib.sha256).hexdigest()[:20]


def per_request(func):
    """A filter evaluated at each rendering: Jinja folds a plain filter of a constant (`'bin'|field_label`)
    once, when it compiles the template, which froze labels in the language of the first request."""

    @pass_context
    def evaluated(_context, *args, **kwargs):
        return func(*args, **kwargs)

    evaluated.__doc__ = func.__doc__
    return evaluated


def init_template_helpers(app: Flask) -> None:
    """Register filters and globals (every filter whose words depend on the UI language runs per request)."""
    app.jinja_env.filters["label"] = per_request(label)
    app.jinja_env.filters["almaty"] = per_request(almaty)
    app.jinja_env.filters["signed"] = per_request(signed)
    app.jinja_env.filters["decimal"] = per_request(decimal)
    app.jinja_env.globals["LABELS"] = LABELS
    app.jinja_env.globals["labels_of"] = labels_of
    app.jinja_env.filters["field_label"] = per_request(field_label)
    app.jinja_env.filters["change_value"] = per_request(change_value)
    app.jinja_env.filters["ui_message"] = per_request(ui_message)
    app.jinja_env.filters["closure_reason"] = per_request(closure_reason)
    app.jinja_env.globals["duplicate_reason"] = duplicate_reason
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "ru")
    app.jinja_env.globals["ACTIONS"] = ACTIONS
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["csrf_field"] = csrf_field
    # What the signed-in user may do, asked of the access module (templates never compare roles).
    app.context_processor(lambda: {"can": Rights(current_user)})
    app.jinja_env.globals["offline_scope"] = offline_scope

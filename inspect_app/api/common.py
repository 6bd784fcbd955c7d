"""What every API resource shares: the blueprint class, authentication and SQLAlchemy pagination."""

import json

import flask_smorest
import sqlalchemy as sa
from flask import abort, g, request
from flask_babel import gettext
from flask_login import current_user
from flask_smorest import Page
from flask_wtf.csrf import CSRFError, validate_csrf
from webargs.flaskparser import FlaskParser
from wtforms.validators import ValidationError

from inspect_app.auth import throttle
from inspect_app.auth.loader import user_from_bearer
from inspect_app.extensions import db
from inspect_app.models import User
from inspect_app.services.access import require_registry_reader

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BodyParser(FlaskParser):
    """webargs' parser, except that a JSON body nested too deeply to parse is a 400 like any invalid JSON.

    (The standard library's decoder raises RecursionError there, which no handler expects: a 500.)
    """

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            raise json.JSONDecodeError("The JSON body is nested too deeply.", "nested", 0) from None


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprints: flask-smorest's, reading bodies with `BodyParser`."""

    ARGUMENTS_PARSER = BodyParser()
MAX_OFFSET = 2**31 - 1


def authenticate_api_request() -> None:
    """Set `g.api_user` from a bearer token, or from the web session with a CSRF header; else 401."""
    if request.method == "OPTIONS":
        return
    address = throttle.address()
    user = user_from_bearer()
    if user is None and request.headers.get("Authorization"):
        # Bad tokens are throttled, not the address: a device repeating a stale token is stopped on that token,
        # a guesser trying many from one address on the address; a valid token from there still gets through
        # (a token is 256 random bits: throttling the right one protects nothing).
        keys = (throttle.presented_token_key(request.headers["Authorization"]), address)
        throttle.refuse_if_exhausted("bad_token", *keys)
        throttle.count("bad_token", *keys)
        abort(401, gettext("Неверный или просроченный API-токен."))
    if user is None and current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except (ValidationError, CSRFError):
                abort(400, gettext("Сеанс браузера должен передавать CSRF-токен в заголовке X-CSRFToken."))
        user = current_user._get_current_object()
    if user is None:
        abort(401, gettext("Нужна аутентификация: передайте «Authorization: Bearer <токен>»."))
    keys = (f"user:{user.id}", address)
    throttle.refuse_if_exhausted("api_request", *keys)
    throttle.count("api_request", *keys)
    g.api_user = user


def authenticate_registry_request() -> None:
    """Authenticate as above, then refuse roles without registry access (inspectors) with 403."""
    authenticate_api_request()
    if request.method != "OPTIONS":
        require_registry_reader(g.api_user)


def api_user() -> User:
    """The user of the current API request."""
    return g.api_user


class SelectPage(Page):
    """Pagination of an SQLAlchemy 2 select: counts in SQL and fetches one page."""

    @property
    def item_count(self) -> int:
        # count(*) over the same FROM and WHERE, not over a subquery of every column (and its eager joins).
        return db.session.scalar(
            self.collection.order_by(None).with_only_columns(sa.func.count(), maintain_column_froms=True))

    @property
    def items(self):
        if self.page_params.first_item > MAX_OFFSET:
            # Past any real page; the database would overflow on such an offset instead of returning nothing.
            return []
        return db.session.scalars(
            self.collection.limit(self.page_params.page_size).offset(self.page_params.first_item)
        ).unique().all()

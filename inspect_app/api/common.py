"""What every API resource shares: the blueprint class, authentication and SQLAlchemy pagination."""

import json

import flask_smorest
import sqlalchemy as sa
from flask import abort, current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from flask_smorest import Page
from flask_wtf.csrf import CSRFError, validate_csrf
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from wtforms.validators import ValidationError

from inspect_app.api.contract import refusals
from inspect_app.auth import throttle
from inspect_app.auth.loader import user_from_bearer
from inspect_app.extensions import db
from inspect_app.models import User
from inspect_app.services.access import require_registry_reader

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BodyParser(FlaskParser):
    """webargs' parser, except that a JSON body nested too deeply to parse is a 400 like any invalid JSON,
    and a multipart body's files and fields are read by one schema (location "multipart").

    (The standard library's decoder raises RecursionError there, which no handler expects: a 500.)
    """

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            raise json.JSONDecodeError("The JSON body is nested too deeply.", "nested", 0) from None

    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        """A multipart/form-data body as one mapping of its fields and its files: what OpenAPI 3 documents as
        one requestBody (two schemas, files and form, would be a Swagger 2 `formData` parameter)."""
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """The API's blueprints: flask-smorest's, reading bodies with `BodyParser`, every operation tagged with
    the blueprint's `tag` (the section a person reads in the docs and a generated client's module) and
    declaring the error answers in `refuses` (e.g. 403 where a role is refused before any view runs)."""

    ARGUMENTS_PARSER = BodyParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}

    def __init__(self, *args, tag: str, refuses: tuple[int, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.tag = tag
        self.refuses = refuses

    def route(self, rule, *, parameters=None, tags=None, **options):
        register = super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)

        def decorator(view):
            for method in self.HTTP_METHODS:
                function = getattr(view, method.lower(), None)
                if function is not None and self.refuses:
                    setattr(view, method.lower(), refusals(*self.refuses)(function))
            return register(view)

        return decorator
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
    refuse_unknown_query_arguments()


# Accepted on every call: the answer's language (see inspect_app/i18n.py).
GLOBAL_QUERY_ARGUMENTS = frozenset({"lang"})


def declared_query_arguments(view_method) -> set[str]:
    """The query arguments an operation documents: its query schemas' fields and, when it pages, page and
    page_size (read from what flask-smorest's decorators recorded on the method)."""
    apidoc = getattr(view_method, "_apidoc", {})
    names = set(GLOBAL_QUERY_ARGUMENTS)
    for parameter in apidoc.get("arguments", {}).get("parameters", []):
        if isinstance(parameter, dict) and parameter.get("in") == "query":
            schema = parameter["schema"]
            schema = schema() if isinstance(schema, type) else schema
            names |= {field.data_key or name for name, field in schema.fields.items() if not field.dump_only}
    if "pagination" in apidoc:
        names |= {"page", "page_size"}
    return names


def refuse_unknown_query_arguments() -> None:
    """422 naming each query argument the operation does not know: a typo such as `?search=` would otherwise
    be ignored silently and answer the whole list."""
    view = current_app.view_functions.get(request.endpoint)
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    if method is None:
        return
    unknown = sorted(set(request.args) - declared_query_arguments(method))
    if unknown:
        flask_smorest.abort(422, errors={"query": {name: ["Unknown field."] for name in unknown}},
              message=gettext("Неизвестные параметры запроса: %(names)s.", names=", ".join(unknown)))


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

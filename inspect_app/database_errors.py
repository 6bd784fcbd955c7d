"""What a request answers when the database refuses it: a busy database (a lock timeout on SQLite, a
serialization failure or deadlock on PostgreSQL) runs the request again, at most `DB_RETRIES` times, then
answers 503; a write another request made meanwhile answers 409; a cancelled statement, a full disk or an
unreachable server answers 503 at once (`inspect_app/database.py` holds the transactions and their limits).
"""

import random
import time

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from inspect_app.database import watch_postgres


class RetryRequest(Exception):
    """Raised by the error handler to have the request run again from the start."""


def _is_retryable(error: sa.exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in ("40001", "40P01")  # serialization failure, deadlock detected


def _is_statement_timeout(error: Exception) -> bool:
    """PostgreSQL cancelled a statement that ran past DB_STATEMENT_TIMEOUT (query_canceled, 57014)."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) == "57014"


def _is_disk_full(error: Exception) -> bool:
    """SQLite's SQLITE_FULL, or PostgreSQL's disk_full (53100): the server has no room left to write."""
    if getattr(getattr(error, "orig", None), "sqlstate", None) == "53100":
        return True
    return "database or disk is full" in str(getattr(error, "orig", error)).lower()


def _is_unreachable(error: Exception) -> bool:
    if isinstance(error, sa.exc.TimeoutError):
        return True
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    text = str(getattr(error, "orig", error)).lower()
    return any(s in text for s in ("connection refused", "could not connect", "connection failed",
                                   "server closed the connection", "terminating connection",
                                   "unable to open database file", "timeout expired", "no route to host",
                                   "connection timeout", "the database system is"))


def _without_database() -> None:
    """From here on this request must not touch the database: the page is rendered for an anonymous user (the
    locale selector and the templates ask `current_user`, whose loading would query the database again)."""
    from inspect_app.extensions import login_manager

    g._login_user = login_manager.anonymous_user()
    g.database_down = True


def _service_unavailable(message: str):
    if request.path == "/api" or request.path.startswith("/api/"):
        body = {"code": 503, "status": "Service Unavailable", "message": message}
        response = jsonify(body)
    else:
        response = render_template("errors/error.html", code=503, message=message)
    return response, 503, {"Retry-After": "5"}


def init_database(app: Flask) -> None:
    """Retry busy requests and answer 503 while the database is unreachable."""
    db = app.extensions["sqlalchemy"]  # bound by register_extensions; extensions imports this module
    retries = app.config.get("DB_RETRIES", 3)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with app.app_context():
            watch_postgres(db.engine, app.config)
    _retry_busy_requests(app, db, retries)
    _answer_concurrent_writes(app, db)
    _answer_database_errors(app, db, retries)


def _retry_busy_requests(app: Flask, db, retries: int) -> None:
    """Run a request again from the start (at most `retries` times) when it met a lock timeout or deadlock."""
    dispatch = app.full_dispatch_request

    def full_dispatch_request():
        for attempt in range(retries + 1):
            g.db_attempt = attempt
            try:
                return dispatch()
            except RetryRequest:
                db.session.rollback()
                for upload in request.files.values():
                    upload.stream.seek(0)
                # Jittered backoff so that clients that collided do not collide again.
                time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    app.full_dispatch_request = full_dispatch_request


def _answer_concurrent_writes(app: Flask, db) -> None:
    """409 when a constraint or a version condition refused a write another request made meanwhile."""

    @app.errorhandler(sa.exc.IntegrityError)
    @app.errorhandler(StaleDataError)
    def handle_concurrent_write(error):
        # The constraint (or the version condition of an UPDATE) caught what a check missed: another request
        # wrote the same key, or changed the record, between this request's read and its write.
        db.session.rollback()
        app.logger.info("concurrent write refused: %s", error)
        message = _("Запись изменена или создана другим запросом одновременно с вашим: обновите страницу "
                    "и повторите.")
        if request.path == "/api" or request.path.startswith("/api/"):
            return jsonify({"code": 409, "status": "Conflict", "message": message}), 409
        return render_template("errors/error.html", code=409, message=message), 409


def _answer_database_errors(app: Flask, db, retries: int) -> None:
    """A busy database: retry, then 503; a cancelled statement, a full disk, an unreachable server: 503."""

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.TimeoutError)
    def handle_database_error(error):
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session.remove()
        retryable = isinstance(error, sa.exc.DBAPIError) and _is_retryable(error)
        if retryable and g.get("db_attempt", retries) < retries:
            raise RetryRequest() from error  # run again from the start, as the signed-in user
        _without_database()  # before any word is translated: the locale selector reads the user
        if retryable:
            app.logger.warning("database busy after %d attempts: %s", retries + 1, error)
            return _service_unavailable(_("База данных занята: повторите через несколько секунд."))
        if _is_statement_timeout(error):
            app.logger.warning("statement cancelled after DB_STATEMENT_TIMEOUT: %s", error)
            return _service_unavailable(_("База данных занята: повторите через несколько секунд."))
        if _is_disk_full(error):
            app.logger.error("database disk full: %s", error)
            return _service_unavailable(_("Диск сервера базы данных заполнен: изменения не сохранены. "
                                          "Повторите, когда администратор освободит место."))
        if _is_unreachable(error):
            app.logger.error("database unreachable: %s", error)
            return _service_unavailable(_("База данных временно недоступна: повторите через минуту."))
        raise error

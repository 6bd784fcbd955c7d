"""Error handlers: JSON in the flask-smorest format under /api, HTML pages elsewhere."""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from inspect_app.extensions import api, db
from inspect_app.messages import ui_message, ui_messages
from inspect_app.services.errors import ServiceError

# What an error page or an API answer says for each HTTP status when the code gave no message of its own.
HTTP_TITLES = {
    400: _l("Неверный запрос"),
    401: _l("Нужен вход"),
    403: _l("Доступ запрещён"),
    404: _l("Не найдено"),
    405: _l("Метод не поддерживается"),
    409: _l("Конфликт"),
    413: _l("Слишком большой запрос"),
    415: _l("Неподдерживаемый формат"),
    422: _l("Данные не прошли проверку"),
    429: _l("Слишком много запросов"),
    500: _l("Ошибка сервера"),
    503: _l("Сервис недоступен"),
}
HTTP_MESSAGES = {
    400: _l("Запрос не удалось разобрать."),
    401: _l("Войдите в систему, чтобы продолжить."),
    403: _l("У вас нет прав на эту страницу или действие."),
    404: _l("Такой страницы или записи нет."),
    405: _l("Этот адрес не принимает такой метод запроса."),
    409: _l("Изменение противоречит сохранённым данным."),
    413: _l("Запрос или файл слишком большой."),
    415: _l("Формат данных не поддерживается."),
    422: _l("Данные не прошли проверку: исправьте поля, указанные в ошибках."),
    429: _l("Слишком много запросов; подождите и повторите."),
    500: _l("На сервере произошла ошибка; попробуйте позже."),
    503: _l("Сервис временно недоступен; попробуйте позже."),
}


def http_title(code: int | None) -> str:
    """The UI-language name of an HTTP error status."""
    return str(HTTP_TITLES.get(code or 500, code or ""))


def http_message(error) -> str:
    """What a person reads for an HTTPException: its own message translated, or the status's sentence when it
    carries werkzeug's English default."""
    description = error.description
    if not description or description == type(error).description:
        return str(HTTP_MESSAGES.get(error.code, description or ""))
    return ui_message(description)


def is_api_request() -> bool:
    """True for requests to the REST API, which always answers in JSON."""
    return request.path.startswith("/api/") or request.path == "/api"


def init_errorhandlers(app: Flask) -> None:
    """Register the handlers on the app (after flask-smorest registered its own)."""

    @app.errorhandler(ServiceError)
    def handle_service_error(error: ServiceError):
        db.session.rollback()
        if is_api_request():
            body = {"code": error.status, "status": _status_name(error.status), "message": ui_message(error.message)}
            if error.errors:
                body["errors"] = {error.location: ui_messages(error.errors)}
            return jsonify(body), error.status, _retry_after(error.status)
        return render_template("errors/error.html", code=error.status, title=http_title(error.status),
                               message=ui_message(error.message)), error.status, _retry_after(error.status)

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        if is_api_request():
            payload, code, headers = api.handle_http_exception(error)
            headers = dict(headers or {})
            if "message" in payload:
                payload["message"] = ui_message(payload["message"])
            elif error.description:
                payload["message"] = http_message(error)
            if "errors" in payload:
                payload["errors"] = ui_messages(payload["errors"])
            # flask-smorest drops the Allow header that a 405 must carry (RFC 9110).
            if isinstance(error, MethodNotAllowed) and error.valid_methods:
                headers["Allow"] = ", ".join(sorted(error.valid_methods))
            if code == 401:
                headers.setdefault("WWW-Authenticate", "Bearer")
            if getattr(error, "retry_after", None):
                headers["Retry-After"] = str(error.retry_after)
            if code >= 500:
                db.session.rollback()
            return payload, code, headers
        if error.code and error.code >= 500:
            db.session.rollback()
        response = error.get_response()
        response.data = render_template("errors/error.html", code=error.code, title=http_title(error.code),
                                        message=http_message(error))
        response.content_type = "text/html; charset=utf-8"
        return response


def _retry_after(status: int) -> dict[str, str]:
    """A 503 of a service tells the client when to try again."""
    return {"Retry-After": "60"} if status == 503 else {}


def _status_name(code: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(code).phrase

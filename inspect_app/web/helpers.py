"""Template filters and globals: dates in Almaty time, labels of the vocabularies in the UI language."""

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from inspect_app.i18n import to_almaty

LABELS = {
    "type": {
        "school": _l("Школа"),
        "kindergarten": _l("Детский сад"),
        "college": _l("Колледж"),
        "summer_camp": _l("Летний лагерь"),
        "sports_club": _l("Спортивная секция"),
        "leisure_centre": _l("Центр досуга и культуры"),
        "boarding_school": _l("Интернат"),
        "other": _l("Другое"),
    },
    "agency": {
        "education": _l("Образование"),
        "health": _l("Здравоохранение"),
        "culture_sport": _l("Культура и спорт"),
        "tourism": _l("Туризм"),
        "internal_affairs": _l("Внутренние дела"),
        "akimat": _l("Акимат"),
        "private": _l("Частная"),
    },
    "risk": {"high": _l("Высокий"), "medium": _l("Средний"), "low": _l("Низкий")},
    "status": {"active": _l("Действует"), "seasonal": _l("Сезонный"), "closed": _l("Закрыт")},
    "skill": {"safety": _l("Безопасность"), "nutrition": _l("Питание"), "health": _l("Здоровье")},
    "role": {
        "admin": _l("Администратор"),
        "ministry": _l("Министерство"),
        "supervisor": _l("Руководитель"),
        "inspector": _l("Инспектор"),
    },
}


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


def almaty(value: datetime | date | None, fmt: str = "medium") -> str:
    """A date or timestamp shown in Asia/Almaty in the UI language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(to_almaty(value), fmt)
    return format_date(value, fmt)


def init_template_helpers(app: Flask) -> None:
    """Register filters and globals."""
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["almaty"] = almaty
    app.jinja_env.globals["LABELS"] = LABELS
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "ru")

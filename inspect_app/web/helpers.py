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
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["change_value"] = change_value
    app.jinja_env.filters["ui_message"] = ui_message
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "ru")
    app.jinja_env.globals["ACTIONS"] = ACTIONS
    app.jinja_env.globals["page_url"] = page_url


FIELD_LABELS = {
    "bin": _l("БИН"),
    "name_ru": _l("Название (рус.)"),
    "name_kk": _l("Название (каз.)"),
    "type": _l("Тип"),
    "agency": _l("Ведомство"),
    "region_kato": _l("Регион"),
    "district_kato": _l("Район"),
    "region_id": _l("Регион"),
    "district_id": _l("Район"),
    "address": _l("Адрес"),
    "lat": _l("Широта"),
    "lon": _l("Долгота"),
    "children_count": _l("Детей"),
    "season_start": _l("Начало сезона"),
    "season_end": _l("Конец сезона"),
    "opening_hours": _l("Часы работы"),
    "risk": _l("Риск"),
    "risk_reason": _l("Причина категории риска"),
    "status": _l("Статус"),
    "contact_name": _l("Контактное лицо"),
    "contact_phone": _l("Телефон"),
    "contact_email": _l("Эл. почта"),
    "last_inspection_date": _l("Последняя проверка"),
    "archived": _l("В архиве"),
    "merged_bin": _l("Присоединён БИН"),
    "merged_into": _l("Присоединён к"),
    "moved": _l("Перенесено записей"),
    "full_name": _l("ФИО"),
    "username": _l("Пользователь"),
    "region_katos": _l("Регионы"),
    "skills": _l("Навыки"),
    "home_address": _l("Домашний адрес"),
    "home_lat": _l("Широта базы"),
    "home_lon": _l("Долгота базы"),
    "max_visits_per_day": _l("Проверок в день, не более"),
    "max_minutes_per_day": _l("Минут в день, не более"),
    "day_start": _l("Начало дня"),
    "day_end": _l("Конец дня"),
    "absences": _l("Отсутствия"),
    "conflict_bins": _l("Конфликт интересов (БИН)"),
}

ACTIONS = {
    "create": _l("создание"),
    "update": _l("изменение"),
    "archive": _l("архивирование"),
    "import": _l("импорт"),
    "merge": _l("объединение"),
}


def field_label(name: str) -> str:
    """The UI-language label of a record field (the name itself when unknown)."""
    return str(FIELD_LABELS.get(name, name))


def change_value(value, field: str = "") -> str:
    """A history value as a person reads it: vocabulary labels, empty as a dash, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field in ("type", "agency", "risk", "status") and isinstance(value, str):
        return label(value, field)
    if isinstance(value, list):
        return ", ".join(change_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {change_value(v)}" for k, v in value.items())
    return str(value)


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested error dict as `{field: [messages]}`; nested keys keep their path (`absences.0`)."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list | tuple):
        flat.setdefault(prefix or "_schema", []).extend(str(m) for m in messages)
        return flat
    if not isinstance(messages, dict):
        flat.setdefault(prefix or "_schema", []).append(str(messages))
        return flat
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        for field, items in flatten_errors(value, name).items():
            flat.setdefault(field, []).extend(items)
    return flat


def service_errors(error) -> dict[str, list[str]]:
    """The field errors a ServiceError carries, or the message under `_schema`."""
    if error.errors:
        return flatten_errors(error.errors)
    return {"_schema": [error.message]}


def save_form(schema, data: dict, action, regroup=lambda errors: errors):
    """Load form data through the schema and call the service with it: (result, errors, HTTP status).

    Schema errors and a service's field errors come back for the form to show next to their fields
    (the session is rolled back); other service errors propagate to the error pages.
    """
    from marshmallow import ValidationError

    from inspect_app.extensions import db
    from inspect_app.services.errors import NotFound, ServiceError

    try:
        return action(schema.load(data)), {}, 200
    except ValidationError as exc:
        return None, regroup(flatten_errors(exc.messages)), 422
    except ServiceError as exc:
        if not exc.field or isinstance(exc, NotFound):
            raise
        db.session.rollback()
        return None, regroup(service_errors(exc)), exc.status


def page_url(endpoint: str, args: dict, **changes) -> str:
    """The URL of the same list with some query arguments changed (empty ones dropped)."""
    from flask import url_for

    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "", False)}
    return url_for(endpoint, **merged)


def group_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Nested errors (`absences.0.start_date`) shown next to their top field, naming the line and part."""
    from flask_babel import gettext

    grouped: dict[str, list[str]] = {}
    for key, messages in errors.items():
        top, _sep, rest = key.partition(".")
        where = []
        for part in rest.split(".") if rest else []:
            where.append(gettext("строка %(n)s", n=int(part) + 1) if part.isdigit() else field_label(part))
        prefix = ", ".join(where) + ": " if where else ""
        grouped.setdefault(top, []).extend(prefix + m for m in messages)
    return grouped


def choices(pairs) -> list:
    """WTForms select options from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    from wtforms.fields.choices import SelectChoice

    return [SelectChoice(value=value, label=label) for value, label in pairs]


# The schemas speak English (the API's language); the forms show their common messages in the UI language.
SCHEMA_MESSAGES = (
    ("Missing data for required field.", _l("Обязательное поле.")),
    ("Not a valid number.", _l("Введите число.")),
    ("Not a valid integer.", _l("Введите целое число.")),
    ("Not a valid date.", _l("Введите дату в виде ГГГГ-ММ-ДД.")),
    ("Must be one of", _l("Выберите значение из списка.")),
    ("Not a valid BIN", _l("Неверный БИН: нужны 12 цифр с верной контрольной цифрой.")),
    ("Latitude", _l("Широта вне территории Казахстана.")),
    ("Longitude", _l("Долгота вне территории Казахстана.")),
    ("A facility with this BIN is already registered.", _l("Объект с этим БИН уже есть в реестре.")),
    ("You may only", _l("Можно работать только с записями своего региона.")),
    ("Expected a day of the year as MM-DD.", _l("Укажите день в виде ММ-ДД.")),
    ("Expected a time as HH:MM.", _l("Укажите время в виде ЧЧ:ММ.")),
    ("Length must be between", _l("Недопустимая длина.")),
    ("Shorter than minimum length", _l("Слишком коротко.")),
)


def ui_message(message: str) -> str:
    """A schema or service message in the UI language when it is a common one, else as it is."""
    for prefix, text in SCHEMA_MESSAGES:
        if message.startswith(prefix):
            return str(text)
    return message

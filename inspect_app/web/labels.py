"""Labels of vocabulary values, record fields and history actions in the UI language."""

from flask_babel import lazy_gettext as _l

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


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


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

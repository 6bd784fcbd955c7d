"""Record fields and registry history actions, and how a history value reads (`change_value`)."""

from flask_babel import lazy_gettext as _l

from inspect_app.labels.vocabularies import label

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
    "region": _l("Регион"),
    "date_from": _l("С даты"),
    "date_to": _l("По дату"),
    "lang": _l("Язык"),
    "date": _l("Дата"),
    "dates": _l("Даты"),
    "inspector_id": _l("Инспектор"),
    "visit_id": _l("Посещение"),
    "other_visit_id": _l("Второе посещение"),
    "transfers": _l("Переносы выходных дней"),
    "breaks": _l("Каникулы"),
    "closures": _l("Закрытия объекта"),
    "start_date": _l("Первый день"),
    "end_date": _l("Последний день"),
    "reason": _l("Причина"),
    "day_off": _l("Выходной день"),
    "working_day": _l("Рабочий день"),
    "note": _l("Примечание"),
    "outcome": _l("Решение"),
    "comment": _l("Комментарий"),
    "item_codes": _l("Пункты к исправлению"),
    "year": _l("Год"),
}

ACTIONS = {
    "create": _l("создание"),
    "update": _l("изменение"),
    "archive": _l("архивирование"),
    "import": _l("импорт"),
    "merge": _l("объединение"),
    "closure_add": _l("закрытие объекта"),
    "closure_remove": _l("отмена закрытия объекта"),
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


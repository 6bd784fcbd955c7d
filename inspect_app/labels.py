"""Every label a person reads for a code: vocabulary values, record fields, history actions, report headings.

One place, translated once through the Babel catalogs: pages use them directly, PDF reports through
`report_labels` (exports/ knows nothing of Flask, so it receives the translated strings).
"""

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
    "basis": {
        "planned": _l("Плановая (по списку риска)"),
        "unplanned": _l("Внеплановая"),
        "monitoring": _l("Мониторинговое посещение"),
    },
    "reason": {
        "prior_order": _l("Контроль исполнения предписания"),
        "complaint": _l("Обращение (жалоба)"),
        "prosecutor_demand": _l("Требование прокурора"),
        "state_body_request": _l("Поручение государственного органа"),
        "media_report": _l("Сообщение СМИ"),
    },
    "result": {
        "pass": _l("Соответствует"),
        "pass_with_violations": _l("Соответствует с нарушениями"),
        "fail": _l("Не соответствует"),
    },
    "audit_status": {"draft": _l("Черновик"), "submitted": _l("Отправлена"), "discarded": _l("Удалён")},
    "severity": {"critical": _l("Критическое"), "major": _l("Значительное"), "minor": _l("Незначительное")},
    "violation_status": {"open": _l("Не устранено"), "resolved": _l("Устранено"), "superseded": _l("Заменено")},
    # How a report marks each checklist item.
    "item_status": {
        "passed": _l("Соответствует"),
        "failed": _l("Нарушение"),
        "na": _l("Не применимо"),
        "noted": _l("Отмечено"),
        "unanswered": _l("Нет ответа"),
    },
    "responsible": {"facility_head": _l("Руководитель организации")},
    "job_kind": {
        "schedule_build": _l("Построение графика"),
        "schedule_region": _l("Построение графика региона"),
        "report_batch": _l("Акты за период (ZIP)"),
    },
}
BASIS_LABELS = LABELS["basis"]
REASON_LABELS = LABELS["reason"]
RESULT_LABELS = LABELS["result"]
STATUS_LABELS = LABELS["audit_status"]
SEVERITY_LABELS = LABELS["severity"]
VIOLATION_STATUS_LABELS = LABELS["violation_status"]


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


# Headings of the printed audit report (exports/pdf takes them translated, see `report_labels`).
REPORT_LABELS = {
    "title": _l("АКТ ВНЕЗАПНОЙ ПРОВЕРКИ"),
    "name_kk": _l("Наименование на казахском языке"),
    "name_ru": _l("Наименование на русском языке"),
    "bin": _l("БИН"),
    "address": _l("Адрес"),
    "facility_type": _l("Тип организации"),
    "agency": _l("Ведомство"),
    "inspector": _l("Инспектор"),
    "date": _l("Дата проверки"),
    "times": _l("Прибытие / убытие"),
    "tz": _l("время Алматы"),
    "gps": _l("GPS-координаты"),
    "legal_basis": _l("Правовое основание"),
    "representatives": _l("Присутствовали от организации"),
    "template": _l("Чек-лист"),
    "overall_score": _l("Общий балл"),
    "result": _l("Итог"),
    "critical_failures": _l("Критические нарушения"),
    "section": _l("Раздел"),
    "score": _l("Балл"),
    "items": _l("Результаты проверки"),
    "no": _l("№"),
    "requirement": _l("Требование"),
    "answer": _l("Ответ"),
    "comment": _l("Комментарий"),
    "status": _l("Оценка"),
    "severity": _l("Категория"),
    "violations": _l("Выявленные нарушения и меры по устранению"),
    "violation": _l("Нарушение"),
    "corrective_action": _l("Что необходимо сделать"),
    "responsible": _l("Ответственный"),
    "deadline": _l("Срок"),
    "no_violations": _l("Нарушений не выявлено."),
    "photos": _l("Фотофиксация"),
    "signatures": _l("Подписи"),
    "inspector_sig": _l("Инспектор"),
    "representative_sig": _l("Представитель организации"),
    "sig_hint": _l("подпись / Ф.И.О."),
    "record_hash": _l("Хеш записи (SHA-256)"),
    "verify": _l("Подлинность акта можно проверить по QR-коду или по ссылке:"),
    "page": _l("Страница {page} из {total}"),
    "anonymous": _l("анонимно"),
    "reg_no": _l("рег. № прокуратуры"),
}
# The vocabularies a report prints by code (exports/pdf looks codes up in the same mapping as headings).
REPORT_KINDS = ("type", "severity", "result", "item_status", "responsible")


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


def report_labels() -> dict[str, str]:
    """Every report heading and printed code in the current language, for `exports.pdf` (which has no Babel)."""
    out = {key: str(text) for kind in REPORT_KINDS for key, text in LABELS[kind].items()}
    out.update((key, str(text)) for key, text in REPORT_LABELS.items())
    return out

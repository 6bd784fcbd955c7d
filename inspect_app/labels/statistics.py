"""The statistics tables' column headers as a person reads them in an XLSX."""

from flask_babel import lazy_gettext as _l

from inspect_app.labels.history import field_label
from inspect_app.labels.vocabularies import label

# The statistics tables' columns as a person reads them in an XLSX (the API and the CLI keep the keys).
STAT_COLUMN_LABELS = {
    "level": _l("Уровень"), "kato": _l("Код КАТО"), "facilities": _l("Объектов"), "inspections": _l("Проверок"),
    "inspections_reviewed": _l("Проверок рассмотрено руководителем"),
    "due_facilities": _l("Подлежали проверке"), "inspected_in_time": _l("Проверены в срок"),
    "overdue_facilities": _l("Просрочены"), "never_inspected": _l("Ни разу не проверены"),
    "in_time_share": _l("Доля проверенных в срок"), "violations_total": _l("Нарушений всего"),
    "violations_open": _l("Нарушений не устранено"), "violations_resolved": _l("Нарушений устранено"),
    "violations_overdue": _l("Нарушений просрочено"), "section": _l("Раздел"), "severity": _l("Степень"),
    "total": _l("Всего"), "open": _l("Не устранено"), "resolved": _l("Устранено"), "overdue": _l("Просрочено"),
    "rank": _l("Место"), "item_code": _l("Код пункта"), "text_ru": _l("Текст пункта (рус.)"),
    "text_kk": _l("Текст пункта (каз.)"), "text_en": _l("Текст пункта (англ.)"), "failures": _l("Нарушений"),
    "share_of_inspections": _l("Доля проверок"),
    "month": _l("Месяц"), "inspections_year_before": _l("Проверок годом ранее"),
    "index": _l("Индекс безопасности"), "compliance_safety": _l("Соблюдение: безопасность"),
    "compliance_nutrition": _l("Соблюдение: питание"), "compliance_health": _l("Соблюдение: здоровье"),
}
# Columns counted per code: "risk_high" is headed "Риск: Высокий".
_STAT_COLUMN_PREFIXES = {"risk": (_l("Риск"), "risk"), "type": (_l("Тип"), "type"),
                         "basis": (_l("Основание"), "basis"), "result": (_l("Результат"), "result")}


def stat_column_label(key: str) -> str:
    """The UI-language header of a statistics table column (the key itself when unknown)."""
    if key in STAT_COLUMN_LABELS:
        return str(STAT_COLUMN_LABELS[key])
    prefix, _sep, code = key.partition("_")
    if prefix in _STAT_COLUMN_PREFIXES and code:
        word, kind = _STAT_COLUMN_PREFIXES[prefix]
        return f"{word}: {label(code, kind)}"
    return field_label(key)


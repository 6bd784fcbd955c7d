"""The statistics tables' column headers as a person reads them in an XLSX."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from inspect_app.labels.history import field_label
from inspect_app.labels.vocabularies import LABELS, label

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
    "name": _l("Наименование"), "visits_planned": _l("Визитов запланировано"), "visits_done": _l("Проведено"),
    "visits_not_done": _l("Не состоялось"), "visits_open": _l("Ещё не проведено"),
    "audits_submitted": _l("Актов отправлено"), "audits_returned": _l("Возвращено на доработку"),
    "median_days_to_submit": _l("Медиана дней от визита до отправки акта"),
    "items": _l("Пунктов"), "items_open": _l("Не устранено"), "items_overdue": _l("Просрочено"),
    "items_verified": _l("Подтверждено устранение"), "items_not_fixed": _l("Не устранено при повторной проверке"),
    "median_days_to_fix": _l("Медиана дней до устранения"),
    # The capacity plan's table (the /capacity page's headings).
    "routine_visits": _l("Плановых посещений"), "followup_visits": _l("Повторных"),
    "urgent_visits": _l("Внеплановых"), "visit_minutes": _l("Минут на посещение"), "needed_days": _l("Нужно дней"),
    "inspectors": _l("Инспекторов"), "absence_days": _l("Дней отсутствия"), "available_days": _l("Есть дней"),
    "gap_days": _l("Разрыв, дней"), "gap_inspectors": _l("Разрыв, инспекторов"),
}
# Columns counted per code: "risk_high" is headed "Риск: Высокий".
_STAT_COLUMN_PREFIXES = {"risk": (_l("Риск"), "risk"), "type": (_l("Тип"), "type"),
                         "basis": (_l("Основание"), "basis"), "result": (_l("Результат"), "result")}


def stat_column_label(key: str) -> str:
    """The UI-language header of a statistics table column (the key itself when unknown)."""
    if key in STAT_COLUMN_LABELS:
        return str(STAT_COLUMN_LABELS[key])
    if key.startswith("not_done_"):
        return f"{STAT_COLUMN_LABELS['visits_not_done']}: {label(key.removeprefix('not_done_'), 'not_done_reason')}"
    prefix, _sep, code = key.partition("_")
    if prefix in _STAT_COLUMN_PREFIXES and code:
        word, kind = _STAT_COLUMN_PREFIXES[prefix]
        return f"{word}: {label(code, kind)}"
    return field_label(key)


# The dashboard's PDF summary: its headings (the tables' columns come from STAT_COLUMN_LABELS).
STATS_SUMMARY_LABELS = {
    "title": _l("Показатели соблюдения требований"), "country": _l("Казахстан, все регионы"),
    "period": _l("Период"), "facilities": _l("Объектов"), "inspections": _l("Проверок"),
    "reviewed": _l("рассмотрено руководителем: %(n)s из %(total)s"), "in_time": _l("Доля проверенных в срок"),
    "overdue": _l("Просрочены"), "violations_open": _l("Нарушений не устранено"),
    "violations_overdue": _l("Нарушений просрочено"), "items_open": _l("Пунктов предписаний не устранено"),
    "monthly": _l("Проверки по месяцам"), "sections": _l("Нарушения по разделам"),
    "areas_region": _l("По регионам"), "areas_district": _l("По районам"), "prescriptions": _l("Предписания"),
    "inspectors": _l("Работа инспекторов"), "no_district": _l("Без района"), "no_inspector": _l("Без инспектора"),
    "total": _l("Итого"), "overdue_open": _l("Просрочено"), "open_in_time": _l("Не устранено, срок не истёк"),
    "resolved": _l("Устранено"), "generated": _l("Сформировано"), "section": _l("Раздел"),
}


def stats_summary_labels() -> dict[str, str]:
    """The PDF summary's headings and the audit results in the current locale."""
    words = {key: str(text) for key, text in STATS_SUMMARY_LABELS.items() if key != "reviewed"}
    words.update({f"result.{code}": str(text) for code, text in LABELS["result"].items()})
    return words


def reviewed_of(n: int, total: int) -> str:
    """"reviewed by a supervisor: N of M" in the current locale."""
    return str(gettext("рассмотрено руководителем: %(n)s из %(total)s", n=n, total=total))

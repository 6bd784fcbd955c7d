"""Report labels in ru/kk/en (Flask-Babel is not available to exports)."""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("ru", "kk", "en")

LABELS: dict[str, dict[str, str]] = {
    "title": {"ru": "АКТ ВНЕЗАПНОЙ ПРОВЕРКИ", "kk": "КЕНЕТТЕН ТЕКСЕРУ АКТІСІ", "en": "UNANNOUNCED INSPECTION REPORT"},
    "name_kk": {"ru": "Наименование на казахском языке", "kk": "Қазақ тіліндегі атауы", "en": "Name in Kazakh"},
    "name_ru": {"ru": "Наименование на русском языке", "kk": "Орыс тіліндегі атауы", "en": "Name in Russian"},
    "bin": {"ru": "БИН", "kk": "БСН", "en": "BIN"},
    "address": {"ru": "Адрес", "kk": "Мекенжайы", "en": "Address"},
    "facility_type": {"ru": "Тип организации", "kk": "Ұйым түрі", "en": "Facility type"},
    "agency": {"ru": "Ведомство", "kk": "Ведомство", "en": "Agency"},
    "inspector": {"ru": "Инспектор", "kk": "Инспектор", "en": "Inspector"},
    "date": {"ru": "Дата проверки", "kk": "Тексеру күні", "en": "Inspection date"},
    "times": {"ru": "Прибытие / убытие", "kk": "Келген / кеткен уақыты", "en": "Check-in / check-out"},
    "tz": {"ru": "время Алматы", "kk": "Алматы уақыты", "en": "Almaty time"},
    "gps": {"ru": "GPS-координаты", "kk": "GPS координаттары", "en": "GPS position"},
    "legal_basis": {"ru": "Правовое основание", "kk": "Құқықтық негізі", "en": "Legal basis"},
    "representatives": {
        "ru": "Присутствовали от организации",
        "kk": "Ұйым тарапынан қатысқандар",
        "en": "Facility representatives present",
    },
    "template": {"ru": "Чек-лист", "kk": "Чек-парақ", "en": "Checklist"},
    "overall_score": {"ru": "Общий балл", "kk": "Жалпы балл", "en": "Overall score"},
    "result": {"ru": "Итог", "kk": "Қорытынды", "en": "Result"},
    "critical_failures": {"ru": "Критические нарушения", "kk": "Аса маңызды бұзушылықтар", "en": "Critical failures"},
    "section": {"ru": "Раздел", "kk": "Бөлім", "en": "Section"},
    "score": {"ru": "Балл", "kk": "Балл", "en": "Score"},
    "items": {"ru": "Результаты проверки", "kk": "Тексеру нәтижелері", "en": "Inspection results"},
    "no": {"ru": "№", "kk": "№", "en": "No."},
    "requirement": {"ru": "Требование", "kk": "Талап", "en": "Requirement"},
    "answer": {"ru": "Ответ", "kk": "Жауап", "en": "Answer"},
    "comment": {"ru": "Комментарий", "kk": "Түсініктеме", "en": "Comment"},
    "status": {"ru": "Оценка", "kk": "Бағасы", "en": "Status"},
    "severity": {"ru": "Категория", "kk": "Санаты", "en": "Severity"},
    "violations": {
        "ru": "Выявленные нарушения и меры по устранению",
        "kk": "Анықталған бұзушылықтар және оларды жою шаралары",
        "en": "Violations and corrective actions",
    },
    "violation": {"ru": "Нарушение", "kk": "Бұзушылық", "en": "Violation"},
    "corrective_action": {"ru": "Что необходимо сделать", "kk": "Не істеу қажет", "en": "Corrective action"},
    "responsible": {"ru": "Ответственный", "kk": "Жауапты", "en": "Responsible"},
    "deadline": {"ru": "Срок", "kk": "Мерзімі", "en": "Deadline"},
    "no_violations": {
        "ru": "Нарушений не выявлено.",
        "kk": "Бұзушылықтар анықталған жоқ.",
        "en": "No violations found.",
    },
    "photos": {"ru": "Фотофиксация", "kk": "Фототіркеу", "en": "Photos"},
    "signatures": {"ru": "Подписи", "kk": "Қолдар", "en": "Signatures"},
    "inspector_sig": {"ru": "Инспектор", "kk": "Инспектор", "en": "Inspector"},
    "representative_sig": {"ru": "Представитель организации", "kk": "Ұйым өкілі", "en": "Facility representative"},
    "sig_hint": {"ru": "подпись / Ф.И.О.", "kk": "қолы / Т.А.Ә.", "en": "signature / full name"},
    "record_hash": {"ru": "Хеш записи (SHA-256)", "kk": "Жазба хэші (SHA-256)", "en": "Record hash (SHA-256)"},
    "verify": {
        "ru": "Подлинность акта можно проверить по QR-коду или по ссылке:",
        "kk": "Актінің түпнұсқалығын QR-код немесе сілтеме арқылы тексеруге болады:",
        "en": "Verify this report with the QR code or at:",
    },
    "page": {"ru": "Страница {page} из {total}", "kk": "{total} беттің {page}-беті", "en": "Page {page} of {total}"},
    "passed": {"ru": "Соответствует", "kk": "Сәйкес", "en": "Passed"},
    "failed": {"ru": "Нарушение", "kk": "Бұзушылық", "en": "Failed"},
    "na": {"ru": "Не применимо", "kk": "Қолданылмайды", "en": "N/A"},
    "noted": {"ru": "Отмечено", "kk": "Белгіленді", "en": "Noted"},
    "unanswered": {"ru": "Нет ответа", "kk": "Жауап жоқ", "en": "Not answered"},
    "critical": {"ru": "Критическое", "kk": "Аса маңызды", "en": "Critical"},
    "major": {"ru": "Значительное", "kk": "Маңызды", "en": "Major"},
    "minor": {"ru": "Незначительное", "kk": "Елеусіз", "en": "Minor"},
    "pass": {"ru": "Соответствует требованиям", "kk": "Талаптарға сәйкес", "en": "Pass"},
    "pass_with_violations": {
        "ru": "Соответствует с нарушениями",
        "kk": "Бұзушылықтармен сәйкес",
        "en": "Pass with violations",
    },
    "fail": {"ru": "Не соответствует требованиям", "kk": "Талаптарға сәйкес емес", "en": "Fail"},
    "facility_head": {"ru": "Руководитель организации", "kk": "Ұйым басшысы", "en": "Head of the facility"},
    "school": {"ru": "Школа", "kk": "Мектеп", "en": "School"},
    "kindergarten": {"ru": "Детский сад", "kk": "Балабақша", "en": "Kindergarten"},
    "college": {"ru": "Колледж", "kk": "Колледж", "en": "College"},
    "summer_camp": {"ru": "Летний лагерь", "kk": "Жазғы лагерь", "en": "Summer camp"},
    "sports_club": {"ru": "Спортивная секция", "kk": "Спорт секциясы", "en": "Sports club"},
    "leisure_centre": {"ru": "Досуговый центр", "kk": "Бос уақыт орталығы", "en": "Leisure centre"},
    "boarding_school": {"ru": "Школа-интернат", "kk": "Мектеп-интернат", "en": "Boarding school"},
    "other": {"ru": "Другое", "kk": "Басқа", "en": "Other"},
}


def label(key: str, lang: str) -> str:
    """Label `key` in `lang` (ru fallback); an unknown key is returned as is."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["ru"]


def localize(value: str | Mapping[str, str] | None, lang: str) -> str:
    """A plain string as is, or the `lang` entry of a {ru, kk, en} mapping (ru, then any, as fallback)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "get") and not isinstance(value, Mapping):
        # forms.I18nText has .get(lang) but is not a Mapping.
        return value.get(lang)
    return value.get(lang) or value.get("ru") or next(iter(value.values()), "")

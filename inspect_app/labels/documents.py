"""Headings of the printed documents: the act (REPORT_LABELS, ACT_LABELS), the prescription and its export, the
route sheet. exports/ knows nothing of Flask, so it receives them translated (`report_labels`, ...)."""

from flask_babel import lazy_gettext as _l

from inspect_app.labels.vocabularies import LABELS

# Headings of the printed audit report (exports/pdf takes them translated, see `report_labels`).
REPORT_LABELS = {
    "title": _l("АКТ О РЕЗУЛЬТАТАХ ПРОВЕРКИ"),
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
    "template": _l("Проверочный лист"),
    "overall_score": _l("Общий балл"),
    "result": _l("Итог"),
    "critical_failures": _l("Критические нарушения"),
    "section": _l("Раздел"),
    "score": _l("Балл"),
    "items": _l("Результаты проверки"),
    "no": _l("№"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Норма"),
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
# The inspecting body named on the act: the region's inspectorate (services/audits/act.py copies it in).
INSPECTORATE = _l("Инспекция по защите прав детей: %(region)s")
# Headings of the act's own elements (Entrepreneurial Code art. 152), printed beside REPORT_LABELS.
ACT_LABELS = {
    "act_subtitle": _l("(внезапная проверка, без предварительного уведомления)"),
    "drawn_up": _l("Дата, время и место составления акта"),
    "inspecting_body": _l("Проверяющий орган"),
    "order": _l("Акт о назначении проверки"),
    "order_reg": _l("рег. № в КПСиСУ"),
    "order_none": _l("не требуется для этого основания"),
    "inspectors": _l("Проверяющие (Ф.И.О., должность)"),
    "facility_head": _l("Руководитель или представитель организации"),
    "period": _l("Дата, место и период проверки"),
    "checklist": _l("Проверочный лист"),
    "violated_items": _l("Нарушенные пункты проверочного листа"),
    "attachments": _l("Приложения к акту"),
    "attachment_checklist": _l("Проверочный лист с ответами"),
    "attachment_photo": _l("Фото № %(n)s"),
    "explanation": _l("Объяснение представителя организации"),
    "acknowledged": _l("С актом ознакомлен(а), экземпляр получил(а)"),
    "refused": _l("От подписи и получения акта отказался(ась)"),
    "witness": _l("Свидетель отказа"),
    "no_signature": _l("подпись не получена"),
}
# The prescription's PDF (exports/prescription.py): headings, in the report languages.
PRESCRIPTION_LABELS = {
    "title": _l("ПРЕДПИСАНИЕ ОБ УСТРАНЕНИИ ВЫЯВЛЕННЫХ НАРУШЕНИЙ"),
    "number": _l("№"),
    "delivered": _l("Дата вручения"),
    "act": _l("К акту о результатах проверки от"),
    "facility": _l("Объект"),
    "bin": _l("БИН"),
    "address": _l("Адрес"),
    "inspector": _l("Инспектор"),
    "representatives": _l("Присутствовали от организации"),
    "items": _l("Пункты предписания"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Нормативная ссылка"),
    "action": _l("Что необходимо сделать"),
    "deadline": _l("Срок устранения"),
    "state": _l("Состояние"),
    "severity": _l("Категория"),
    "verify": _l("Подлинность акта можно проверить по QR-коду или по ссылке:"),
    "page": _l("Страница {page} из {total}"),
    "signatures": _l("Подписи"),
    "inspector_sig": _l("Инспектор"),
    "representative_sig": _l("Представитель организации"),
    "sig_hint": _l("подпись / Ф.И.О."),
}
# The columns of the prescriptions' CSV/XLSX export (services/prescriptions/queries.py EXPORT_COLUMNS).
PRESCRIPTION_COLUMNS = {
    "number": _l("№ предписания"),
    "delivered_on": _l("Дата вручения"),
    "region": _l("Регион (КАТО)"),
    "facility_bin": _l("БИН"),
    "facility": _l("Объект"),
    "facility_type": _l("Тип организации"),
    "position": _l("№ пункта"),
    "item_code": _l("Код пункта"),
    "section": _l("Раздел"),
    "severity": _l("Категория"),
    "requirement": _l("Требование"),
    "legal_ref": _l("Нормативная ссылка"),
    "action": _l("Что необходимо сделать"),
    "state": _l("Состояние"),
    "due_date": _l("Срок устранения"),
    "escalation": _l("Повторно не устранено (раз)"),
    "changed_at": _l("Последнее изменение"),
}
# Headings of the printed route sheet (exports/route_sheet takes them translated, see `route_sheet_labels`).
ROUTE_SHEET_LABELS = {
    "title": _l("Маршрутный лист"),
    "inspector": _l("Инспектор"),
    "date": _l("Дата"),
    "no": _l("№"),
    "time": _l("Время"),
    "facility": _l("Объект"),
    "km": _l("км"),
    "mark": _l("Отметка"),
    "total": _l("Всего в пути, км (по дорогам, оценка)"),
    "secret": _l("Конфиденциально: не передавать объектам проверки."),
    "none": _l("На этот день посещений нет."),
}
# The vocabularies a report prints by code (exports/pdf looks codes up in the same mapping as headings).
REPORT_KINDS = ("type", "severity", "result", "item_status", "responsible")


def route_sheet_labels() -> dict[str, str]:
    """The route sheet's headings in the current language, for `exports.route_sheet` (which has no Babel)."""
    return {key: str(text) for key, text in ROUTE_SHEET_LABELS.items()}


def prescription_labels() -> dict[str, str]:
    """The prescription PDF's headings, item states and severities in the current locale."""
    words = {key: str(text) for key, text in PRESCRIPTION_LABELS.items()}
    words.update({f"state.{code}": str(text) for code, text in LABELS["item_state"].items()})
    words.update({f"severity.{code}": str(text) for code, text in LABELS["severity"].items()})
    return words


def report_labels() -> dict[str, str]:
    """Every report heading and printed code in the current language, for `exports.pdf` (which has no Babel)."""
    out = {key: str(text) for kind in REPORT_KINDS for key, text in LABELS[kind].items()}
    out.update((key, str(text)) for key, text in REPORT_LABELS.items())
    out.update((key, str(text)) for key, text in ACT_LABELS.items())
    return out


"""Every label a person reads for a code: vocabulary values, record fields, history actions, report headings.

One place, translated once through the Babel catalogs: pages use them directly, PDF reports through
`report_labels` (exports/ knows nothing of Flask, so it receives the translated strings).
"""

import re
from datetime import date

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from scheduler import eligibility, repair, urgent

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
    # What the jobs page says a background job is doing ("stalled": running, but its worker stopped answering).
    "job_status": {
        "queued": _l("в очереди"),
        "running": _l("выполняется"),
        "finished": _l("завершено"),
        "failed": _l("ошибка"),
        "cancelled": _l("отменено"),
        "stalled": _l("не отвечает"),
    },
    # The live figures a running build reports (services/jobs.py `report(..., live=...)`).
    "job_live": {
        "elapsed": _l("прошло, с"),
        "regions_done": _l("регионов готово"),
        "regions": _l("регионов"),
        "visits_routed": _l("посещений в маршрутах (лучшее пока)"),
        "region": _l("регион"),
        "areas": _l("участков"),
        "done": _l("готово"),
        "total": _l("всего"),
    },
    "schedule_status": {
        "draft": _l("черновик"),
        "published": _l("опубликован"),
        "superseded": _l("заменён"),
        "discarded": _l("отклонён"),
    },
    "revision_kind": {
        "replacement": _l("замена с даты"),
        "repair": _l("перестроение из-за отсутствия"),
        "urgent": _l("срочная проверка"),
    },
    "urgent_reason": {"hotline_111": _l("Жалоба на линию 111"), "incident": _l("Происшествие"), "other": _l("Другое")},
    # Unscheduled facilities grouped by what a supervisor can do (services/schedules/capacity.py).
    "unscheduled_group": {
        "capacity": _l("Не хватило инспекторо-дней"),
        "too_far": _l("Слишком далеко для однодневного выезда"),
        "skills": _l("Нет инспектора с нужной квалификацией"),
        "conflict": _l("Все подходящие инспекторы в конфликте интересов"),
        "window": _l("Часы работы короче проверки"),
        "dates": _l("Нет даты, когда объект открыт и инспектор свободен"),
        "removed": _l("Убраны руководителем"),
        "absence": _l("Инспектор отсутствует, заменить некем"),
        "other": _l("Другие причины"),
    },
    # A visit as the inspector's day shows it ("phone": a draft kept on the phone, not sent yet).
    "visit_status": {
        "planned": _l("Запланировано"),
        "checked_in": _l("Прибыл на объект"),
        "phone": _l("Черновик на телефоне"),
        "draft": _l("Черновик отправлен"),
        "submitted": _l("Акт отправлен"),
        "not_done": _l("Не состоялось"),
    },
    "not_done_reason": {
        "closed": _l("Объект закрыт"),
        "refused_entry": _l("Отказ в допуске"),
        "not_found": _l("Объект не найден"),
        "inspector_ill": _l("Болезнь инспектора"),
        "other": _l("Другая причина"),
    },
    # How a route was read (the read log of services/schedules/read_log.py).
    "read_channel": {
        "page": _l("Страница"),
        "api": _l("API"),
        "pdf": _l("Маршрутный лист PDF"),
        "calendar": _l("Календарь"),
        "export": _l("Выгрузка"),
        "offline": _l("Офлайн"),
    },
    "route_release": {"morning": _l("В день маршрута с утра"), "evening": _l("Накануне вечером")},
    # The dashboard's downloadable tables.
    "dashboard_table": {"regions": _l("Регионы"), "violations": _l("Нарушения"), "items": _l("Пункты")},
}
# What a background job is doing (`report(fraction, phase)` in services/jobs.py), and the engine's phases.
JOB_PHASES = {
    "": _l("в очереди"),
    "starting": _l("запуск"),
    "building problem": _l("сбор данных для графика"),
    "validating": _l("проверка графика"),
    "saving": _l("сохранение"),
    "eligibility": _l("подбор инспекторов"),
    "routing": _l("построение маршрутов"),
    "repair": _l("доработка маршрутов"),
}
# Why the engine left a facility unscheduled (scheduler/eligibility, solve, repair, urgent write these
# English templates into a schedule's "unscheduled"; the app names the facility and translates them).
UNSCHEDULED_REASONS = {
    eligibility.REASON_NO_SKILL: _l("ни у одного инспектора нет нужных навыков (%(skills)s)"),
    eligibility.REASON_EXCLUDED: _l("все инспекторы с нужными навыками отведены из-за конфликта интересов"),
    eligibility.REASON_REGION: _l("ни у одного инспектора региона %(region)s нет нужных навыков"),
    eligibility.REASON_WINDOW: _l("ни одно окно часов работы не вмещает проверку"),
    eligibility.REASON_NO_DATE: _l("нет даты, когда объект можно посетить и подходящий инспектор свободен"),
    eligibility.REASON_TOO_FAR: _l("слишком далеко: ни один подходящий инспектор не успеет доехать, провести "
                                   "проверку в часы работы и вернуться в тот же день"),
    eligibility.REASON_CAPACITY: _l("не хватило инспекторо-дней: все подходящие дни инспекторов заполнены"),
    repair.REASON_ABSENCE: _l("ни один другой день инспекторов не может принять посещение (навыки, даты, "
                              "часы работы, рабочий день)"),
    urgent.REASON_DISPLACED: _l("вытеснено срочной проверкой объекта «%(facility)s»"),
    "removed by a supervisor": _l("убрано руководителем вручную"),
}
# Why a facility was left out of a build's problem (services/schedules/problem.py).
EXCLUSION_REASONS = {
    "archived": _l("в архиве или присоединён к другому объекту"),
    "closed": _l("объект закрыт"),
    "planned": _l("уже запланирован в опубликованном графике"),
    "out_of_season": _l("сезонный объект закрыт во все дни графика"),
}
# The rules the engine's validator checks (scheduler/validate.py, validate_priority.py), as a person reads a
# refused edit or publication; `violation_sentence` adds who, when and where by name.
RULE_SENTENCES = {
    "horizon": _l("дата вне периода графика"),
    "inspector_unavailable": _l("инспектор в этот день отсутствует"),
    "one_route_per_day": _l("у инспектора два маршрута в один день"),
    "empty_route": _l("в маршруте нет посещений"),
    "max_visits_per_day": _l("посещений больше, чем инспектор может провести за день"),
    "working_hours": _l("маршрут выходит за рабочий день инспектора"),
    "max_minutes_per_day": _l("маршрут длиннее допустимого рабочего времени инспектора"),
    "time_format": _l("в маршруте неверно записано время"),
    "unknown_id": _l("в графике есть неизвестный объект или инспектор"),
    "visited_twice": _l("объект посещается дважды"),
    "skills": _l("у инспектора нет нужных навыков"),
    "conflict_of_interest": _l("инспектор отведён из-за конфликта интересов"),
    "region": _l("объект и инспектор из разных регионов"),
    "facility_dates": _l("объект нельзя посетить в этот день"),
    "travel_time": _l("не хватает времени на дорогу"),
    "service_minutes": _l("длительность проверки не совпадает с нормой объекта"),
    "opening_hours": _l("посещение выходит за часы работы объекта"),
    "time_windows": _l("посещения не укладываются в часы работы, дорогу и рабочий день"),
    "travel_km": _l("километраж маршрута не совпадает с расстоянием"),
    "unscheduled": _l("ошибка в списке незапланированных объектов"),
    "must_visit": _l("обязательный объект не запланирован и не указан среди незапланированных"),
    "stats": _l("итоговые цифры графика не совпадают с маршрутами"),
    "problem": _l("график построен для другой задачи"),
    "priority": _l("более важный объект остался незапланированным, хотя помещается вместо менее важного"),
}
BASIS_LABELS = LABELS["basis"]
REASON_LABELS = LABELS["reason"]
RESULT_LABELS = LABELS["result"]
STATUS_LABELS = LABELS["audit_status"]
VISIT_STATUS_LABELS = LABELS["visit_status"]
NOT_DONE_LABELS = LABELS["not_done_reason"]
CHANNEL_LABELS = LABELS["read_channel"]
RELEASE_LABELS = LABELS["route_release"]
URGENT_REASON_LABELS = LABELS["urgent_reason"]
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
    "region": _l("Регион"),
    "date_from": _l("С даты"),
    "date_to": _l("По дату"),
    "lang": _l("Язык"),
    "date": _l("Дата"),
    "dates": _l("Даты"),
    "inspector_id": _l("Инспектор"),
    "visit_id": _l("Посещение"),
    "other_visit_id": _l("Второе посещение"),
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


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


def labels_of(kind: str) -> dict[str, str]:
    """Every code of a vocabulary with its label in the UI language ({} for an unknown vocabulary)."""
    return {code: str(text) for code, text in LABELS.get(kind, {}).items()}


def job_phase(phase: str | None, region_name=lambda kato: kato) -> str:
    """A job's phase as a person reads it: "solving (routing)" becomes "расчёт (построение маршрутов)".

    `region_name(kato)` names a region the phase mentions ("750000000: routing").
    """
    phase = (phase or "").strip()
    if phase in JOB_PHASES:
        return str(JOB_PHASES[phase])
    if match := re.fullmatch(r"(\d{9}): (.+)", phase):
        return f"{region_name(match[1])}: {job_phase(match[2], region_name)}"
    if match := re.fullmatch(r"solving \((.*)\)", phase):
        names = ", ".join(job_phase(p, region_name) for p in match[1].split(", "))
        return gettext("расчёт (%(phases)s)", phases=names)
    if match := re.fullmatch(r"solving area (\d+)/(\d+)", phase):
        return gettext("расчёт: участок %(k)s из %(n)s", k=match[1], n=match[2])
    if match := re.fullmatch(r"solving (\d{9})", phase):
        return gettext("расчёт: %(region)s", region=region_name(match[1]))
    if match := re.fullmatch(r"(\d+) / (\d+)", phase):
        return gettext("готово %(k)s из %(n)s", k=match[1], n=match[2])
    return gettext("выполняется")


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z")


_REASON_PATTERNS = [(_template_regex(t), text) for t, text in UNSCHEDULED_REASONS.items()]


def unscheduled_reason(reason: str, facility_name=lambda fid: fid, region_name=lambda kato: kato) -> str:
    """Why the engine left a facility unscheduled, in the UI language; `facility_name("F12")` and
    `region_name(kato)` name what the reason mentions. An unknown reason is shown as it is."""
    for pattern, text in _REASON_PATTERNS:
        if match := pattern.match(reason or ""):
            values = match.groupdict()
            if "skills" in values:
                values["skills"] = ", ".join(label(s.strip(), "skill") for s in values["skills"].split(","))
            if "region" in values:
                values["region"] = region_name(values["region"])
            if "facility" in values:
                values["facility"] = facility_name(values["facility"])
            return str(text) % values if values else str(text)
    return reason


def exclusion_reason(reason: str) -> str:
    """Why a facility was left out of a build, in the UI language."""
    return str(EXCLUSION_REASONS.get(reason, reason))


def violation_sentence(violation: dict, facility_name=lambda fid: fid, inspector_name=lambda iid: iid) -> str:
    """A broken rule ({"rule", "facility"?, "inspector"?, "date"?}) as a sentence in the UI language naming the
    inspector, the date (local format) and the facility: "Иванов И., 7 дек. 2026 г., «Школа № 1»: ..."."""
    where = []
    if violation.get("inspector"):
        where.append(inspector_name(violation["inspector"]))
    if violation.get("date"):
        try:
            where.append(format_date(date.fromisoformat(violation["date"]), "medium"))
        except ValueError:
            where.append(violation["date"])
    if violation.get("facility"):
        where.append(f"«{facility_name(violation['facility'])}»")
    rule = violation.get("rule", "")
    text = str(RULE_SENTENCES[rule]) if rule in RULE_SENTENCES else gettext("нарушено правило графика")
    return f"{', '.join(where)}: {text}" if where else text[:1].upper() + text[1:]


_PREDICTABILITY = (
    (re.compile(r"visits pulled earlier: mean date index moved by (?P<shift>-?[\d.]+) days\Z"),
     _l("посещения сдвинуты на более ранние даты: в среднем на %(shift)s дн.")),
    (re.compile(r"(?P<n>\d+) neighbouring facilities around (?P<facility>\S+) all moved to (?P<day>[\d-]+)\Z"),
     _l("%(n)s соседних объектов рядом с «%(facility)s» перенесены на один день, %(day)s")),
    (re.compile(r"(?P<n>\d+) visits on (?P<weekday>\w+)s, (?P<ratio>[\d.]+) times a fair share\Z"),
     _l("%(n)s посещений приходится на день недели «%(weekday)s» — в %(ratio)s раза больше обычной доли")),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def predictability_sentence(message: str, facility_name=lambda fid: fid) -> str:
    """A predictability warning of a hand edit (scheduler/edits.py) in the UI language."""
    for pattern, text in _PREDICTABILITY:
        if match := pattern.match(message):
            values = match.groupdict()
            if "facility" in values:
                values["facility"] = facility_name(values["facility"])
            if "day" in values:
                values["day"] = format_date(date.fromisoformat(values["day"]), "medium")
            if values.get("weekday") in _WEEKDAYS:
                # 2024-01-01 was a Monday.
                values["weekday"] = format_date(date(2024, 1, 1 + _WEEKDAYS.index(values["weekday"])), "EEEE")
            return str(text) % values
    return message


def duplicate_reason(distance_m: float | None, name_similarity: float | None) -> str:
    """Why two records look like one facility, in the UI language (the page and the API say the same)."""
    text = gettext("Расстояние: %(m)s м", m=round(distance_m or 0))
    if name_similarity is not None:
        text += " · " + gettext("сходство названий: %(p)s%%", p=round(name_similarity * 100))
    return text


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


def route_sheet_labels() -> dict[str, str]:
    """The route sheet's headings in the current language, for `exports.route_sheet` (which has no Babel)."""
    return {key: str(text) for key, text in ROUTE_SHEET_LABELS.items()}


def report_labels() -> dict[str, str]:
    """Every report heading and printed code in the current language, for `exports.pdf` (which has no Babel)."""
    out = {key: str(text) for kind in REPORT_KINDS for key, text in LABELS[kind].items()}
    out.update((key, str(text)) for key, text in REPORT_LABELS.items())
    return out

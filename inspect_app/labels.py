"""Every label a person reads for a code: vocabulary values, record fields, history actions, report headings.

One place, translated once through the Babel catalogs: pages use them directly, PDF reports through
`report_labels` (exports/ knows nothing of Flask, so it receives the translated strings).
"""

import re
from datetime import date

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from scheduler import eligibility, repair, urgent

# Why an inspector of a schedule has no visit in it (services/schedules/review.py `idle_reason`).
IDLE_REASONS = {
    "absent": _l("отсутствует во все дни графика"),
    "no_eligible": _l("нет объекта, который он может проверить: не хватает навыков, другой регион или конфликт "
                      "интересов"),
    "not_needed": _l("расчёт не назначил ему посещений: объекты, которые он может проверить (%(n)s), достались "
                     "другим инспекторам с меньшим пробегом или не поместились"),
}
# What a supervisor can change when a hand edit breaks a rule (the rule itself is said by RULE_SENTENCES).
_PICK_OTHER_DAY = _l("выберите другой день")
_PICK_OTHER_INSPECTOR = _l("выберите другого инспектора")
_LIGHTER_DAY = _l("выберите день, где у инспектора меньше посещений, или другого инспектора, или сначала уберите "
                  "одно из посещений этого дня")
RULE_ADVICE = {
    "horizon": _PICK_OTHER_DAY,
    "inspector_unavailable": _l("выберите другой день или другого инспектора: в этот день он отсутствует"),
    "skills": _PICK_OTHER_INSPECTOR, "conflict_of_interest": _PICK_OTHER_INSPECTOR, "region": _PICK_OTHER_INSPECTOR,
    "facility_dates": _PICK_OTHER_DAY,
    "max_visits_per_day": _LIGHTER_DAY, "max_minutes_per_day": _LIGHTER_DAY, "working_hours": _LIGHTER_DAY,
    "travel_time": _LIGHTER_DAY, "opening_hours": _LIGHTER_DAY, "time_windows": _LIGHTER_DAY,
    "one_route_per_day": _PICK_OTHER_DAY, "visited_twice": _l("уберите второе посещение этого объекта"),
    "must_visit": _l("вместо удаления перенесите обязательное посещение на другой день или к другому инспектору"),
    "priority": _l("уберите или перенесите менее важное посещение, а не более важное"),
}
# Checks of the schedule's own bookkeeping (km, times, totals): a consequence of the edit, nothing a supervisor
# sets; a refusal that breaks only these says that the edited day no longer forms a route.
INTERNAL_RULES = frozenset({"time_format", "unknown_id", "travel_km", "unscheduled", "stats", "problem",
                            "service_minutes", "empty_route"})


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
    # The administration history's actions (services/accounts/history.py ACTIONS).
    "admin_action": {
        "user_created": _l("создана учётная запись"),
        "role_changed": _l("изменена роль"),
        "region_changed": _l("изменён регион"),
        "language_changed": _l("изменён язык"),
        "deactivated": _l("учётная запись отключена"),
        "reactivated": _l("учётная запись включена"),
        "password_changed": _l("изменён пароль"),
        "password_reset_link": _l("выдана ссылка для смены пароля"),
        "temporary_password": _l("выдан временный пароль"),
        "token_created": _l("создан токен API"),
        "token_revoked": _l("отозван токен API"),
        "tokens_revoked": _l("отозваны все токены API"),
        "checklist_uploaded": _l("загружена версия чек-листа"),
        "checklist_activated": _l("версия чек-листа введена в действие"),
        "setting_changed": _l("изменена настройка"),
    },
    # Settings changed on the settings page (models/setting.py SPECS).
    "setting": {
        "interval_high_days": _l("Интервал плановых проверок, высокий риск (дней)"),
        "interval_medium_days": _l("Интервал плановых проверок, средний риск (дней)"),
        "interval_low_days": _l("Интервал плановых проверок, низкий риск (дней)"),
        "route_release_hour": _l("Час открытия маршрута дня (по Алматы)"),
        "route_evening_release_hour": _l("Час открытия маршрута накануне вечером (по Алматы)"),
        "checkin_max_distance_m": _l("Отметка прибытия дальше от объекта помечается (м)"),
        "schedule_fill": _l("Доля свободного времени для дополнительных посещений (0–1)"),
        "deadline_critical_days": _l("Срок устранения критического нарушения (дней)"),
        "deadline_major_days": _l("Срок устранения значительного нарушения (дней)"),
        "deadline_minor_days": _l("Срок устранения незначительного нарушения (дней)"),
    },
    "checklist_state": {
        "draft": _l("Черновик"),
        "in_force": _l("Действует"),
        "scheduled": _l("Вступит в действие"),
        "replaced": _l("Заменена"),
    },
    "checklist_change": {
        "added": _l("Добавлен"),
        "removed": _l("Удалён"),
        "reworded": _l("Изменена формулировка"),
        "severity": _l("Изменена категория"),
    },
    "job_kind": {
        "schedule_build": _l("Построение графика"),
        "schedule_region": _l("Построение графика региона"),
        "report_batch": _l("Акты за период (ZIP)"),
        "capacity_whatif": _l("Расчёт «что если»"),
    },
    "job_status": {"queued": _l("в очереди"), "running": _l("идёт расчёт"), "finished": _l("готово"),
                   "failed": _l("ошибка"), "cancelled": _l("отменено")},
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
    "today": _l("расчёт месяца как сегодня"),
    "what_if": _l("расчёт месяца «что если»"),
    "plan": _l("расчёт годовой нагрузки"),
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
    "closed_on_horizon_dates": _l("по часам работы объект закрыт во все дни графика"),
    "closure": _l("объект закрыт во все дни графика (ремонт, карантин, чрезвычайная ситуация)"),
    "school_break": _l("каникулы: объект этого типа закрыт во все дни графика"),
    "summer_break": _l("летние каникулы: объект этого типа закрыт во все дни графика"),
    "no_meals": _l("в дни графика нет питания, а проверка включает питание"),
}
# Kazakhstan's public holidays by the `holidays` package's English name (services/calendar/rules.py).
HOLIDAYS = {
    "New Year's Day": _l("Новый год"),
    "Orthodox Christmas": _l("Православное Рождество"),
    "International Women's Day": _l("Международный женский день"),
    "Constitution Day": _l("День Конституции"),
    "Nowruz Holiday": _l("Наурыз мейрамы"),
    "Kazakhstan's People Solidarity Holiday": _l("Праздник единства народа Казахстана"),
    "Defender of the Fatherland Day": _l("День защитника Отечества"),
    "Victory Day": _l("День Победы"),
    "Eid al-Adha": _l("Курбан айт"),
    "Capital Day": _l("День столицы"),
    "Republic Day": _l("День Республики"),
    "Independence Day": _l("День Независимости"),
    "First President Day": _l("День Первого Президента"),
}
HOLIDAY_MARKS = {"observed": _l("перенесённый выходной"), "estimated": _l("дата предварительная")}

# A facility's own closure, by reason (vocab.CLOSURE_REASONS).
CLOSURE_REASONS = {
    "repair": _l("ремонт"),
    "quarantine": _l("карантин"),
    "emergency": _l("чрезвычайная ситуация"),
    "other": _l("другое"),
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
    "transfers": _l("Переносы выходных дней"),
    "breaks": _l("Каникулы"),
    "closures": _l("Закрытия объекта"),
    "start_date": _l("Первый день"),
    "end_date": _l("Последний день"),
    "reason": _l("Причина"),
    "day_off": _l("Выходной день"),
    "working_day": _l("Рабочий день"),
    "note": _l("Примечание"),
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
# The engine's fairness stats (scheduler/fairness.py): the axes facilities are grouped by, and why a group waits.
FAIRNESS_AXES = {
    "skills": _l("Нужные навыки"),
    "service": _l("Длительность проверки"),
    "window": _l("Часы работы"),
    "distance": _l("До ближайшего инспектора"),
    "kind": _l("Тип объекта"),
}
FAIRNESS_REASONS = {
    "too_far": _l("часть этих объектов слишком далеко для однодневного выезда"),
    "dates": _l("часть этих объектов закрыта во все дни, когда свободны подходящие инспекторы"),
    "skills": _l("ни у одного инспектора нет нужных навыков"),
    "conflict": _l("все подходящие инспекторы отведены из-за конфликта интересов"),
    "window": _l("часы работы короче проверки"),
}
# The vocabularies a report prints by code (exports/pdf looks codes up in the same mapping as headings).
REPORT_KINDS = ("type", "severity", "result", "item_status", "responsible")


def label(value: str | None, kind: str) -> str:
    """The UI-language label of a vocabulary value (the value itself when unknown)."""
    if value is None:
        return ""
    return str(LABELS.get(kind, {}).get(value, value))


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


def idle_reason(code: str, eligible: int = 0) -> str:
    """Why an inspector has no visit in a schedule, in the UI language."""
    text = IDLE_REASONS.get(code)
    if text is None:
        return code
    return str(text) % {"n": eligible} if code == "not_needed" else str(text)


def edit_refusal(violations: list[dict], facility_name=lambda fid: fid, inspector_name=lambda iid: iid) -> str:
    """Why a hand edit was refused and what the supervisor can change instead, in the UI language.

    Rules a supervisor acts on are named with who, when and where; the schedule's bookkeeping checks
    (INTERNAL_RULES) are left out when such a rule is there, and otherwise said as one sentence."""
    actionable = [v for v in violations if v.get("rule") not in INTERNAL_RULES]
    if actionable:
        seen, sentences = set(), []
        for v in actionable:
            sentence = violation_sentence(v, facility_name, inspector_name)
            if sentence not in seen:
                seen.add(sentence)
                sentences.append(sentence)
        why = "; ".join(sentences[:5])
    else:
        why = gettext("после правки маршрут дня не складывается (время или пробег не сходятся)")
    advice = []
    for v in actionable:
        text = str(RULE_ADVICE.get(v.get("rule"), ""))
        if text and text not in advice:
            advice.append(text)
    if not advice:
        advice.append(gettext("выберите другой день или другого инспектора"))
    return gettext("Правка не принята: %(why)s. Что можно сделать: %(advice)s.", why=why, advice="; ".join(advice))


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


def closure_reason(code: str) -> str:
    """A facility closure's reason in the UI language."""
    return str(CLOSURE_REASONS.get(code, code))


def holiday_name(name: str) -> str:
    """A holiday of the `holidays` package in the UI language: "Nowruz Holiday (observed)" -> "Наурыз мейрамы
    (перенесённый выходной)"; several on one day joined; a transferred day off is named as one."""
    parts = []
    for part in name.split("; "):
        base, _sep, mark = part.partition(" (")
        if base.startswith("Day off"):
            parts.append(gettext("Перенесённый выходной"))
            continue
        text = str(HOLIDAYS.get(base, base))
        mark = mark.rstrip(")")
        parts.append(f"{text} ({HOLIDAY_MARKS[mark]})" if mark in HOLIDAY_MARKS else text)
    return "; ".join(parts)


# The statistics tables' columns as a person reads them in an XLSX (the API and the CLI keep the keys).
STAT_COLUMN_LABELS = {
    "level": _l("Уровень"), "kato": _l("Код КАТО"), "facilities": _l("Объектов"), "inspections": _l("Проверок"),
    "due_facilities": _l("Подлежали проверке"), "inspected_in_time": _l("Проверены в срок"),
    "overdue_facilities": _l("Просрочены"), "never_inspected": _l("Ни разу не проверены"),
    "in_time_share": _l("Доля проверенных в срок"), "violations_total": _l("Нарушений всего"),
    "violations_open": _l("Нарушений не устранено"), "violations_resolved": _l("Нарушений устранено"),
    "violations_overdue": _l("Нарушений просрочено"), "section": _l("Раздел"), "severity": _l("Степень"),
    "total": _l("Всего"), "open": _l("Не устранено"), "resolved": _l("Устранено"), "overdue": _l("Просрочено"),
    "rank": _l("Место"), "item_code": _l("Код пункта"), "text_ru": _l("Текст пункта (рус.)"),
    "text_kk": _l("Текст пункта (каз.)"), "text_en": _l("Текст пункта (англ.)"), "failures": _l("Нарушений"),
    "share_of_inspections": _l("Доля проверок"),
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


def fairness_group(axis: str, row: dict) -> str:
    """A group of the fairness table as a person reads it: "Безопасность, Питание", "60–90 мин", "Детский сад"."""
    key, bounds = row.get("key", ""), row.get("range")
    if axis == "skills":
        order = list(LABELS["skill"])
        skills = sorted((x for x in key.split("+") if x),
                        key=lambda x: (order.index(x) if x in order else len(order), x))
        return ", ".join(label(skill, "skill") for skill in skills)
    if axis == "kind":
        return label(key or "other", "type")
    if axis == "distance" and key == "none":
        return gettext("нет подходящего инспектора")
    if not bounds:
        return key
    low, high = bounds
    if axis == "service":
        return gettext("%(low)s–%(high)s мин", low=f"{low:g}", high=f"{high:g}") if low != high else \
            gettext("%(n)s мин", n=f"{low:g}")
    if axis == "distance":
        return gettext("%(low)s–%(high)s км", low=f"{low:g}", high=f"{high:g}")
    hours = f"{low / 60:.1f}–{high / 60:.1f}" if low != high else f"{low / 60:.1f}"
    if key == "narrow":
        return gettext("узкие: начать проверку можно в течение %(hours)s ч", hours=hours)
    return gettext("широкие: начать проверку можно в течение %(hours)s ч", hours=hours)


def fairness_warning(entry: dict, group: str, best: str) -> str:
    """Why a group of the fairness table is flagged, as a sentence: the rates, the priority and the cause."""
    said = gettext("«%(group)s» (%(axis)s, приоритет %(cls)s): посещено %(rate)s%% обязательных объектов, "
                   "у «%(best)s» %(best_rate)s%%.", group=group, axis=str(FAIRNESS_AXES.get(entry["axis"], "")).lower(),
                   cls=entry["class"], rate=round(100 * entry["rate"]), best=best,
                   best_rate=round(100 * entry["best_rate"]))
    reason = entry.get("reason")
    if reason == "scarce_skills":
        why = gettext("Причина: инспекторов с нужными навыками всего %(n)s, и их дни заняты проверками, "
                      "которые ждут не меньше.", n=entry.get("inspectors", 0))
    elif reason in FAIRNESS_REASONS:
        why = gettext("Причина: %(reason)s.", reason=FAIRNESS_REASONS[reason])
    else:
        why = gettext("Причина не найдена: эти объекты ждут чаще других без объяснимой причины. Перестройте "
                      "график с другим начальным значением (seed) или сообщите администратору, прежде чем "
                      "публиковать.")
    return f"{said} {why}"

"""Sentences a person reads, made from what the engine and the jobs write in English: why a facility was left
unscheduled or out of a build, which rule an edit breaks, what a hand edit makes predictable, what a job is doing,
which holiday a day is.

Codes and their labels live in `labels/`, which re-exports these names; this module needs none of its
vocabularies (a skill's name is passed in), so the two import one way only.
"""

import re
from datetime import date

from flask_babel import format_date, gettext, ngettext
from flask_babel import lazy_gettext as _l

from scheduler import eligibility, repair, urgent

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


def unscheduled_reason(reason: str, facility_name=lambda fid: fid, region_name=lambda kato: kato,
                       skill_name=lambda skill: skill) -> str:
    """Why the engine left a facility unscheduled, in the UI language; `facility_name("F12")`,
    `region_name(kato)` and `skill_name(code)` name what the reason mentions. An unknown reason is shown as it is."""
    for pattern, text in _REASON_PATTERNS:
        if match := pattern.match(reason or ""):
            values = match.groupdict()
            if "skills" in values:
                values["skills"] = ", ".join(skill_name(s.strip()) for s in values["skills"].split(","))
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
     ("%(num)s соседний объект рядом с «%(facility)s» перенесён на один день, %(day)s",
      "%(num)s соседних объектов рядом с «%(facility)s» перенесены на один день, %(day)s")),
    (re.compile(r"(?P<n>\d+) visits on (?P<weekday>\w+)s, (?P<ratio>[\d.]+) times a fair share\Z"),
     ("%(num)s посещение приходится на день недели «%(weekday)s» — в %(ratio)s раза больше обычной доли",
      "%(num)s посещений приходится на день недели «%(weekday)s» — в %(ratio)s раза больше обычной доли")),
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
            if isinstance(text, tuple):  # a count: (singular, plural) msgids, the language picks its form
                return ngettext(*text, int(values.pop("n")), **values)
            return str(text) % values
    return message


def duplicate_reason(distance_m: float | None, name_similarity: float | None) -> str:
    """Why two records look like one facility, in the UI language (the page and the API say the same)."""
    text = gettext("Расстояние: %(m)s м", m=round(distance_m or 0))
    if name_similarity is not None:
        text += " · " + gettext("сходство названий: %(p)s%%", p=round(name_similarity * 100))
    return text


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

# What is wrong with an uploaded checklist template, by the code forms/ gives (forms/upload.py `Problem`,
# forms.TemplateError); the page names the line and field before it.
TEMPLATE_PROBLEMS = {
    "unknown_keys": _l("неизвестные ключи: %(keys)s; допустимы: %(allowed)s"),
    "texts_mapping": _l("нужны тексты на русском, казахском и английском (ru, kk, en)"),
    "texts_missing": _l("нет текста или он пуст: %(langs)s"),
    "not_a_number": _l("должно быть числом"),
    "item_mapping": _l("пункт должен быть словарём (ключ: значение)"),
    "item_code": _l("код пункта «%(code)s» должен иметь вид «раздел.имя»"),
    "item_code_section": _l("код пункта должен начинаться с кода своего раздела «%(section)s.»"),
    "text_no_corrective":
        _l("текстовый пункт не бывает нарушением, поэтому мер по устранению (corrective_action) у него нет"),
    "bad_kind": _l("тип «%(value)s» недопустим; допустимы: %(allowed)s"),
    "bad_severity": _l("степень нарушения «%(value)s» недопустима; допустимы: %(allowed)s"),
    "bad_applies_to": _l("applies_to — список типов объектов из: %(allowed)s"),
    "not_boolean": _l("%(name)s: должно быть true или false"),
    "bad_deadline": _l("срок устранения (deadline_days) — целое число дней больше нуля"),
    "number_range_missing": _l("числовому пункту нужны min и/или max"),
    "min_above_max": _l("min больше max"),
    "unit_type": _l("единица измерения (unit) должна быть текстом"),
    "number_fields_only": _l("min, max и unit бывают только у числовых пунктов"),
    "options_only_choice": _l("варианты (options) бывают только у пунктов с выбором"),
    "options_too_few": _l("у пункта с выбором должно быть не меньше двух вариантов"),
    "option_mapping": _l("вариант должен быть словарём (ключ: значение)"),
    "option_code":
        _l("код варианта «%(code)s» должен быть уникальным идентификатором латиницей в нижнем регистре, не «na»"),
    "options_all_fail": _l("хотя бы один вариант должен означать соответствие"),
    "template_mapping": _l("файл должен описывать проверочный лист словарём (ключ: значение)"),
    "removal_forbidden":
        _l("%(keys)s: дополнение может только добавлять пункты, но не удалять и не заменять национальные"),
    "template_code": _l("код проверочного листа — идентификатор латиницей в нижнем регистре"),
    "bad_version": _l("версия — целое число больше нуля"),
    "bad_extends": _l("extends должен иметь вид {code: national, version: N}"),
    "sections_empty": _l("нужен непустой список разделов (sections)"),
    "section_mapping": _l("раздел должен быть словарём (ключ: значение)"),
    "section_code": _l("код раздела «%(code)s» должен быть уникальным идентификатором латиницей в нижнем регистре"),
    "items_empty": _l("в разделе нужен непустой список пунктов (items)"),
    "duplicate_item": _l("код пункта «%(code)s» повторяется"),
    "yaml_invalid": _l("файл не читается как YAML: %(detail)s"),
    "legal_ref_missing": _l("у пункта %(item)s нет ссылки на норму (legal_ref) на русском, казахском и английском"),
    "legal_ref_untranslated": _l("ссылка на норму пункта %(item)s дана одной строкой; нужны тексты ru, kk и en"),
    "extends_extension":
        _l("«%(code)s» сам является дополнением; дополнять можно только национальный проверочный лист"),
    "extends_missing": _l("у «%(code)s» нет extends: это не региональное дополнение"),
    "extends_other": _l("дополнение ссылается на %(extends)s, а действует %(national)s"),
    "item_redefined":
        _l("пункт %(code)s уже есть в национальном проверочном листе; дополнение может только добавлять пункты"),
    "section_title_missing": _l("новому разделу %(section)s нужно название"),
    "section_title_redefined": _l("дополнение меняет название национального раздела %(section)s"),
    "template_code_name": _l("код «%(code)s»: используйте national или region_<КАТО>"),
    "no_national": _l("нет действующего национального проверочного листа, который можно дополнить"),
    "file_too_large": _l("файл больше %(mb)s МБ"),
    "invalid": _l("проверочный лист составлен неверно"),
}


def template_problem(code: str, params: dict) -> str:
    """A checklist upload problem in the UI language (lists of keys or languages joined by commas)."""
    text = TEMPLATE_PROBLEMS.get(code, TEMPLATE_PROBLEMS["invalid"])
    shown = {key: ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
             for key, value in params.items()}
    return str(text) % shown if shown else str(text)

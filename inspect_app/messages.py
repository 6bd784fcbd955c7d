"""Validation messages in the UI language: marshmallow's defaults and the schemas' own, matched by template.

The schemas speak marshmallow's English; whatever reaches a person (an API answer, a form, an import report)
passes through `ui_message` / `ui_messages`, which map every marshmallow default message (fields, validators,
schema-level) and the common schema messages to a translated sentence with the same figures.
"""

import re
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l

from inspect_app.labels import LABELS
from inspect_app.service_messages import SERVICE_FIGURE_TEMPLATES, SERVICE_TEMPLATES, Counted

_RANGE_OPS = {
    "greater than or equal to": _l("не меньше"),
    "greater than": _l("больше"),
    "less than or equal to": _l("не больше"),
    "less than": _l("меньше"),
}

# marshmallow's default message templates (marshmallow 4: fields, validators, Schema) -> the UI's msgid.
# tests/inspect_app/test_messages.py checks that every default template of the installed marshmallow is here.
MARSHMALLOW_MESSAGES = {
    "Missing data for required field.": _l("Обязательное поле."),
    "Field may not be null.": _l("Поле не может быть пустым."),
    "Invalid value.": _l("Недопустимое значение."),
    "Invalid input.": _l("Недопустимое значение."),
    "Invalid type.": _l("Неверный тип данных."),
    "Invalid input type.": _l("Неверный тип данных."),
    "Unknown field.": _l("Неизвестное поле."),
    "Not a file.": _l("Это не файл: пришлите его как файловую часть multipart-запроса."),
    "Not a valid boolean.": _l("Нужно значение «да» или «нет»."),
    "Not a valid string.": _l("Нужна строка текста."),
    "Not a valid utf-8 string.": _l("Текст не в кодировке UTF-8."),
    "Not a valid number.": _l("Введите число."),
    "Not a valid integer.": _l("Введите целое число."),
    "Number too large.": _l("Слишком большое число."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Введите конечное число."),
    "Not a valid date.": _l("Введите дату в виде ГГГГ-ММ-ДД."),
    '"{input}" cannot be formatted as a date.': _l("Введите дату в виде ГГГГ-ММ-ДД."),
    "Not a valid {obj_type}.": _l("Введите дату и время (ISO 8601)."),
    "Not a valid {awareness} {obj_type}.": _l("Укажите дату и время с часовым поясом (ISO 8601)."),
    '"{input}" cannot be formatted as a {obj_type}.': _l("Введите дату и время (ISO 8601)."),
    "Not a valid period of time.": _l("Неверный промежуток времени."),
    "{input!r} cannot be formatted as a timedelta.": _l("Неверный промежуток времени."),
    "Not a valid mapping type.": _l("Нужен объект (словарь)."),
    "Not a valid list.": _l("Нужен список."),
    "Not a valid tuple.": _l("Нужен список."),
    "Not a valid UUID.": _l("Неверный идентификатор (UUID)."),
    "Not a valid email address.": _l("Неверный адрес эл. почты."),
    "Not a valid URL.": _l("Неверная ссылка (URL)."),
    "Not a valid IP address.": _l("Неверный IP-адрес."),
    "Not a valid IP interface.": _l("Неверный IP-адрес."),
    "Not a valid IPv4 address.": _l("Неверный IP-адрес."),
    "Not a valid IPv4 interface.": _l("Неверный IP-адрес."),
    "Not a valid IPv6 address.": _l("Неверный IP-адрес."),
    "Not a valid IPv6 interface.": _l("Неверный IP-адрес."),
    "Must be one of: {choices}.": _l("Выберите значение из списка: %(choices)s."),
    "One or more of the choices you made was in: {values}.": _l("Недопустимые значения: %(values)s."),
    "One or more of the choices you made was not in: {choices}.": _l("Допустимые значения: %(choices)s."),
    "Must be equal to {other}.": _l("Должно быть равно %(other)s."),
    "Shorter than minimum length {min}.": Counted("Слишком коротко: не меньше %(min)s символа.",
                                                  "Слишком коротко: не меньше %(min)s символов.", "min"),
    "Longer than maximum length {max}.": Counted("Слишком длинно: не больше %(max)s символа.",
                                                 "Слишком длинно: не больше %(max)s символов.", "max"),
    "Length must be between {min} and {max}.": _l("Длина должна быть от %(min)s до %(max)s."),
    "Length must be {equal}.": _l("Длина должна быть ровно %(equal)s."),
    "Must be {min_op} {{min}}.": _l("Должно быть %(min_op)s %(min)s."),
    "Must be {max_op} {{max}}.": _l("Должно быть %(max_op)s %(max)s."),
    "Must be {min_op} {{min}} and {max_op} {{max}}.": _l("Должно быть %(min_op)s %(min)s и %(max_op)s %(max)s."),
    "String does not match expected pattern.": _l("Неверный формат."),
}

# The schemas' own messages (inspect_app/schemas), by the same kind of template.
SCHEMA_TEMPLATES = {
    "The BIN {digits} lost its leading zero: the spreadsheet took it for a number. It is {bin}; format the column "
    "as text before typing or opening the CSV, or import the XLSX export, which keeps it.":
        _l("БИН %(digits)s потерял ведущий ноль: электронная таблица приняла его за число. Верный БИН — %(bin)s; "
           "задайте столбцу текстовый формат до ввода или открытия CSV либо импортируйте XLSX-выгрузку, в которой "
           "нули сохраняются."),
    "Not a valid e-mail address.": _l("Неверный адрес эл. почты."),
    "Expected a 9-digit KATO code.": _l("Нужен 9-значный код КАТО."),
    "The text contains a control or invalid character (U+{code}).":
        _l("Текст содержит управляющий или недопустимый символ (U+%(code)s)."),
    "The point {lat}, {lon} lies outside Kazakhstan (in Kyrgyzstan, near Bishkek).":
        _l("Точка %(lat)s, %(lon)s лежит вне Казахстана (в Кыргызстане, около Бишкека)."),
    "The request body is empty: send at least one field to change.":
        _l("Пустой запрос: передайте хотя бы одно поле, которое нужно изменить."),
    "Not a telephone number; write it as +7 701 123 45 67.":
        _l("Это не номер телефона; запишите его как +7 701 123 45 67."),
    "Not a valid Kazakhstan telephone number (+7 7.. or +7 6..).":
        _l("Неверный казахстанский номер телефона (+7 7.. или +7 6..)."),
    "Opening hours are not valid JSON: {msg}.": _l("Часы работы записаны неверно (JSON)."),
    "Opening hours are nested too deeply to be a timetable.": _l("Часы работы записаны неверно (JSON)."),
    "Opening hours must be an object keyed by weekday (mon..sun).":
        _l("Часы работы задаются по дням недели (mon..sun)."),
    "Unknown weekday {day}; use one of {days}.": _l("Неизвестный день недели %(day)s; допустимы: %(days)s."),
    "{day}: expected a list of [from, to] intervals.": _l("%(day)s: нужен список интервалов [с, до]."),
    '{day}: each interval is ["HH:MM", "HH:MM"].': _l("%(day)s: каждый интервал записывается как [ЧЧ:ММ, ЧЧ:ММ]."),
    "{day}: {part} is not a time as HH:MM.": _l("%(day)s: %(part)s — не время в виде ЧЧ:ММ."),
    "{day}: the interval {start}-{end} ends before it starts.":
        _l("%(day)s: интервал %(start)s-%(end)s заканчивается раньше, чем начинается."),
    "{chunk}: expected 'mon-fri 08:00-18:00'.": _l("%(chunk)s: нужна запись вида «mon-fri 08:00-18:00»."),
    "{chunk}: expected times as HH:MM-HH:MM.": _l("%(chunk)s: время записывается как ЧЧ:ММ-ЧЧ:ММ."),
    "{part} is not a weekday or range such as mon-fri.": _l("%(part)s — не день недели и не диапазон вида mon-fri."),
    "{part}: the range runs backwards.": _l("%(part)s: диапазон идёт в обратном порядке."),
    "Expected a list of strings.": _l("Нужен список строк."),
    "Unknown value(s) {unknown}; allowed: {allowed}.": _l("Неизвестные значения: %(unknown)s; допустимы: %(allowed)s."),
    "Give both ends of the season (MM-DD).": _l("Укажите начало и конец сезона (ММ-ДД)."),
    "A summer camp needs its season (MM-DD).": _l("Для летнего лагеря укажите сезон (ММ-ДД)."),
    "The period starts after it ends.": _l("Период начинается позже, чем заканчивается."),
    "The period ends before it starts.": _l("Период начинается позже, чем заканчивается."),
    "The period may not be longer than ten years.": _l("Период не может быть длиннее десяти лет."),
    "Give both days of the period compared with.": _l("Укажите обе даты периода сравнения."),
    "Name the schedule this one replaces.": _l("Укажите график, который заменяет этот."),
    "A swap needs the other visit.": _l("Для обмена укажите второе посещение."),
    "A move needs a new date or inspector.": _l("Для переноса укажите новую дату или инспектора."),
    "The absence ends before it starts.": _l("Отсутствие заканчивается раньше, чем начинается."),
    "The working day must end after it starts.": _l("Рабочий день должен заканчиваться позже, чем начинается."),
    "An unplanned inspection needs its reason.": _l("Для внеплановой проверки укажите основание."),
    "Only an unplanned inspection has a signal.": _l("Источник сигнала указывается только для внеплановой проверки."),
    "Give the day off, the working day or both.": _l("Укажите выходной день, рабочий день или оба."),
    "The day off must be a weekday (Monday to Friday).": _l("Выходной должен приходиться на будний день (пн–пт)."),
    "The working day must be a Saturday or a Sunday.":
        _l("Рабочим днём переноса может быть только суббота или воскресенье."),
    "The break ends before it starts.": _l("Каникулы заканчиваются раньше, чем начинаются."),
    "The closure ends before it starts.": _l("Закрытие заканчивается раньше, чем начинается."),
    "Expected a year from 1990 to 2098.": _l("Ожидается год с 1990 по 2098."),
    "Expected a number of inspectors from 0 to 500.": _l("Ожидается число инспекторов от 0 до 500."),
    "Give a value for this what-if.": _l("Укажите значение для этого расчёта."),
}

# A checklist's answer problems (forms/answers.py, services/audits.answer_errors: "code: message").
ANSWER_TEMPLATES = {
    "unknown_item: there is no item {code} in this checklist": _l("в чек-листе нет пункта %(code)s"),
    "not_applicable: this item does not apply to a {type}": _l("пункт не относится к объектам этого типа"),
    "wrong_type: answer must be an object with a value": _l("ответ записан неверно"),
    "wrong_type: unexpected field(s) {fields}": _l("ответ записан неверно"),
    "wrong_type: comment must be text": _l("комментарий должен быть текстом"),
    "wrong_type: photos must be a list of photo ids": _l("фотографии указаны неверно"),
    "missing_answer: this item must be answered": _l("на этот пункт нужно ответить"),
    "photo_required: a failed item needs at least one photo": _l("к нарушению нужна хотя бы одна фотография"),
    "na_not_allowed: 'not applicable' is not allowed for this item":
        _l("для этого пункта нельзя выбрать «не применимо»"),
    "not_yes_no: answer must be {allowed}, got {value}": _l("ответьте «да» или «нет»"),
    "not_a_number: answer must be a number, got {value}": _l("введите число"),
    "wrong_type: answer must be an option code, got {type}": _l("выберите вариант из списка"),
    "out_of_options: {value} is not one of the options ({codes})": _l("выберите вариант из списка"),
    "wrong_type: answer must be text, got {type}": _l("ответ должен быть текстом"),
    "unknown_photo: photo(s) {ids} were not uploaded to this audit":
        _l("фотографии %(ids)s не загружены в эту проверку"),
}

# The schemas' own messages that many fields share (matched by their start; the rest of the text is dropped).
SCHEMA_MESSAGES = (
    ("Not a valid BIN", _l("Неверный БИН: нужны 12 цифр с верной контрольной цифрой.")),
    ("Latitude", _l("Широта вне территории Казахстана.")),
    ("Longitude", _l("Долгота вне территории Казахстана.")),
    ("A facility with this BIN is already registered.", _l("Объект с этим БИН уже есть в реестре.")),
    ("You may only", _l("Можно работать только с записями своего региона.")),
    ("Expected a day of the year as MM-DD.", _l("Укажите день в виде ММ-ДД.")),
    ("Expected a time as HH:MM.", _l("Укажите время в виде ЧЧ:ММ.")),
)


# What marshmallow puts in the placeholders that are not free text (so "Not a valid {obj_type}." cannot
# swallow "Not a valid email address.").
_PLACEHOLDERS = {"obj_type": r"(?:datetime|date|time)", "awareness": r"(?:naive|aware)"}


def _pattern(template: str) -> re.Pattern:
    """A regex that matches a message made from a marshmallow template, naming its placeholders."""
    template = template.replace("{{", "{").replace("}}", "}")
    parts = re.split(r"\{(\w+)(?:![rs])?\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_PLACEHOLDERS.get(p, '.+?')})"
                    for i, p in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def _expand_ranges() -> list[tuple[re.Pattern, object]]:
    """Range's templates carry the comparison words in a first formatting pass; match each variant."""
    out = []
    templates = {**MARSHMALLOW_MESSAGES, **SCHEMA_TEMPLATES, **SERVICE_TEMPLATES, **SERVICE_FIGURE_TEMPLATES,
                 **ANSWER_TEMPLATES}
    for template, text in templates.items():
        if "{min_op}" in template or "{max_op}" in template:
            for low in ("greater than or equal to", "greater than"):
                for high in ("less than or equal to", "less than"):
                    concrete = template.replace("{min_op}", low).replace("{max_op}", high)
                    out.append((_pattern(concrete), text, {"min_op": low, "max_op": high}))
        else:
            out.append((_pattern(template), text, {}))
    # Fixed texts first, then the templates with the most fixed text ("greater than or equal to" before
    # "greater than").
    out.sort(key=lambda item: (item[0].groups > 0, -len(re.sub(r"\(\?P<\w+>[^)]*\)", "", item[0].pattern))))
    return out


_PATTERNS = _expand_ranges()


_SCHEDULE_STATUSES = LABELS["schedule_status"]


def _shown(values: dict[str, str]) -> dict[str, str]:
    """A message's figures as a person reads them: schedule states in words, ISO dates in the local format."""
    out = dict(values)
    if out.get("status") in _SCHEDULE_STATUSES:
        out["status"] = str(_SCHEDULE_STATUSES[out["status"]])
    for key in ("date", "first", "last"):
        if key in out:
            try:
                out[key] = format_date(date.fromisoformat(out[key]), "medium")
            except ValueError:
                pass
    return out


def ui_message(message) -> str:
    """A validation message in the UI language: marshmallow's defaults and the common schema messages by
    template (figures kept), anything else as it is."""
    message = str(message)
    for pattern, text, ops in _PATTERNS:
        match = pattern.match(message)
        if match:
            values = {**{k: str(_RANGE_OPS[v]) for k, v in ops.items()}, **_shown(match.groupdict())}
            if isinstance(text, Counted):  # the count's plural form in the UI language
                return ngettext(text.singular, text.plural, int(float(values[text.count])), **values)
            return str(text) % values if values else str(text)
    for prefix, text in SCHEMA_MESSAGES:
        if message.startswith(prefix):
            return str(text)
    return message


def ui_messages(messages):
    """A marshmallow error structure (dicts of lists of messages, nested) with every message translated."""
    if isinstance(messages, dict):
        return {key: ui_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [ui_messages(value) for value in messages]
    if isinstance(messages, str):
        return ui_message(messages)
    return messages

"""Weekly opening hours: parsed from a JSON object or the compact text of files and forms
(`mon-fri 08:00-18:00; sat 09:00-13:00`), written back in that text, and the schema field for both."""

import json
from typing import Any

from marshmallow import ValidationError, fields

from inspect_app.models.vocab import WEEKDAYS
from inspect_app.schemas.fields import HHMM


def parse_opening_hours(value: Any) -> dict[str, list[list[str]]]:
    """Parse weekly opening hours from a dict or from text like `mon-fri 08:00-18:00; sat 09:00-13:00`."""
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationError(f"Opening hours are not valid JSON: {exc.msg}.") from exc
            except RecursionError:
                raise ValidationError("Opening hours are nested too deeply to be a timetable.") from None
        else:
            return _parse_hours_text(text)
    if not isinstance(value, dict):
        raise ValidationError("Opening hours must be an object keyed by weekday (mon..sun).")
    result: dict[str, list[list[str]]] = {}
    for day, intervals in value.items():
        if day not in WEEKDAYS:
            raise ValidationError(f"Unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}.")
        if not isinstance(intervals, list):
            raise ValidationError(f"{day}: expected a list of [from, to] intervals.")
        result[day] = [_interval(day, item) for item in intervals]
    return {day: result[day] for day in WEEKDAYS if result.get(day)}


def _interval(day: str, item: Any) -> list[str]:
    if not (isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item)):
        raise ValidationError(f"{day}: each interval is [\"HH:MM\", \"HH:MM\"].")
    start, end = item
    for part in (start, end):
        if not HHMM.match(part):
            raise ValidationError(f"{day}: {part!r} is not a time as HH:MM.")
    if start >= end:
        raise ValidationError(f"{day}: the interval {start}-{end} ends before it starts.")
    return [start, end]


def _parse_hours_text(text: str) -> dict[str, list[list[str]]]:
    result: dict[str, list[list[str]]] = {}
    for chunk in filter(None, (c.strip() for c in text.split(";"))):
        try:
            days_part, times_part = chunk.split(None, 1)
        except ValueError as exc:
            raise ValidationError(f"{chunk!r}: expected 'mon-fri 08:00-18:00'.") from exc
        days = _day_range(days_part.lower())
        intervals = []
        for span in times_part.split(","):
            pieces = span.strip().split("-")
            if len(pieces) != 2:
                raise ValidationError(f"{chunk!r}: expected times as HH:MM-HH:MM.")
            intervals.append(_interval(days_part, [pieces[0].strip(), pieces[1].strip()]))
        for day in days:
            result.setdefault(day, []).extend(intervals)
    return {day: result[day] for day in WEEKDAYS if day in result}


def _day_range(text: str) -> list[str]:
    days: list[str] = []
    for part in text.split(","):
        bounds = part.split("-")
        if any(b not in WEEKDAYS for b in bounds) or len(bounds) > 2:
            raise ValidationError(f"{part!r} is not a weekday or range such as mon-fri.")
        first, last = WEEKDAYS.index(bounds[0]), WEEKDAYS.index(bounds[-1])
        if last < first:
            raise ValidationError(f"{part!r}: the range runs backwards.")
        days.extend(WEEKDAYS[first:last + 1])
    return days


def format_opening_hours(hours: dict[str, list[list[str]]] | None) -> str:
    """The compact text form of opening hours, grouping consecutive days with equal hours."""
    if not hours:
        return ""
    groups: list[tuple[list[str], list[list[str]]]] = []
    for day in WEEKDAYS:
        intervals = hours.get(day)
        if not intervals:
            continue
        if groups and groups[-1][1] == intervals and WEEKDAYS.index(groups[-1][0][-1]) == WEEKDAYS.index(day) - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], intervals))
    parts = []
    for days, intervals in groups:
        label = days[0] if len(days) == 1 else f"{days[0]}-{days[-1]}"
        parts.append(label + " " + ",".join(f"{a}-{b}" for a, b in intervals))
    return "; ".join(parts)


class OpeningHours(fields.Field):
    """Weekly opening hours: an object in JSON, or the compact text form in files and forms."""

    def __init__(self, **kwargs):
        interval = {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
                    "minItems": 2, "maxItems": 2}
        kwargs["metadata"] = {"type": "object", "additionalProperties": False,
                              "description": "Weekday -> [[opens, closes], ...] as HH:MM",
                              "properties": {day: {"type": "array", "items": interval} for day in WEEKDAYS},
                              **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return value or {}

    def _deserialize(self, value, attr, data, **kwargs):
        return parse_opening_hours(value)

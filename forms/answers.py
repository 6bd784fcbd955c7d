"""Answer validation and evaluation, shared by the web form, the API and the importer.

An answer is a plain dict: ``{"value": ..., "comment": str, "photos": [ids]}``.
``value`` is ``"yes"``/``"no"``/``"na"`` for yes_no, a number (or numeric string,
decimal comma allowed) for number, an option code for choice, a string for text;
``"na"`` is accepted for any kind whose item has ``allow_na``. A missing answer,
``None`` value or blank string means "not answered yet".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from forms.model import Item, Template, items_for

PASS, FAIL, NA = "pass", "fail", "na"

_ANSWER_KEYS = {"value", "comment", "photos"}


@dataclass(frozen=True)
class FieldError:
    """One problem with one answer; `code` is stable for translation, `message` is English."""

    item_code: str
    code: str
    message: str


def parse_number(value: Any) -> float | None:
    """The value as a finite float, or None if it is not a number (bools are not numbers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            # Inspectors on Russian/Kazakh keyboards type "4,5".
            number = Decimal(value.strip().replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except InvalidOperation:
            return None
        return float(number) if number.is_finite() else None
    return None


def is_blank(answer: Any) -> bool:
    """True if the answer carries no value yet."""
    if answer is None:
        return True
    if not isinstance(answer, Mapping):
        return False
    value = answer.get("value")
    return value is None or (isinstance(value, str) and not value.strip())


def outcome(item: Item, answer: Any) -> str | None:
    """'pass', 'fail' or 'na' for a valid answer; None if unanswered or invalid."""
    if is_blank(answer) or not isinstance(answer, Mapping) or _value_error(item, answer["value"]):
        return None
    value = answer["value"]
    if isinstance(value, str) and value.strip() == "na":
        return NA
    if item.kind == "yes_no":
        return PASS if value.strip() == "yes" else FAIL
    if item.kind == "number":
        number = parse_number(value)
        too_low = item.min is not None and number < item.min
        too_high = item.max is not None and number > item.max
        return FAIL if too_low or too_high else PASS
    if item.kind == "choice":
        return FAIL if item.option(value.strip()).fails else PASS
    return PASS


def _value_error(item: Item, value: Any) -> tuple[str, str] | None:
    """(code, message) if a non-blank value is not acceptable for the item."""
    if isinstance(value, str) and value.strip() == "na":
        if item.allow_na:
            return None
        return "na_not_allowed", "'not applicable' is not allowed for this item"
    if item.kind == "yes_no":
        if not isinstance(value, str) or value.strip() not in ("yes", "no"):
            allowed = "yes, no or na" if item.allow_na else "yes or no"
            return "not_yes_no", f"answer must be {allowed}, got {value!r}"
    elif item.kind == "number":
        if parse_number(value) is None:
            return "not_a_number", f"answer must be a number, got {value!r}"
    elif item.kind == "choice":
        if not isinstance(value, str):
            return "wrong_type", f"answer must be an option code, got {type(value).__name__}"
        if item.option(value.strip()) is None:
            codes = ", ".join(o.code for o in item.options)
            return "out_of_options", f"{value!r} is not one of the options ({codes})"
    elif item.kind == "text" and not isinstance(value, str):
        return "wrong_type", f"answer must be text, got {type(value).__name__}"
    return None


def validate_answers(
    template: Template,
    facility_type: str,
    answers: Mapping[str, Any],
    *,
    final: bool,
) -> list[FieldError]:
    """All problems with `answers` (item code -> answer dict), in template order.

    Drafts (final=False) may leave items unanswered and postpone required photos;
    a final submission must answer every required applicable item and attach a
    photo to every failed item that requires one. An unknown facility_type raises
    ValueError (it is the caller's data, not an answer).
    """
    errors: list[FieldError] = []
    applicable = items_for(template, facility_type)
    applicable_codes = {it.code for it in applicable}
    known = template.items_by_code

    for code in answers:
        if code not in known:
            errors.append(FieldError(str(code), "unknown_item", f"there is no item {code!r} in this checklist"))
        elif code not in applicable_codes and not is_blank(answers[code]):
            errors.append(
                FieldError(code, "not_applicable", f"this item does not apply to a {facility_type.replace('_', ' ')}")
            )

    for item in applicable:
        answer = answers.get(item.code)
        if answer is not None and not isinstance(answer, Mapping):
            errors.append(FieldError(item.code, "wrong_type", "answer must be an object with a value"))
            continue
        if isinstance(answer, Mapping):
            extra = set(answer) - _ANSWER_KEYS
            if extra:
                errors.append(FieldError(item.code, "wrong_type", f"unexpected field(s) {sorted(extra)}"))
            comment = answer.get("comment")
            if comment is not None and not isinstance(comment, str):
                errors.append(FieldError(item.code, "wrong_type", "comment must be text"))
            photos = answer.get("photos")
            if photos is not None and (
                not isinstance(photos, list)
                or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in photos)
            ):
                errors.append(FieldError(item.code, "wrong_type", "photos must be a list of photo ids"))
        if is_blank(answer):
            if final and item.required:
                errors.append(FieldError(item.code, "missing_answer", "this item must be answered"))
            continue
        problem = _value_error(item, answer["value"])
        if problem:
            errors.append(FieldError(item.code, *problem))
            continue
        if final and item.photo_required_on_fail and outcome(item, answer) == FAIL and not answer.get("photos"):
            errors.append(FieldError(item.code, "photo_required", "a failed item needs at least one photo"))
    return errors


def answer_display(item: Item, answer: Any, lang: str = "ru") -> str:
    """Human-readable answer text for reports (option label, number with unit, yes/no words)."""
    if is_blank(answer) or not isinstance(answer, Mapping):
        return "—"
    value = answer["value"]
    if isinstance(value, str) and value.strip() == "na":
        return _WORDS["na"][lang if lang in _WORDS["na"] else "ru"]
    if item.kind == "yes_no" and isinstance(value, str) and value.strip() in ("yes", "no"):
        return _WORDS[value.strip()][lang if lang in _WORDS["yes"] else "ru"]
    if item.kind == "number":
        number = parse_number(value)
        if number is None:
            return str(value)
        shown = f"{number:g}".replace(".", ",") if lang in ("ru", "kk") else f"{number:g}"
        return f"{shown} {item.unit}" if item.unit else shown
    if item.kind == "choice" and isinstance(value, str) and item.option(value.strip()):
        return item.option(value.strip()).label.get(lang)
    return str(value)


_WORDS = {
    "yes": {"ru": "Да", "kk": "Иә", "en": "Yes"},
    "no": {"ru": "Нет", "kk": "Жоқ", "en": "No"},
    "na": {"ru": "Не применимо", "kk": "Қолданылмайды", "en": "Not applicable"},
}

"""Checklist templates read from YAML or dicts, validated with errors that name the place."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from forms.model import (
    FACILITY_TYPES,
    KINDS,
    LANGS,
    SEVERITIES,
    TEMPLATES_DIR,
    ChoiceOption,
    I18nText,
    Item,
    Section,
    Template,
    TemplateError,
    TemplateRef,
)

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")


def _fail(where: str, msg: str, code: str, /, **params: Any) -> TemplateError:
    """The error of one place: the English message (CLI, logs) and its code and parameters (for people's languages)."""
    return TemplateError(f"{where}: {msg}", code, **params)


def _check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}",
                    "unknown_keys", keys=sorted(unknown), allowed=sorted(allowed))


def _i18n(value: Any, where: str, *, required: bool = True) -> I18nText | None:
    if value is None and not required:
        return None
    if not isinstance(value, Mapping):
        raise _fail(where, "must be a mapping with ru, kk and en texts", "texts_mapping")
    _check_keys(value, set(LANGS), where)
    missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise _fail(where, f"missing or empty text for {missing}", "texts_missing", langs=missing)
    return I18nText(**{lang: value[lang].strip() for lang in LANGS})


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, "must be a number", "not_a_number")
    return value


_ITEM_KEYS = {
    "code",
    "kind",
    "severity",
    "text",
    "applies_to",
    "allow_na",
    "required",
    "photo_required_on_fail",
    "legal_ref",
    "hint",
    "corrective_action",
    "deadline_days",
    "min",
    "max",
    "unit",
    "options",
}


def _parse_item(data: Any, section_code: str, where: str) -> Item:
    """One checklist item: its code and vocabulary, its number range or choice options, its corrective action."""
    if not isinstance(data, Mapping):
        raise _fail(where, "item must be a mapping", "item_mapping")
    code = data.get("code")
    if not isinstance(code, str) or not _ITEM_CODE_RE.match(code):
        raise _fail(where, f"item code {code!r} must look like 'section.name'", "item_code", code=code)
    where = f"{where} ({code})"
    _check_keys(data, _ITEM_KEYS, where)
    if not code.startswith(section_code + "."):
        raise _fail(where, f"item code must start with its section code '{section_code}.'", "item_code_section",
                    section=section_code)
    kind, severity, applies_to = _item_vocabulary(data, where)
    deadline_days, legal_ref = _item_flags(data, where)
    lo, hi, unit = _number_range(data, kind, where)
    options = _choice_options(data, kind, where)
    # Free text is commentary: it cannot fail, so it is optional unless a template says otherwise.
    required = data.get("required", kind != "text")
    can_fail = kind != "text"
    corrective = _i18n(data.get("corrective_action"), where + " corrective_action", required=can_fail)
    if not can_fail and corrective is not None:
        raise _fail(where, "text items never fail, so they take no corrective_action", "text_no_corrective")
    return Item(
        code=code,
        kind=kind,
        severity=severity,
        text=_i18n(data.get("text"), where + " text"),
        applies_to=applies_to,
        allow_na=data.get("allow_na", False),
        required=required,
        photo_required_on_fail=data.get("photo_required_on_fail", False) and can_fail,
        legal_ref=legal_ref,
        hint=_i18n(data.get("hint"), where + " hint", required=False),
        corrective_action=corrective,
        deadline_days=deadline_days,
        min=lo,
        max=hi,
        unit=unit,
        options=options,
    )


def _item_vocabulary(data: Mapping, where: str) -> tuple[str, str, tuple[str, ...]]:
    """The item's kind, severity and facility types (in canonical order)."""
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"kind {kind!r} must be one of {list(KINDS)}", "bad_kind", value=kind, allowed=list(KINDS))
    severity = data.get("severity")
    if severity not in SEVERITIES:
        raise _fail(where, f"severity {severity!r} must be one of {list(SEVERITIES)}", "bad_severity", value=severity,
                    allowed=list(SEVERITIES))
    applies_to = data.get("applies_to") or ()
    if isinstance(applies_to, str) or not all(t in FACILITY_TYPES for t in applies_to):
        raise _fail(where, f"applies_to must be a list of {list(FACILITY_TYPES)}", "bad_applies_to",
                    allowed=list(FACILITY_TYPES))
    # Canonical order keeps the checksum independent of how the author listed types.
    return kind, severity, tuple(t for t in FACILITY_TYPES if t in set(applies_to))


def _item_flags(data: Mapping, where: str) -> tuple[int | None, I18nText | str | None]:
    """The boolean flags checked; the deadline in days and the legal reference ({ru, kk, en}, or the plain
    Russian string of versions stored before references were translated)."""
    for flag in ("allow_na", "required", "photo_required_on_fail"):
        if flag in data and not isinstance(data[flag], bool):
            raise _fail(where, f"{flag} must be true or false", "not_boolean", name=flag)
    deadline_days = data.get("deadline_days")
    if deadline_days is not None and (
        isinstance(deadline_days, bool) or not isinstance(deadline_days, int) or deadline_days < 1
    ):
        raise _fail(where, "deadline_days must be a positive integer", "bad_deadline")
    legal_ref = data.get("legal_ref")
    if isinstance(legal_ref, Mapping):
        return deadline_days, _i18n(legal_ref, where + " legal_ref")
    if legal_ref is not None and not isinstance(legal_ref, str):
        raise _fail(where, "legal_ref must be a mapping with ru, kk and en texts", "texts_mapping")
    return deadline_days, legal_ref


def _number_range(data: Mapping, kind: str, where: str) -> tuple[float | None, float | None, str | None]:
    """min, max and unit of a number item (refused on any other kind)."""
    lo, hi, unit = _number(data.get("min"), where + " min"), _number(data.get("max"), where + " max"), data.get("unit")
    if kind == "number":
        if lo is None and hi is None:
            raise _fail(where, "number item needs min and/or max", "number_range_missing")
        if lo is not None and hi is not None and lo > hi:
            raise _fail(where, "min is greater than max", "min_above_max")
        if unit is not None and not isinstance(unit, str):
            raise _fail(where, "unit must be a string", "unit_type")
    elif any(k in data for k in ("min", "max", "unit")):
        raise _fail(where, "min/max/unit are only for number items", "number_fields_only")
    return lo, hi, unit


def _choice_options(data: Mapping, kind: str, where: str) -> tuple[ChoiceOption, ...]:
    """The options of a choice item: at least two, unique codes, at least one that passes."""
    if kind != "choice":
        if "options" in data:
            raise _fail(where, "options are only for choice items", "options_only_choice")
        return ()
    raw = data.get("options")
    if not isinstance(raw, list) or len(raw) < 2:
        raise _fail(where, "choice item needs at least two options", "options_too_few")
    seen: set[str] = set()
    opts = []
    for i, opt in enumerate(raw):
        ow = f"{where} option {i}"
        if not isinstance(opt, Mapping):
            raise _fail(ow, "option must be a mapping", "option_mapping")
        _check_keys(opt, {"code", "label", "fails"}, ow)
        ocode = opt.get("code")
        if not isinstance(ocode, str) or not _CODE_RE.match(ocode) or ocode in seen or ocode == "na":
            raise _fail(ow, f"option code {ocode!r} must be a unique lowercase identifier other than 'na'",
                        "option_code", code=ocode)
        seen.add(ocode)
        fails = opt.get("fails", False)
        if not isinstance(fails, bool):
            raise _fail(ow, "fails must be true or false", "not_boolean", name="fails")
        opts.append(ChoiceOption(ocode, _i18n(opt.get("label"), ow + " label"), fails))
    if all(o.fails for o in opts):
        raise _fail(where, "at least one option must pass", "options_all_fail")
    return tuple(opts)


_TEMPLATE_KEYS = {"code", "version", "title", "extends", "sections"}
_FORBIDDEN_EXT_KEYS = {"remove", "removes", "exclude", "disable", "override", "overrides", "replace"}


def template_from_dict(data: Mapping[str, Any]) -> Template:
    """Build and validate a Template from a plain dict (YAML or stored JSON); raises TemplateError."""
    if not isinstance(data, Mapping):
        raise TemplateError("template must be a mapping", "template_mapping")
    code = data.get("code")
    where = f"template {code!r}"
    forbidden = _FORBIDDEN_EXT_KEYS & set(data)
    if forbidden:
        raise _fail(where, f"{sorted(forbidden)}: a template may only add items, never remove or replace national ones",
                    "removal_forbidden", keys=sorted(forbidden))
    _check_keys(data, _TEMPLATE_KEYS, where)
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise _fail(where, "code must be a lowercase identifier", "template_code")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _fail(where, "version must be a positive integer", "bad_version")
    extends = data.get("extends")
    ref = None
    if extends is not None:
        if not isinstance(extends, Mapping):
            raise _fail(where, "extends must be {code, version}", "bad_extends")
        _check_keys(extends, {"code", "version"}, where + " extends")
        ecode, ever = extends.get("code"), extends.get("version")
        if not isinstance(ecode, str) or isinstance(ever, bool) or not isinstance(ever, int):
            raise _fail(where, "extends must be {code: str, version: int}", "bad_extends")
        ref = TemplateRef(ecode, ever)
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        raise _fail(where, "sections must be a non-empty list", "sections_empty")
    sections = []
    seen_sections: set[str] = set()
    seen_items: set[str] = set()
    for i, sec in enumerate(raw_sections):
        sw = f"{where} section {i}"
        if not isinstance(sec, Mapping):
            raise _fail(sw, "section must be a mapping", "section_mapping")
        forbidden = _FORBIDDEN_EXT_KEYS & set(sec)
        if forbidden:
            raise _fail(sw, f"{sorted(forbidden)}: sections may only add items, never remove or replace national ones",
                        "removal_forbidden", keys=sorted(forbidden))
        _check_keys(sec, {"code", "title", "items"}, sw)
        scode = sec.get("code")
        if not isinstance(scode, str) or not _CODE_RE.match(scode) or scode in seen_sections:
            raise _fail(sw, f"section code {scode!r} must be a unique lowercase identifier", "section_code", code=scode)
        seen_sections.add(scode)
        # Regional files may add to a national section without repeating its title.
        title = _i18n(sec.get("title"), f"{sw} title", required=ref is None)
        raw_items = sec.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise _fail(sw, "items must be a non-empty list", "items_empty")
        items = []
        for j, raw in enumerate(raw_items):
            item = _parse_item(raw, scode, f"{sw} item {j}")
            if item.code in seen_items:
                raise _fail(sw, f"duplicate item code {item.code!r}", "duplicate_item", code=item.code)
            seen_items.add(item.code)
            items.append(item)
        sections.append(Section(scode, title, tuple(items)))
    return Template(code, version, _i18n(data.get("title"), where + " title"), tuple(sections), ref)


def load_template(path: str | Path) -> Template:
    """Load and validate one YAML template file; raises TemplateError with the file name."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name}: not valid YAML: {exc}", "yaml_invalid", detail=str(exc)) from exc
    try:
        return template_from_dict(data)
    except TemplateError as exc:
        raise TemplateError(f"{path.name}: {exc}", exc.code, **exc.params) from exc


def load_builtin_templates() -> list[Template]:
    """Every template shipped in forms/templates (national and regional, unmerged), sorted by file name."""
    return [load_template(p) for p in sorted(TEMPLATES_DIR.glob("*.yaml"))]

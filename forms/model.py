"""Checklist template model: frozen dataclasses, the vocabularies, and merging a regional extension."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

LANGS = ("ru", "kk", "en")
FACILITY_TYPES = (
    "school",
    "kindergarten",
    "college",
    "summer_camp",
    "sports_club",
    "leisure_centre",
    "boarding_school",
    "other",
)
KINDS = ("yes_no", "number", "choice", "text")
SEVERITIES = ("critical", "major", "minor")
SECTION_CODES_DEFAULT = ("safety", "nutrition", "health")

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"



class TemplateError(ValueError):
    """A template file or dict is malformed, or a regional extension is not allowed.

    The message is English (the CLI, logs); `code` and `params` say the same as data, so the app words it in the
    reader's language (forms/ knows no translation machinery).
    """

    def __init__(self, message: str, code: str = "invalid", /, **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class I18nText:
    """A text in Russian, Kazakh and English."""

    ru: str
    kk: str
    en: str

    def get(self, lang: str) -> str:
        """Text in `lang`, falling back to Russian for an unknown language."""
        return getattr(self, lang) if lang in LANGS else self.ru

    def to_dict(self) -> dict[str, str]:
        """Plain dict {ru, kk, en}."""
        return {"ru": self.ru, "kk": self.kk, "en": self.en}


@dataclass(frozen=True)
class ChoiceOption:
    """One option of a `choice` item; `fails` marks options that count as a failure."""

    code: str
    label: I18nText
    fails: bool = False


@dataclass(frozen=True)
class Item:
    """One checklist question."""

    code: str
    kind: str
    severity: str
    text: I18nText
    applies_to: tuple[str, ...] = ()  # empty means every facility type
    allow_na: bool = False
    required: bool = True
    photo_required_on_fail: bool = False
    # ru/kk/en since the glossary review; a plain string (Russian) in versions stored before it.
    legal_ref: I18nText | str | None = None
    hint: I18nText | None = None
    corrective_action: I18nText | None = None
    deadline_days: int | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    options: tuple[ChoiceOption, ...] = ()

    def applies(self, facility_type: str) -> bool:
        """True if the item is asked for this facility type."""
        return not self.applies_to or facility_type in self.applies_to

    def legal_ref_in(self, lang: str) -> str:
        """The item's legal reference in `lang` ("" when none; an old version's plain string as written)."""
        if isinstance(self.legal_ref, I18nText):
            return self.legal_ref.get(lang)
        return self.legal_ref or ""

    def option(self, code: str) -> ChoiceOption | None:
        """The choice option with this code, or None."""
        for opt in self.options:
            if opt.code == code:
                return opt
        return None


@dataclass(frozen=True)
class Section:
    """A named group of items (safety, nutrition, health, or a regional one)."""

    code: str
    title: I18nText | None  # None only in a regional file adding to a national section
    items: tuple[Item, ...]


@dataclass(frozen=True)
class TemplateRef:
    """Reference to a template version (used by regional `extends`)."""

    code: str
    version: int


@dataclass(frozen=True)
class Template:
    """A versioned checklist template."""

    code: str
    version: int
    title: I18nText
    sections: tuple[Section, ...]
    extends: TemplateRef | None = None

    @cached_property
    def checksum(self) -> str:
        """sha256 hex of the canonical JSON form; changes whenever any content changes."""
        canonical = json.dumps(template_to_dict(self), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def items_by_code(self) -> dict[str, tuple[Section, Item]]:
        """Map item code -> (section, item)."""
        return {it.code: (sec, it) for sec in self.sections for it in sec.items}

    def section(self, code: str) -> Section | None:
        """The section with this code, or None."""
        for sec in self.sections:
            if sec.code == code:
                return sec
        return None


def _item_to_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": item.code,
        "kind": item.kind,
        "severity": item.severity,
        "text": item.text.to_dict(),
        "applies_to": list(item.applies_to),
        "allow_na": item.allow_na,
        "required": item.required,
        "photo_required_on_fail": item.photo_required_on_fail,
        "legal_ref": item.legal_ref.to_dict() if isinstance(item.legal_ref, I18nText) else item.legal_ref,
        "hint": item.hint.to_dict() if item.hint else None,
        "corrective_action": item.corrective_action.to_dict() if item.corrective_action else None,
        "deadline_days": item.deadline_days,
    }
    if item.kind == "number":
        out.update(min=item.min, max=item.max, unit=item.unit)
    if item.kind == "choice":
        out["options"] = [{"code": o.code, "label": o.label.to_dict(), "fails": o.fails} for o in item.options]
    return out


def template_to_dict(template: Template) -> dict[str, Any]:
    """JSON-able dict of the whole template; template_from_dict() restores an equal Template."""
    return {
        "code": template.code,
        "version": template.version,
        "title": template.title.to_dict(),
        "extends": ({"code": template.extends.code, "version": template.extends.version} if template.extends else None),
        "sections": [
            {
                "code": s.code,
                "title": s.title.to_dict() if s.title else None,
                "items": [_item_to_dict(i) for i in s.items],
            }
            for s in template.sections
        ],
    }


def items_for(template: Template, facility_type: str) -> list[Item]:
    """Items of the template that apply to `facility_type`, in template order."""
    if facility_type not in FACILITY_TYPES:
        raise ValueError(f"unknown facility type {facility_type!r}; expected one of {list(FACILITY_TYPES)}")
    return [it for sec in template.sections for it in sec.items if it.applies(facility_type)]


def merge_templates(national: Template, regional: Template) -> Template:
    """National template plus a regional extension's added items and sections.

    The result carries the regional code/version/title and `extends` pointing at the
    national version. Raises TemplateError if the regional template extends another
    template or version, or reuses (i.e. would redefine) a national item code or
    section title.
    """
    if national.extends is not None:
        raise TemplateError(f"{national.code!r} is itself an extension; merge onto a national template",
                            "extends_extension", code=national.code)
    ref = regional.extends
    if ref is None:
        raise TemplateError(f"{regional.code!r} has no 'extends'; it is not a regional extension", "extends_missing",
                            code=regional.code)
    if (ref.code, ref.version) != (national.code, national.version):
        raise TemplateError(
            f"{regional.code!r} extends {ref.code} v{ref.version}, not {national.code} v{national.version}",
            "extends_other", extends=f"{ref.code} v{ref.version}", national=f"{national.code} v{national.version}")
    national_codes = national.items_by_code
    sections = {s.code: s for s in national.sections}
    order = [s.code for s in national.sections]
    for rsec in regional.sections:
        for item in rsec.items:
            if item.code in national_codes:
                raise TemplateError(
                    f"{regional.code!r}: item {item.code!r} already exists in {national.code} "
                    f"v{national.version}; regional templates may add items but not redefine or remove national ones",
                    "item_redefined", code=item.code)
        base = sections.get(rsec.code)
        if base is None:
            if rsec.title is None:
                raise TemplateError(f"{regional.code!r}: new section {rsec.code!r} needs a title",
                                    "section_title_missing", section=rsec.code)
            sections[rsec.code] = rsec
            order.append(rsec.code)
        else:
            if rsec.title is not None and rsec.title != base.title:
                raise TemplateError(
                    f"{regional.code!r}: section {rsec.code!r} would redefine the national section title",
                    "section_title_redefined", section=rsec.code)
            sections[rsec.code] = Section(base.code, base.title, base.items + rsec.items)
    return Template(
        code=regional.code,
        version=regional.version,
        title=regional.title,
        sections=tuple(sections[c] for c in order),
        extends=TemplateRef(national.code, national.version),
    )


def rebase_extension(merged: Template, old_national: Template, new_national: Template,
                     version: int) -> tuple[Template, Template, tuple[str, ...]]:
    """A regional template that was merged onto `old_national`, merged again onto `new_national`.

    The region's own part (the sections and items `old_national` did not have) is kept; an item the new national
    version now defines itself is dropped from it, because the national wording wins. Returns the merged template,
    the region's own part as an extension of `new_national` (what a supervisor would upload), and the dropped item
    codes. Raises TemplateError when the region's part no longer fits (as merge_templates does).
    """
    old_items, new_items = old_national.items_by_code, new_national.items_by_code
    own: list[Section] = []
    dropped: list[str] = []
    for sec in merged.sections:
        items = []
        for item in sec.items:
            if item.code in old_items:
                continue
            if item.code in new_items:
                dropped.append(item.code)
                continue
            items.append(item)
        if not items:
            continue
        # A section the new national has gets the region's items without a title; one it no longer has (or the
        # region's own) keeps the title it had.
        title = None if new_national.section(sec.code) is not None else sec.title
        if items or title is not None:
            own.append(Section(sec.code, title, tuple(items)))
    extension = Template(code=merged.code, version=version, title=merged.title, sections=tuple(own),
                         extends=TemplateRef(new_national.code, new_national.version))
    return merge_templates(new_national, extension), extension, tuple(dropped)

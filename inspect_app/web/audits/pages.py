"""Page data of the audit views: a checklist's answers and items as plain rows for the templates."""

from typing import Any

import forms
from inspect_app.models import Audit
from inspect_app.services import checklists
from inspect_app.services.audits import draft_score


def critical_failure_names(audit: Audit, lang: str = "ru") -> list[str]:
    """The failed critical items by their text in `lang` (the code only when the template lacks the item)."""
    items = checklists.parsed(audit.template).items_by_code
    return [items[code][1].text.get(lang) if code in items else code for code in audit.critical_failures or []]


def item_names(audit: Audit, codes, lang: str = "ru") -> list[tuple[str, str]]:
    """(code, text in `lang`) of checklist items named by code, e.g. those a review returned; the code alone
    when the audit's template lacks the item."""
    items = checklists.parsed(audit.template).items_by_code
    return [(code, items[code][1].text.get(lang) if code in items else code) for code in codes]


def answer_sections(audit: Audit, lang: str = "ru") -> list[dict[str, Any]]:
    """Answers grouped by section, as the audit page shows them, in the audit's own template version."""
    template = checklists.parsed(audit.template)
    answers = audit.answers or {}
    scores = audit.section_scores if audit.is_submitted else {s.code: s.score for s in draft_score(audit).sections}
    out = []
    for section in template.sections:
        rows = []
        for item in section.items:
            if not item.applies(audit.facility.type):
                continue
            answer = answers.get(item.code)
            rows.append({
                "code": item.code, "text": item.text.get(lang), "severity": item.severity,
                "answer": forms.answer_display(item, answer, lang), "outcome": forms.outcome(item, answer),
                "comment": (answer or {}).get("comment", "") if isinstance(answer, dict) else "",
                "photos": (answer or {}).get("photos", []) if isinstance(answer, dict) else [],
            })
        out.append({"code": section.code, "title": section.title.get(lang) if section.title else section.code,
                    "score": scores.get(section.code), "items": rows})
    return out


def form_items(audit: Audit, lang: str = "ru") -> list[dict[str, Any]]:
    """The draft's checklist as plain data for the field form: sections with their applicable items."""
    return template_items(checklists.parsed(audit.template), audit.facility.type, lang)


def template_items(template, facility_type: str, lang: str = "ru") -> list[dict[str, Any]]:
    """A checklist version's sections and the items that apply to a facility type, as the field form shows them
    (the audit's fill page, and the preview of an uploaded version)."""
    out = []
    for section in template.sections:
        items = []
        for item in section.items:
            if not item.applies(facility_type):
                continue
            items.append({
                "code": item.code, "kind": item.kind, "severity": item.severity, "text": item.text.get(lang),
                "hint": item.hint.get(lang) if item.hint else "", "allow_na": item.allow_na,
                "required": item.required, "photo_required_on_fail": item.photo_required_on_fail,
                "min": item.min, "max": item.max, "unit": item.unit or "",
                "options": [{"code": o.code, "label": o.label.get(lang), "fails": o.fails} for o in item.options],
            })
        if items:
            out.append({"code": section.code, "title": section.title.get(lang) if section.title else section.code,
                        "items": items})
    return out

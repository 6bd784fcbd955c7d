"""Report parts from a checklist template and its answers, scored by `forms`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from exports.i18n import LANGS
from exports.pdf.model import (
    STATUS_FAILED,
    STATUS_NA,
    STATUS_NOTED,
    STATUS_PASSED,
    STATUS_UNANSWERED,
    ReportItem,
    ReportSection,
    ReportViolation,
)
from forms import answer_display, derive_violations, item_outcomes, score
from forms.answers import FAIL, NA, PASS


def legal_ref(item: Any) -> dict[str, str]:
    """An item's legal reference in each report language (empty strings when it has none)."""
    return {lang: item.legal_ref_in(lang) for lang in LANGS}


def report_parts_from_forms(
    template: Any,
    facility_type: str,
    answers: Mapping[str, Any],
    inspection_date: date,
    **violation_options: Any,
) -> dict[str, Any]:
    """AuditReport fields derived from a forms.Template and its answers.

    Returns sections, items, violations, overall_score, result and
    critical_failures, ready for ``AuditReport(**parts, facility=..., ...)``;
    texts stay trilingual so one set of parts renders in any language.
    `violation_options` go to forms.derive_violations (deadlines, responsible).
    """
    result = score(template, facility_type, answers)
    statuses = {PASS: STATUS_PASSED, FAIL: STATUS_FAILED, NA: STATUS_NA, None: STATUS_UNANSWERED}
    items = [
        ReportItem(
            section=entry.section.code,
            code=entry.item.code,
            text=entry.item.text,
            answer={lang: answer_display(entry.item, entry.answer, lang) for lang in LANGS},
            # Free text is recorded, never passed or failed.
            status=STATUS_NOTED if entry.item.kind == "text" and entry.outcome == PASS else statuses[entry.outcome],
            severity=entry.item.severity,
            comment=(entry.answer.get("comment") or "") if isinstance(entry.answer, Mapping) else "",
            legal_ref=legal_ref(entry.item),
        )
        for entry in item_outcomes(template, facility_type, answers)
    ]
    violations = [
        ReportViolation(
            item_text=v.item_text,
            corrective_action=v.corrective_action,
            responsible=v.responsible,
            deadline=v.due_date,
            severity=v.severity,
            item_code=v.item_code,
            legal_ref=legal_ref(template.items_by_code[v.item_code][1]),
        )
        for v in derive_violations(template, facility_type, answers, inspection_date, **violation_options)
    ]
    by_code = template.items_by_code
    return {
        "sections": [
            ReportSection(s.code, s.title, result.section(s.code).score if result.section(s.code) else None)
            for s in template.sections
        ],
        "items": items,
        "violations": violations,
        "overall_score": result.overall,
        "result": result.result,
        "critical_failures": [by_code[c][1].text for c in result.critical_failures],
    }

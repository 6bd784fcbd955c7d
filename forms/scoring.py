"""Scoring of a filled checklist and derivation of violations. Rules: forms/README.md."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from forms.answers import FAIL, NA, PASS, outcome
from forms.model import I18nText, Item, Section, Template, items_for

SEVERITY_WEIGHTS = {"critical": 5, "major": 3, "minor": 1}
DEFAULT_DEADLINE_DAYS = {"critical": 10, "major": 30, "minor": 60}
FAIL_BELOW = 70.0

RESULT_PASS = "pass"
RESULT_PASS_WITH_VIOLATIONS = "pass_with_violations"
RESULT_FAIL = "fail"


@dataclass(frozen=True)
class SectionScore:
    """Score of one section; `score` is None when nothing in it was scorable."""

    code: str
    score: float | None
    passed: int
    failed: int
    na: int
    unanswered: int
    points: int
    max_points: int


@dataclass(frozen=True)
class ScoreResult:
    """Overall and per-section scores in percent, failures, and the verdict."""

    overall: float | None
    sections: tuple[SectionScore, ...]
    critical_failures: tuple[str, ...]
    failed_items: tuple[str, ...]
    result: str
    complete: bool

    def section(self, code: str) -> SectionScore | None:
        """The score of the section with this code, or None."""
        return next((s for s in self.sections if s.code == code), None)


@dataclass(frozen=True)
class ItemOutcome:
    """One applicable item of a filled checklist: its section, the answer given and its outcome (None: unanswered)."""

    section: Section
    item: Item
    answer: Any
    outcome: str | None


def item_outcomes(template: Template, facility_type: str, answers: Mapping[str, Any]) -> Iterator[ItemOutcome]:
    """Every item that applies to the facility type, in template order, with its answer and outcome."""
    applicable = {it.code for it in items_for(template, facility_type)}
    for sec in template.sections:
        for item in sec.items:
            if item.code in applicable:
                answer = answers.get(item.code)
                yield ItemOutcome(sec, item, answer, outcome(item, answer))


def _percent(points: int, max_points: int) -> float | None:
    return round(100.0 * points / max_points, 1) if max_points else None


def score(
    template: Template,
    facility_type: str,
    answers: Mapping[str, Any],
    *,
    fail_below: float = FAIL_BELOW,
    weights: Mapping[str, int] | None = None,
) -> ScoreResult:
    """Score the answers (see forms/README.md for the rule); invalid answers count as unanswered."""
    weights = dict(SEVERITY_WEIGHTS if weights is None else weights)
    by_section: dict[str, list[ItemOutcome]] = {sec.code: [] for sec in template.sections}
    for entry in item_outcomes(template, facility_type, answers):
        by_section[entry.section.code].append(entry)
    sections = []
    critical: list[str] = []
    failed: list[str] = []
    total_points = total_max = 0
    complete = True
    for sec in template.sections:
        passed = nfailed = na = unanswered = points = max_points = 0
        for entry in by_section[sec.code]:
            item, result = entry.item, entry.outcome
            if result is None:
                unanswered += 1
                complete = complete and not item.required
                continue
            if result == NA:
                na += 1
                continue
            if item.kind == "text":
                # Free text never fails, so counting it would only inflate the score.
                continue
            weight = weights[item.severity]
            max_points += weight
            if result == PASS:
                passed += 1
                points += weight
            elif result == FAIL:
                nfailed += 1
                failed.append(item.code)
                if item.severity == "critical":
                    critical.append(item.code)
        total_points += points
        total_max += max_points
        sections.append(
            SectionScore(sec.code, _percent(points, max_points), passed, nfailed, na, unanswered, points, max_points)
        )
    overall = _percent(total_points, total_max)
    if critical or (overall is not None and overall < fail_below):
        verdict = RESULT_FAIL
    elif failed:
        verdict = RESULT_PASS_WITH_VIOLATIONS
    else:
        verdict = RESULT_PASS
    return ScoreResult(overall, tuple(sections), tuple(critical), tuple(failed), verdict, complete)


@dataclass(frozen=True)
class ViolationDraft:
    """A violation derived from a failed item, before the app stores it."""

    item_code: str
    section: str
    severity: str
    item_text: I18nText
    corrective_action: I18nText
    responsible: str
    due_date: date
    legal_ref: str | None  # in Russian, the language of the stored record
    answer_value: Any
    comment: str
    photos: tuple[Any, ...]


def derive_violations(
    template: Template,
    facility_type: str,
    answers: Mapping[str, Any],
    inspection_date: date,
    *,
    deadlines: Mapping[str, int] | None = None,
    responsible: str = "facility_head",
) -> list[ViolationDraft]:
    """One ViolationDraft per failed applicable item, in template order.

    Deadline = inspection_date + the item's own `deadline_days` if set, else the
    days for its severity from `deadlines` (defaults: critical 10, major 30,
    minor 60). `responsible` is a role code (default the facility head).
    """
    days_by_severity = {**DEFAULT_DEADLINE_DAYS, **(deadlines or {})}
    out = []
    for entry in item_outcomes(template, facility_type, answers):
        if entry.outcome != FAIL:
            continue
        item, answer = entry.item, entry.answer
        days = item.deadline_days or days_by_severity[item.severity]
        out.append(
            ViolationDraft(
                item_code=item.code,
                section=entry.section.code,
                severity=item.severity,
                item_text=item.text,
                corrective_action=item.corrective_action,
                responsible=responsible,
                due_date=inspection_date + timedelta(days=days),
                legal_ref=item.legal_ref_in("ru") or None,
                answer_value=answer.get("value"),
                comment=(answer.get("comment") or "").strip(),
                photos=tuple(answer.get("photos") or ()),
            )
        )
    return out


def followup_due(violations: Iterable[ViolationDraft]) -> date | None:
    """Date of the follow-up inspection: the day after the latest critical deadline, or None.

    The latest deadline is used so that one follow-up visit can verify every
    critical correction.
    """
    deadlines = [v.due_date for v in violations if v.severity == "critical"]
    return max(deadlines) + timedelta(days=1) if deadlines else None

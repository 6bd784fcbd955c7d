"""The label registry: every code a person reads has one label in `inspect_app/labels/`, and no second home."""

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

import forms
from exports import route_sheet
from exports.pdf import model as pdf_model
from inspect_app.labels import LABELS, ROUTE_SHEET_LABELS, label, route_sheet_labels
from inspect_app.models import audit, job, notification, prescription, review, route, schedule, vocab
from inspect_app.services.audits import reports  # noqa: F401 (registers the report_batch task)
from inspect_app.services.jobs import TASKS
from inspect_app.services.schedules import build  # noqa: F401 (registers the schedule tasks)
from inspect_app.services.schedules.capacity import REASON_GROUPS
from inspect_app.services.schedules.route import RELEASE_CHOICES

ROOT = Path(__file__).resolve().parents[2]

# Each vocabulary the app stores or computes, beside the registry's kind that labels it.
VOCABULARIES = {
    "type": forms.FACILITY_TYPES,
    "agency": vocab.AGENCIES,
    "risk": vocab.RISKS,
    "status": vocab.FACILITY_STATUSES,
    "skill": vocab.SKILLS,
    "role": vocab.ROLES,
    "basis": audit.LEGAL_BASES,
    "reason": audit.UNPLANNED_REASONS,
    "result": audit.AUDIT_RESULTS,
    "audit_status": audit.AUDIT_STATUSES,
    "severity": forms.SEVERITIES,
    "violation_status": audit.VIOLATION_STATUSES,
    "review_outcome": tuple(review.ReviewOutcome),
    "item_status": (pdf_model.STATUS_PASSED, pdf_model.STATUS_FAILED, pdf_model.STATUS_NA,
                    pdf_model.STATUS_NOTED, pdf_model.STATUS_UNANSWERED),
    "job_status": (*job.JOB_STATUSES, "stalled"),
    "notify_event": tuple(notification.EventKind),
    "notify_delivery": tuple(notification.Delivery),
    "mail_status": tuple(notification.MailStatus),
    "hook_status": tuple(notification.HookStatus),
    "schedule_status": schedule.SCHEDULE_STATUSES,
    "revision_kind": schedule.REVISION_KINDS,
    "urgent_reason": schedule.URGENT_REASONS,
    "visit_status": (*schedule.VISIT_STATUSES, "phone"),
    "not_done_reason": schedule.NOT_DONE_REASONS,
    "read_channel": route.ACCESS_CHANNELS,
    "route_release": RELEASE_CHOICES,
    "item_state": tuple(prescription.ItemState),
    "prescription_event": tuple(prescription.EventKind),
    "unscheduled_group": (*(group for group, _words in REASON_GROUPS), "other"),
}


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_every_code_has_exactly_one_label(kind):
    """Does the registry label each code of the vocabulary, and nothing that is not one of its codes?"""
    assert sorted(LABELS[kind]) == sorted(set(VOCABULARIES[kind]))


def test_every_job_kind_has_a_label():
    """Does every kind of background job the worker runs have a name on the jobs page?"""
    assert {kind for kind in TASKS if not kind.startswith("test_")} == set(LABELS["job_kind"])


@pytest.mark.parametrize("kind", sorted(LABELS))
def test_codes_of_one_vocabulary_read_differently(kind):
    """Could a person tell two codes of one vocabulary apart by their labels?"""
    words = [str(text) for text in LABELS[kind].values()]
    assert len(words) == len(set(words)), words


def _code_dicts(path: Path):
    """Dict literals of a module whose keys are all strings and whose values are all translated texts."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict) and node.keys and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys) and all(
                isinstance(v, ast.Call) and getattr(v.func, "id", "") in ("_", "_l", "gettext", "lazy_gettext")
                for v in node.values):
            yield node.lineno, {k.value for k in node.keys}


def test_no_module_labels_codes_of_its_own():
    """Is the registry the only Python module that maps a vocabulary's codes to words?"""
    codes = {kind: set(values) for kind, values in VOCABULARIES.items()}
    found = []
    for path in sorted((ROOT / "inspect_app").rglob("*.py")):
        if ROOT / "inspect_app" / "labels" in path.parents or "migrations" in path.parts:
            continue
        for line, keys in _code_dicts(path):
            for kind, known in codes.items():
                if len(keys) >= 2 and keys <= known:
                    found.append(f"{path.relative_to(ROOT)}:{line} labels {kind}")
    assert not found


def test_no_template_labels_codes_of_its_own():
    """Does no template hold a dict of translated words by code (they ask the `label` filter instead)?"""
    literal = re.compile(r"\{\s*'[a-z_0-9]+'\s*:\s*_\(")
    found = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "inspect_app" / "templates").rglob("*.html"))
             if literal.search(path.read_text(encoding="utf-8"))]
    assert not found


def test_exports_hold_no_words_of_their_own():
    """Does the route sheet take its headings from the caller, as the audit report does (no language table)?"""
    source = (ROOT / "exports" / "route_sheet.py").read_text(encoding="utf-8")
    assert not re.search(r"['\"](ru|kk|en)['\"]\s*:", source)
    assert set(route_sheet.LABEL_KEYS) == set(ROUTE_SHEET_LABELS)


def test_route_sheet_labels_follow_the_language(app):
    """Are the route sheet's headings the catalog's words in the language asked for?"""
    with app.test_request_context():
        with force_locale("kk"):
            kk = route_sheet_labels()
        with force_locale("en"):
            en = route_sheet_labels()
    assert kk["title"] == "Маршрут парағы" and en["title"] == "Route sheet"
    assert en["secret"] == "Confidential: never show to the facilities inspected."


def test_a_not_done_reason_has_one_wording(app):
    """Do the inspector's form and the schedule pages word a refused entry the same way (one label)?"""
    with app.test_request_context():
        assert label("refused_entry", "not_done_reason") == "Недопуск инспектора на объект"
        rendered = app.jinja_env.from_string(
            '{% from "schedules/_labels.html" import not_done_label %}{{ not_done_label("refused_entry") }}').render()
    assert rendered == "Недопуск инспектора на объект"


@pytest.mark.parametrize("lang, distance, hours", [("ru", "0,1–2,3 км", "8,0"), ("kk", "0,1–2,3 км", "8,0"),
                                                   ("en", "0.1–2.3 km", "8.0")])
def test_fairness_groups_write_numbers_as_the_language_does(app, lang, distance, hours):
    """Do the review page's fairness groups write their bounds with the language's decimal sign, as the page's
    kilometres do ("0.1–2.3 км" and "8.0 ч" showed on the Russian page)?"""
    from inspect_app.labels.fairness import fairness_group

    with app.test_request_context(f"/?lang={lang}"):
        assert fairness_group("distance", {"key": "d1", "range": [0.1, 2.3]}) == distance
        assert f" {hours} " in fairness_group("window", {"key": "wide", "range": [480, 480]})

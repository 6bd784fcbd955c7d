"""Submitting an audit: the final check of the answers, the score, each failed item turned into a violation
with its corrective order and deadline, the facility's inspection dates, and the record frozen into the chain.

A submitted audit is never edited: a correction is a new audit that names the one it corrects (corrections.py).
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import forms
from inspect_app.database import keeping_loaded, unique_violated
from inspect_app.models import Audit, AuditStatus, Facility, User, Violation, ViolationStatus
from inspect_app.models import setting as settings_values
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.access import require_audit_writer
from inspect_app.services.audits.act import complete_act, inspecting_body, take_act_fields
from inspect_app.services.audits.chain import append, lock_head, utc_seconds
from inspect_app.services.audits.drafts import answer_errors, check_draft_writer, merged_answers
from inspect_app.services.errors import Conflict, InvalidInput
from inspect_app.services.notifications import audit_resource, emit
from inspect_app.services.prescriptions.issue import after_submit as issue_prescription
from inspect_app.services.registry.history import record_change
from inspect_app.services.statistics import tally

UUID_USED_ELSEWHERE = "This client_uuid was already used to submit another audit."


def submit(session: Session, user: User, audit: Audit, data: dict[str, Any], *, commit: bool = True) -> Audit:
    """Validate a draft as final, score it, derive its violations, freeze it into the hash chain; commits.

    The record becomes the act on the results (act.py): an element it lacks (the order for an ordered
    inspection, positions, the representative, their signature or refusal, the inspector's signature) is
    refused with 422 naming each field; the region's inspectorate and the facility's address are copied in.

    Idempotent: the same `client_uuid` again returns the submitted audit unchanged. An audit already
    submitted under another uuid, a draft whose template version is no longer the newest (409: move it
    with `upgrade_template` and check the answers), or invalid final answers (422, errors per item code)
    are refused and nothing changes. On success the facility's `last_inspection_date` and
    `followup_due_date` follow this audit when it is the facility's newest.
    """
    require_audit_writer(user)
    submit_uuid = str(data["client_uuid"])
    # Lock the row and re-read it: a save or a repeat of this submit racing it either committed before (and is
    # hashed now) or waits, then finds the audit submitted. The chain head is locked only at the end, for the
    # hash itself, so that submits of different audits validate and score in parallel.
    session.refresh(audit, with_for_update=True)
    if audit.is_submitted:
        if audit.submit_uuid == submit_uuid:
            session.rollback()
            return audit
        raise Conflict("The audit is already submitted; a second submission is refused.", "client_uuid")
    answers, saved_at = _final_answers(session, user, audit, data)

    facility = audit.facility
    # Its inspection dates follow this audit: locked and re-read, as a submit of another audit of the same
    # facility may have moved them (the facility's version would refuse a write over a stale copy).
    session.refresh(facility, with_for_update=True)
    _take_final_record(audit, facility, data, answers, saved_at)
    drafts = _score_and_violations(audit, facility, answers)
    # A uuid that already submitted another audit is refused by its unique index, whenever that one committed
    # (before this request, or at this very moment): one check, at the first write of the uuid.
    try:
        audit.status = AuditStatus.SUBMITTED
        audit.submit_uuid = submit_uuid
        audit.submitted_at = utc_seconds(data.get("submitted_at") or utcnow())
        touched = {facility.id, *_supersede_open_violations(session, audit)}
        _update_facility(session, user, facility, audit, forms.followup_due(drafts))
        tally.count_submitted(session, audit, facility)
        session.flush()  # everything but the link, written before the chain head is locked
        tally.count_violations(session, audit, facility)  # with the ids the flush gave them
        tally.recount_open_critical(session, touched)  # the facility's row is locked above
        head = lock_head(session)
        append(session, audit, head)
        issue_prescription(session, user, audit)
    except sa.exc.IntegrityError as exc:
        if unique_violated(exc, "audit", "submit_uuid"):
            raise Conflict(UUID_USED_ELSEWHERE, "client_uuid") from exc
        raise
    _tell(session, audit)
    if commit:
        with keeping_loaded(session):  # the answer is written from the record just hashed, not loaded again
            session.commit()
    return audit


def _supersede_open_violations(session: Session, audit: Audit) -> set[int]:
    """A correction replaces its original's open violations; returns the facilities they belong to."""
    facilities = set()
    if audit.supersedes_id is not None:
        for violation in audit.supersedes.violations:
            if violation.status == ViolationStatus.OPEN:
                violation.status = ViolationStatus.SUPERSEDED
                tally.violation_status_changed(session, violation, ViolationStatus.OPEN)
                facilities.add(violation.facility_id)
    return facilities


def _take_final_record(audit: Audit, facility: Facility, data: dict[str, Any], answers: dict, saved_at) -> None:
    """Put the act's elements (refused, 422 naming each, when one is missing), the representatives, notes,
    check-out and the final answers on the draft."""
    take_act_fields(audit, data)
    complete_act(audit, inspecting_body(audit.region), facility.address)
    for key in ("representatives", "notes", "check_out_at"):
        if key in data:
            setattr(audit, key, utc_seconds(data[key]) if key == "check_out_at" else data[key])
    audit.answers, audit.answers_saved_at = answers, saved_at
    audit.check_out_at = audit.check_out_at or utc_seconds(data.get("submitted_at") or utcnow())


def _final_answers(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> tuple[dict, Any]:
    """The draft's answers merged with the submitted ones, checked as final: (answers, saved at).

    Refused: a writer who may not submit this draft, a stale version, a template no longer the newest
    (Conflict "template_outdated"), invalid final answers (InvalidInput, errors per item code).
    """
    check_draft_writer(user, audit, data.get("version"))
    template_row = audit.template
    if not checklists.is_latest(session, template_row):
        raise Conflict(
            f"The checklist {template_row.code} v{template_row.version} was replaced by a newer version: "
            "refresh the form (POST /api/v1/audits/<id>/upgrade-template), check the answers and submit again.",
            "template_outdated",
        )
    answers, saved_at = merged_answers(audit, data.get("answers"), data.get("answers_saved_at"))
    errors = answer_errors(audit, answers, final=True)
    if errors:
        raise InvalidInput("The checklist cannot be submitted yet.", errors=errors)
    return answers, saved_at


def _score_and_violations(audit: Audit, facility: Facility, answers: dict) -> list:
    """Score the audit and add a violation for each failed item, with its corrective order and the deadline the
    settings give its severity (fixed now, never re-derived); returns the derived drafts."""
    template = checklists.parsed(audit.template)
    result = forms.score(template, facility.type, answers)
    audit.score_overall = result.overall
    audit.section_scores = {s.code: s.score for s in result.sections}
    audit.critical_failures = list(result.critical_failures)
    audit.result = result.result
    drafts = forms.derive_violations(template, facility.type, answers, audit.inspection_date,
                                     deadlines=settings_values.deadlines())
    for draft in drafts:
        audit.violations.append(Violation(
            facility_id=facility.id, item_code=draft.item_code, section=draft.section, severity=draft.severity,
            item_text=draft.item_text.to_dict(), corrective_action=draft.corrective_action.to_dict(),
            responsible=draft.responsible, due_date=draft.due_date, legal_ref=draft.legal_ref,
            status=ViolationStatus.OPEN))
    return drafts


def _update_facility(session: Session, user: User, facility: Facility, audit: Audit,
                     followup: date | None) -> None:
    """Let the facility's newest audit set its last inspection and follow-up dates (the scheduler reads them)."""
    if facility.last_inspection_date is not None and audit.inspection_date < facility.last_inspection_date:
        return
    # The map's colour: the newest audit's result (a summary, so not in the facility's history).
    facility.last_audit_id, facility.last_result = audit.id, audit.result
    changes = {}
    if facility.last_inspection_date != audit.inspection_date:
        changes["last_inspection_date"] = [_plain(facility.last_inspection_date), audit.inspection_date.isoformat()]
        facility.last_inspection_date = audit.inspection_date
    if facility.followup_due_date != followup:
        changes["followup_due_date"] = [_plain(facility.followup_due_date), _plain(followup)]
        facility.followup_due_date = followup
    if changes:
        record_change(session, "facility", facility.id, "update", changes, user if user.id else None,
                      note=f"audit #{audit.id}")


def _plain(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tell(session: Session, audit: Audit) -> None:
    """Queue the submission's notifications in its transaction: the region's supervisors hear of a critical
    violation at once; webhooks and digests of every submission."""
    resource = audit_resource(audit)
    emit(session, EventKind.AUDIT_SUBMITTED, resource, region_id=audit.region_id)
    if any(v.severity == "critical" for v in audit.violations):
        emit(session, EventKind.CRITICAL_VIOLATION, resource, region_id=audit.region_id)

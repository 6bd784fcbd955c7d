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
from inspect_app.models import Audit, Facility, User, Violation
from inspect_app.models import setting as settings_values
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.access import require_audit_writer
from inspect_app.services.audits.chain import append, lock_head, utc_seconds
from inspect_app.services.audits.drafts import answer_errors, check_draft_writer, merged_answers
from inspect_app.services.errors import Conflict, InvalidInput
from inspect_app.services.registry.history import record_change
from inspect_app.services.statistics import tally

UUID_USED_ELSEWHERE = "This client_uuid was already used to submit another audit."


def submit(session: Session, user: User, audit: Audit, data: dict[str, Any], *, commit: bool = True) -> Audit:
    """Validate a draft as final, score it, derive its violations, freeze it into the hash chain; commits.

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

    template = checklists.parsed(template_row)
    facility = audit.facility
    # Its inspection dates follow this audit: locked and re-read, as a submit of another audit of the same
    # facility may have moved them (the facility's version would refuse a write over a stale copy).
    session.refresh(facility, with_for_update=True)
    for key in ("representatives", "notes", "check_out_at"):
        if key in data:
            setattr(audit, key, utc_seconds(data[key]) if key == "check_out_at" else data[key])
    audit.answers, audit.answers_saved_at = answers, saved_at
    audit.check_out_at = audit.check_out_at or utc_seconds(data.get("submitted_at") or utcnow())
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
            responsible=draft.responsible, due_date=draft.due_date, legal_ref=draft.legal_ref, status="open"))
    # A uuid that already submitted another audit is refused by its unique index, whenever that one committed
    # (before this request, or at this very moment): one check, at the first write of the uuid.
    try:
        audit.status = "submitted"
        audit.submit_uuid = submit_uuid
        audit.submitted_at = utc_seconds(data.get("submitted_at") or utcnow())
        if audit.supersedes_id is not None:
            for violation in audit.supersedes.violations:
                if violation.status == "open":
                    violation.status = "superseded"
        _update_facility(session, user, facility, audit, forms.followup_due(drafts))
        tally.count_submitted(session, audit, facility)
        session.flush()  # everything but the link, written before the chain head is locked
        head = lock_head(session)
        append(session, audit, head)
    except sa.exc.IntegrityError as exc:
        if unique_violated(exc, "audit", "submit_uuid"):
            raise Conflict(UUID_USED_ELSEWHERE, "client_uuid") from exc
        raise
    if commit:
        with keeping_loaded(session):  # the answer is written from the record just hashed, not loaded again
            session.commit()
    return audit


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

"""Audits (inspections): drafts, answers, photos, submission into the hash chain, corrections, scoping.

Every write checks the user's rights and the input first and changes nothing when either fails; then it
writes in one transaction and commits. A submitted audit is never edited: a correction is a new audit
that names the one it corrects.
"""

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.orm import Session

import forms
from inspect_app.database import keeping_loaded, unique_violated
from inspect_app.models import Audit, AuditPhoto, Facility, Region, User, Violation
from inspect_app.models.facility import with_merged
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.access import (  # noqa: F401  (audit_filter, require_audit_writer: public names here too)
    audit_filter,
    is_storable_id,
    may_edit_draft,
    may_read_audit,
    may_resolve_violation,
    may_search_facilities_to_inspect,
    require_audit_writer,
    sees_all_regions,
)
from inspect_app.services.audit_chain import append, lock_head, utc_seconds
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from inspect_app.services.history import record_change
from inspect_app.services.search import facility_matches

DRAFT_FIELDS = (
    "legal_basis", "basis_reason", "signal_source", "signal_date", "signal_anonymous", "prosecutor_reg_number",
    "check_in_at", "check_out_at", "gps_lat", "gps_lon", "gps_accuracy_m", "representatives", "notes",
    "schedule_visit_id",
)


# ---------------------------------------------------------------- scoping (the rules are in services/access.py)

may_read = may_read_audit


def get_audit(session: Session, user: User, audit_id: int) -> Audit:
    """The audit with this id, or NotFound when it is missing or outside the user's scope."""
    audit = session.get(Audit, audit_id)
    if audit is None or not may_read(user, audit):
        raise NotFound("Audit not found.")
    return audit


class StaleDraft(Conflict):
    """A write based on an older version of the draft; `audit` is the current one, which the 409 carries."""

    def __init__(self, audit: Audit, version: int):
        super().__init__(f"The draft changed since version {version} (now version {audit.version}): merge your "
                         "unsent answers into the current state sent with this answer and save again.", "version")
        self.audit = audit


def check_draft_writer(user: User, audit: Audit, version: int | None = None) -> None:
    """Refuse a write to this audit unless it is a draft, the user wrote it, and `version` (if any) is current."""
    require_audit_writer(user)
    if audit.is_submitted:
        raise Conflict("The audit is submitted and frozen; file a correction instead.", "status")
    # Drafts without an author exist only inside the demo generator's transaction.
    if audit.user_id is not None and not may_edit_draft(user, audit):
        raise Forbidden("Only the author of a draft may change it.")
    if version is not None and version != audit.version:
        raise StaleDraft(audit, version)


def lock_draft(session: Session, user: User, audit: Audit, version: int | None = None) -> Audit:
    """Lock the audit's row until the transaction ends, re-read it, and check the user may still write it.

    The check must follow the lock: a copy read before it may predate a concurrent submit.
    """
    session.refresh(audit, with_for_update=True)
    check_draft_writer(user, audit, version)
    return audit


# ---------------------------------------------------------------- listing


def audit_query(user: User, args: dict[str, Any]) -> sa.Select:
    """A select of the audits the user may see, filtered as `AuditQueryArgsSchema` says, newest first."""
    query = sa.select(Audit).where(audit_filter(user))
    if args.get("facility_id"):
        query = query.where(Audit.facility_id.in_(with_merged(args["facility_id"])))
    if args.get("inspector_id"):
        query = query.where(Audit.inspector_id == args["inspector_id"])
    if args.get("user_id"):
        query = query.where(Audit.user_id == args["user_id"])
    if args.get("region"):
        query = query.where(Audit.region.has(Region.kato == args["region"]))
    if args.get("date_from"):
        query = query.where(Audit.inspection_date >= args["date_from"])
    if args.get("date_to"):
        query = query.where(Audit.inspection_date <= args["date_to"])
    if args.get("result"):
        query = query.where(Audit.result == args["result"])
    if args.get("status"):
        query = query.where(Audit.status == args["status"])
    if args.get("q"):
        query = query.where(Audit.facility.has(facility_matches(args["q"].strip())))
    return query.order_by(Audit.inspection_date.desc(), Audit.id.desc()).options(
        so.joinedload(Audit.facility), so.joinedload(Audit.region))


def facilities_to_inspect(session: Session, user: User, q: str = "", limit: int = 20) -> list[Facility]:
    """Active facilities of the user's region (all regions for admins) matching a name or BIN, for a new audit.

    Inspectors never search the registry: they start audits from the stops of their route.
    """
    require_audit_writer(user)
    if not may_search_facilities_to_inspect(user):
        raise Forbidden("Inspectors start inspections from the stops of their route.")
    query = sa.select(Facility).where(Facility.archived_at.is_(None))
    if not sees_all_regions(user):
        query = query.where(Facility.region_id == user.region_id)
    text = (q or "").strip()
    if text:
        query = query.where(facility_matches(text))
    return list(session.scalars(query.order_by(Facility.name_ru).limit(limit)))


# ---------------------------------------------------------------- drafts


def _normalise_photo_ids(answer: dict[str, Any]) -> dict[str, Any]:
    photos = answer.get("photos")
    if isinstance(photos, list):
        ids = []
        for p in photos:
            pid = int(p) if isinstance(p, str) and p.isdigit() else p
            if pid not in ids:
                ids.append(pid)
        answer = {**answer, "photos": ids}
    return answer


def _iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def merged_answers(audit: Audit, changes: dict[str, Any] | None,
                   saved_at: dict[str, datetime] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The audit's answers and per-item save times with `changes` applied; the audit is not touched.

    An item set to None is cleared. Each change counts as saved at `saved_at[code]` (the client's clock, never
    later than the server's) or now; a change older than the item's stored save time is ignored, so a late,
    older save of an item never overwrites a newer one.
    """
    answers = {k: dict(v) if isinstance(v, dict) else v for k, v in (audit.answers or {}).items()}
    times = dict(audit.answers_saved_at or {})
    now = datetime.now(UTC)
    for code, answer in (changes or {}).items():
        when = _iso_utc(min((saved_at or {}).get(code) or now, now))
        if code in times and when < times[code]:
            continue
        times[code] = when
        if answer is None:
            answers.pop(code, None)
        elif isinstance(answer, dict):
            answers[code] = _normalise_photo_ids({k: v for k, v in answer.items() if v is not None or k == "value"})
        else:
            answers[code] = answer
    return answers, times


def answer_errors(audit: Audit, answers: dict[str, Any], *, final: bool) -> dict[str, list[str]]:
    """Problems of the answers as `{item_code: ["code: message"]}`, photo references included."""
    template = checklists.parsed(audit.template)
    errors: dict[str, list[str]] = {}
    for error in forms.validate_answers(template, audit.facility.type, answers, final=final):
        errors.setdefault(error.item_code, []).append(f"{error.code}: {error.message}")
    own = {p.id for p in audit.photos}
    for code, answer in answers.items():
        if isinstance(answer, dict) and isinstance(answer.get("photos"), list):
            unknown = [p for p in answer["photos"] if p not in own]
            if unknown:
                errors.setdefault(code, []).append(
                    f"unknown_photo: photo(s) {unknown} were not uploaded to this audit")
    return errors


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
                                     deadlines=current_app.config.get("AUDIT_DEADLINE_DAYS"))
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


def create_correction(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open a draft that corrects a submitted audit (its answers copied, its reason recorded); commits.

    The corrected audit stays as it was; submitting the correction appends a new link to the chain.
    Returns (draft, created); a repeated `client_uuid` returns the same draft. A record is corrected once
    (a unique index on `supersedes_id`): of concurrent corrections one wins, the others get its draft back
    when they repeat its uuid, or 409.
    """
    require_audit_writer(user)
    client_uuid = str(data["client_uuid"])
    existing = _correction_repeat(session, audit, client_uuid)
    if existing is not None:
        return existing, False
    if not audit.is_submitted:
        raise Conflict("Only a submitted audit can be corrected; edit the draft instead.", "status")
    _refuse_second_correction(session, audit)
    visit_details = {key: getattr(audit, key) for key in DRAFT_FIELDS}
    visit_details["representatives"] = list(audit.representatives)
    draft = Audit(
        client_uuid=client_uuid, facility_id=audit.facility_id, region_id=audit.region_id,
        template_id=audit.template_id, user_id=user.id, inspector_id=audit.inspector_id,
        inspector_name=audit.inspector_name, inspection_date=audit.inspection_date,
        supersedes_id=audit.id, correction_reason=data["reason"], **visit_details,
    )
    try:
        with session.begin_nested():
            session.add(draft)
    except sa.exc.IntegrityError:
        # A concurrent request inserted first: its uuid (a repeat) or another correction of this record.
        existing = _correction_repeat(session, audit, client_uuid)
        if existing is not None:
            return existing, False
        _refuse_second_correction(session, audit)
        raise
    # Photos are copied so the correction is a complete record of its own.
    id_map = {}
    for photo in session.scalars(sa.select(AuditPhoto).where(AuditPhoto.audit_id == audit.id)
                                 .options(so.undefer(AuditPhoto.data))):
        copy = AuditPhoto(audit_id=draft.id, item_code=photo.item_code, sha256=photo.sha256,
                          content_type=photo.content_type, size=photo.size, width=photo.width,
                          height=photo.height, caption=photo.caption, data=photo.data)
        session.add(copy)
        session.flush()
        id_map[photo.id] = copy.id
    draft.answers = {
        code: ({**answer, "photos": [id_map.get(p, p) for p in answer.get("photos", [])]}
               if isinstance(answer, dict) and answer.get("photos") else answer)
        for code, answer in (audit.answers or {}).items()
    }
    session.commit()
    return draft, True


def _correction_repeat(session: Session, audit: Audit, client_uuid: str) -> Audit | None:
    """The correction this uuid already made, None if the uuid is new; Conflict if it made something else."""
    existing = session.scalar(sa.select(Audit).where(Audit.client_uuid == client_uuid))
    if existing is not None and existing.supersedes_id != audit.id:
        raise Conflict("This client_uuid was already used for another audit.", "client_uuid")
    return existing


def _refuse_second_correction(session: Session, audit: Audit) -> None:
    newer = session.scalar(sa.select(Audit.id).where(Audit.supersedes_id == audit.id))
    if newer is not None:
        raise Conflict(f"Audit {audit.id} was already corrected by audit {newer}; correct that one.", "supersedes_id")


def resolve_violation(session: Session, user: User, violation_id: int, note: str = "") -> Violation:
    """Mark a violation resolved (the corrective action was done); commits. The audit record is untouched."""
    require_audit_writer(user)
    violation = session.get(Violation, violation_id)
    if violation is None or not may_read(user, violation.audit):
        raise NotFound("Violation not found.")
    if not may_resolve_violation(user, violation.audit):
        raise Forbidden("Only a supervisor of the region marks a violation corrected.")
    if violation.status != "resolved":
        violation.status = "resolved"
        violation.resolved_at = utcnow()
        violation.resolution_note = note[:1000]
        session.commit()
    return violation


# ---------------------------------------------------------------- reading


def draft_score(audit: Audit) -> forms.ScoreResult:
    """The score of the answers so far (submitted audits carry theirs in columns)."""
    return forms.score(checklists.parsed(audit.template), audit.facility.type, audit.answers or {})


def superseded_by(session: Session, audit: Audit) -> Audit | None:
    """The correction that replaced this audit, if any."""
    return session.scalar(sa.select(Audit).where(Audit.supersedes_id == audit.id))


def as_of(value: datetime | None) -> datetime | None:
    """Stored timestamps as aware UTC (SQLite returns them naive)."""
    return utc_seconds(value) if value else None

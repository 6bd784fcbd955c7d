"""Writing audit drafts safely when phones retry, two devices save at once and a save races the submit.

The promises, on SQLite and PostgreSQL alike:
- A create with a `client_uuid` that was seen before, or that is being created at this very moment by a
  concurrent request, answers with the audit it made (200), never a duplicate and never a 500. A create
  with an invalid answer writes nothing.
- Every write to a draft (`update_draft`, `add_photo`, `upgrade_template`, and `audits.submit`) locks the
  audit's row first (`SELECT ... FOR UPDATE`; SQLite's write lock, which a writing request takes at BEGIN)
  and checks the status under that lock, and the ORM conditions its UPDATE on the version it read. So a
  write racing a submit either lands before it (and is hashed with it) or answers 409 and changes nothing.
- Answers merge item by item. Each item's save carries the client's time (`answers_saved_at`); an older
  save of an item never replaces a newer one, and saves of different items never lose each other.
- A write that names the `version` it was based on is refused with 409 (`StaleDraft`, carrying the current
  state) when the draft changed since; without a version the write is merged as above.
- Only a draft's author may change it.
"""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import forms
from inspect_app.database import keeping_loaded
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Facility, ScheduleVisit, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.access import (
    check_facility_visible,
    is_inspector,
    is_storable_id,
    may_edit_draft,
    require_audit_writer,
)
from inspect_app.services.audits.act import ACT_FIELDS, SIGNATURE_FIELDS, take_act_fields
from inspect_app.services.audits.chain import utc_seconds
from inspect_app.services.audits.queries import may_read
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput

DRAFT_FIELDS = (
    "legal_basis", "basis_reason", "signal_source", "signal_date", "signal_anonymous", "prosecutor_reg_number",
    "check_in_at", "check_out_at", "gps_lat", "gps_lon", "gps_accuracy_m", "representatives", "notes",
    "schedule_visit_id",
)


# ---------------------------------------------------------------- who may write a draft, and when

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


# ---------------------------------------------------------------- answers

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


# ---------------------------------------------------------------- creating and saving


def _by_client_uuid(session: Session, client_uuid: str) -> Audit | None:
    return session.scalar(sa.select(Audit).where(Audit.client_uuid == client_uuid))


def _repeat(user: User, existing: Audit, facility_id: int) -> Audit:
    """The audit a repeated create returns, or Conflict when the uuid belongs to something else."""
    if not may_read(user, existing) or existing.facility_id != facility_id or existing.supersedes_id is not None:
        raise Conflict("This client_uuid was already used for another audit.", "client_uuid")
    return existing


def create_draft(session: Session, user: User, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open a draft audit of a facility against the latest template version, with its first answers; commits.

    Returns (audit, created). A `client_uuid` seen before, or inserted by a concurrent request, returns the
    audit it created (so a retry after a dropped connection never makes a second audit); the same uuid from
    another user is refused. Everything, answers included, is validated before anything is written.
    """
    require_audit_writer(user)
    client_uuid = str(data["client_uuid"])
    existing = _by_client_uuid(session, client_uuid)
    if existing is not None:
        return _repeat(user, existing, data["facility_id"]), False
    facility = check_facility_visible(user, session.get(Facility, data["facility_id"]))
    if facility.is_archived:
        raise InvalidInput("The facility is archived.", "facility_id")
    check_schedule_visit(session, user, facility.id, data.get("schedule_visit_id"))
    template = checklists.template_for_facility(session, facility)
    values = {k: data[k] for k in DRAFT_FIELDS if k in data}
    for key in ("check_in_at", "check_out_at"):
        if key in values:
            values[key] = utc_seconds(values[key])
    audit = Audit(
        client_uuid=client_uuid, facility=facility, region_id=facility.region_id, template=template,
        user_id=user.id, inspector_id=user.inspector.id if user.inspector else None,
        inspector_name=(user.inspector.full_name if user.inspector else "") or user.full_name or user.username,
        inspection_date=data.get("inspection_date") or today_almaty(), answers={}, answers_saved_at={},
        **{"representatives": [], **values},
    )
    if audit.check_in_at is None:
        audit.check_in_at = utc_seconds(utcnow())
    audit.answers, audit.answers_saved_at = merged_answers(audit, data.get("answers"), data.get("answers_saved_at"))
    errors = answer_errors(audit, audit.answers, final=False)
    if errors:
        raise InvalidInput("Some answers are not valid.", errors=errors)
    try:
        with session.begin_nested():
            session.add(audit)
    except sa.exc.IntegrityError:
        # A concurrent request with the same uuid inserted first; its audit is the answer.
        winner = _by_client_uuid(session, client_uuid)
        if winner is None:
            raise
        return _repeat(user, winner, data["facility_id"]), False
    with keeping_loaded(session):  # the answer is written from what was just saved, not loaded again
        session.commit()
    return audit, True


def update_draft(session: Session, user: User, audit: Audit, data: dict[str, Any]) -> Audit:
    """Save answers (merged per item, validated as a draft) and visit details of a draft; commits.

    Invalid answers are refused with InvalidInput naming each item code, and nothing is saved. A write on a
    submitted audit is a Conflict; one based on an older `version` a StaleDraft.
    """
    lock_draft(session, user, audit, data.get("version"))
    answers, saved_at = merged_answers(audit, data.get("answers"), data.get("answers_saved_at"))
    errors = answer_errors(audit, answers, final=False)
    if errors:
        raise InvalidInput("Some answers are not valid.", errors=errors)
    if "schedule_visit_id" in data:
        check_schedule_visit(session, user, audit.facility_id, data["schedule_visit_id"])
    for key in DRAFT_FIELDS:
        if key in data:
            value = data[key]
            setattr(audit, key, utc_seconds(value) if isinstance(value, datetime) else value)
    if any(key in data for key in (*ACT_FIELDS, *SIGNATURE_FIELDS)):
        take_act_fields(audit, data)
    if "answers" in data:
        audit.answers, audit.answers_saved_at = answers, saved_at
    if "inspection_date" in data and data["inspection_date"]:
        audit.inspection_date = data["inspection_date"]
    audit.updated_at = utcnow()
    with keeping_loaded(session):  # the answer is written from what was just saved, not loaded again
        session.commit()
    return audit


def upgrade_template(session: Session, user: User, audit: Audit) -> Audit:
    """Move a draft to the newest version of its template, keeping answers to items that still exist; commits."""
    lock_draft(session, user, audit)
    newest = checklists.latest_template(session, audit.template.code)
    if newest.id != audit.template_id:
        codes = checklists.parsed(newest).items_by_code
        audit.answers = {k: v for k, v in (audit.answers or {}).items() if k in codes}
        audit.answers_saved_at = {k: v for k, v in (audit.answers_saved_at or {}).items() if k in codes}
        audit.template = newest
        session.commit()
    return audit


def check_schedule_visit(session: Session, user: User, facility_id: int, visit_id: int | None) -> None:
    """Refuse to link an audit to a planned visit of another facility (or, for an inspector, of someone else).

    The facility is already in the user's scope, so a visit of it is too; any other id answers as unknown.
    """
    if visit_id is None:
        return
    visit = session.get(ScheduleVisit, visit_id) if is_storable_id(visit_id) else None
    mine = visit is not None and (not is_inspector(user) or (
        user.inspector is not None and visit.inspector_id == user.inspector.id))
    if not mine or visit.facility_id != facility_id:
        raise InvalidInput("No planned visit of this facility has this id.", "schedule_visit_id")

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

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import keeping_loaded
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Facility, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import checklists
from inspect_app.services.access import check_facility_visible, check_schedule_visit
from inspect_app.services.audits.chain import utc_seconds
from inspect_app.services.audits.photos import PHOTO_FORMATS, add_photo  # noqa: F401  (public names of drafts)
from inspect_app.services.audits.submission import (
    DRAFT_FIELDS,
    answer_errors,
    lock_draft,
    may_read,
    merged_answers,
    require_audit_writer,
)
from inspect_app.services.errors import Conflict, InvalidInput


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


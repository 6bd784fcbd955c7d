"""From a stop to an audit: arrive (one audit per visit), not done, discard, and the visit following its audit.

A visit's `status` is what the schedule learns: `checked_in` once an audit is opened for it, `draft` once
answers reached the server, `submitted` with the record, `not_done` with a reason when the visit could not
happen (the problem builder then treats the facility as due again), and back to `planned` when the draft
is discarded. The status follows the audit in a `before_flush` hook, so any service that writes an audit
(create, save, submit) keeps its visit right in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditPhoto, AuditStatus, ScheduleVisit, User, VisitStatus
from inspect_app.models import setting as settings_values
from inspect_app.models.schedule import NOT_DONE_REASONS
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import may_reopen_audit, may_start_audit_without_visit, require_audit_writer
from inspect_app.services.audits import drafts, photos
from inspect_app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from inspect_app.services.schedules.route import live_audits, readable_visit
from scheduler.travel import great_circle_km


def audit_visit_status(audit: Audit) -> VisitStatus:
    """The visit status an audit implies."""
    if audit.status == AuditStatus.DISCARDED:
        return VisitStatus.PLANNED
    if audit.status == AuditStatus.SUBMITTED:
        return VisitStatus.SUBMITTED
    return VisitStatus.DRAFT if audit.answers else VisitStatus.CHECKED_IN


def _follow(session: Session, audit: Audit) -> None:
    if audit.schedule_visit_id is None or audit.supersedes_id is not None:
        return
    # Held for the session: the identity map keeps only weak references, and a visit nobody holds would be
    # loaded again at every flush of the audit (three times in a submit).
    held = session.info.setdefault("tekseru_followed_visits", {})
    visit = held.get(audit.schedule_visit_id)
    if visit is None or visit not in session:  # not yet, or gone with a rollback
        visit = session.get(ScheduleVisit, audit.schedule_visit_id)
    if visit is not None:
        held[visit.id] = visit
    status = audit_visit_status(audit)
    if visit is not None and visit.status != status:
        visit.status = status
        visit.status_at = utcnow()
        if status != VisitStatus.NOT_DONE:
            visit.not_done_reason = None


def _distance(session: Session, audit: Audit) -> None:
    facility = audit.facility
    if audit.gps_lat is None or audit.gps_lon is None or facility is None:
        audit.checkin_distance_m, audit.checkin_far = None, False
        return
    metres = great_circle_km(audit.gps_lat, audit.gps_lon, facility.lat, facility.lon) * 1000
    audit.checkin_distance_m = round(metres, 1)
    audit.checkin_far = metres > float(settings_values.current("checkin_max_distance_m"))


def _before_flush(session: Session, _context, _instances) -> None:
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            if not isinstance(obj, Audit):
                continue
            state = sa.inspect(obj)
            if obj in session.new or any(state.attrs[k].history.has_changes() for k in ("gps_lat", "gps_lon")):
                _distance(session, obj)
            _follow(session, obj)


def track_visit_states() -> None:
    """Install the hook that keeps visits and check-in distances in step with audits (once per process)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def startable_visit(session: Session, user: User, visit_id: int) -> ScheduleVisit:
    """A visit the user may open an audit for: an inspector's own released (or urgent) stop; a supervisor's
    region's visit, locked until the transaction ends. NotFound otherwise; Conflict when the visit was recorded
    as not done."""
    visit = readable_visit(session, user, visit_id)
    require_audit_writer(user)
    # Lock the visit's row until the transaction ends, then read it again: an arrival and a not-done of one
    # visit sent at the same moment must each see what the other wrote, or one would undo the other.
    session.execute(sa.select(ScheduleVisit.id).where(ScheduleVisit.id == visit.id).with_for_update())
    session.refresh(visit)
    if visit.status == VisitStatus.NOT_DONE:
        raise Conflict("This visit was recorded as not done.", "schedule_visit_id")
    return visit


def start_audit(session: Session, user: User, data: dict[str, Any]) -> tuple[Audit, bool]:
    """Open the audit of a visit, or return the one already open for it; commits. Returns (audit, created).

    One live audit per visit whatever the retries, devices or back buttons: a unique index on the visit
    decides a race, and the loser gets the winner's draft. Inspectors may start audits only this way
    (for their released stops or urgent visits); others may also open an audit without a visit.
    """
    require_audit_writer(user)
    visit_id = data.get("schedule_visit_id")
    if visit_id is None:
        if not may_start_audit_without_visit(user):
            raise InvalidInput("Start an inspection from a stop of your route.", "schedule_visit_id")
        return drafts.create_draft(session, user, data)
    visit = startable_visit(session, user, visit_id)
    if data.get("facility_id") not in (None, visit.facility_id):
        raise InvalidInput("The facility is not the one of this visit.", "facility_id")
    existing = _reopen(session, user, visit.id)
    if existing is not None:
        return existing, False
    values = {"legal_basis": "planned", **data, "facility_id": visit.facility_id,
              "inspection_date": data.get("inspection_date") or visit.date}
    if visit.urgent and "basis_reason" not in data:  # a hotline call or an incident: a complaint in law
        values.update(legal_basis="unplanned", basis_reason="complaint")
    try:
        return drafts.create_draft(session, user, values)
    except IntegrityError:
        session.rollback()
        existing = _reopen(session, user, visit.id)
        if existing is None:
            raise
        return existing, False


def _reopen(session: Session, user: User, visit_id: int) -> Audit | None:
    existing = live_audits(session, [visit_id]).get(visit_id)
    if existing is None:
        return None
    if not may_reopen_audit(user, existing):
        raise Conflict("Another user already opened the audit of this visit.", "schedule_visit_id")
    return existing


def record_not_done(session: Session, user: User, visit_id: int, reason: str, note: str = "",
                    client_uuid: str | uuid.UUID | None = None) -> ScheduleVisit:
    """Record that a visit could not happen, with its reason; commits. Refused once an audit was submitted,
    and while a draft is open (discard it first, so its answers are never silently dropped).

    Idempotent by `client_uuid`: the same UUID again (a phone's outbox retrying after a lost answer) returns
    the visit as recorded; a visit already recorded as not done under another UUID is a Conflict."""
    if reason not in NOT_DONE_REASONS:
        raise InvalidInput("Choose why the visit could not happen.", "reason")
    client_uuid = str(client_uuid) if client_uuid else None
    visit = readable_visit(session, user, visit_id)
    require_audit_writer(user)
    if client_uuid and visit.status == VisitStatus.NOT_DONE and visit.not_done_uuid == client_uuid:
        return visit
    visit = startable_visit(session, user, visit_id)
    audit = live_audits(session, [visit.id]).get(visit.id)
    if audit is not None:
        raise Conflict("An audit is open for this visit: discard it first or submit it.", "schedule_visit_id")
    visit.status, visit.not_done_reason, visit.not_done_note = VisitStatus.NOT_DONE, reason, (note or "")[:500]
    visit.status_at, visit.not_done_uuid = utcnow(), client_uuid
    session.commit()
    return visit


def discard_draft(session: Session, user: User, audit: Audit, reason: str,
                  client_uuid: str | uuid.UUID | None = None) -> Audit:
    """Discard a draft by its author, with a reason, while it was never submitted; commits.

    The row stays (marked discarded, with who and why) and its visit goes back to planned. The UPDATE
    is conditional on the draft status, so a submit that won a race is never undone. Idempotent by
    `client_uuid`: the same UUID again returns the discarded draft unchanged.
    """
    if audit.user_id != user.id:
        raise Forbidden("Only the author of a draft may discard it.")
    client_uuid = str(client_uuid) if client_uuid else None
    if client_uuid and audit.status == AuditStatus.DISCARDED and audit.discard_uuid == client_uuid:
        return audit
    if audit.supersedes_id is not None:
        raise Conflict("A correction of a submitted record cannot be discarded.", "status")
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise InvalidInput("Say why the draft is discarded.", "reason")
    done = session.execute(sa.update(Audit).where(Audit.id == audit.id, Audit.status == AuditStatus.DRAFT)
                           .values(status=AuditStatus.DISCARDED, discarded_at=utcnow(), discard_reason=reason[:500],
                                   discard_uuid=client_uuid, version=Audit.version + 1))
    if done.rowcount != 1:
        session.rollback()
        raise Conflict("Only an open draft can be discarded; this audit was submitted or discarded.", "status")
    if audit.schedule_visit_id is not None:
        session.execute(sa.update(ScheduleVisit).where(ScheduleVisit.id == audit.schedule_visit_id,
                                                       ScheduleVisit.status != VisitStatus.NOT_DONE)
                        .values(status=VisitStatus.PLANNED, status_at=utcnow()))
    session.commit()
    session.refresh(audit)
    return audit


def add_photo_once(session: Session, user: User, audit: Audit, raw: bytes, *, client_uuid: str | None,
                   item_code: str | None = None, caption: str = "", max_bytes: int) -> tuple[AuditPhoto, bool]:
    """Store a photo (of at most `max_bytes`) unless its client UUID was stored already (then return that
    one); commits."""
    if client_uuid:
        client_uuid = str(client_uuid)
        known = session.scalar(sa.select(AuditPhoto).where(AuditPhoto.client_uuid == client_uuid))
        if known is not None:
            if known.audit_id != audit.id:
                raise Conflict("This client_uuid was already used for another photo.", "client_uuid")
            return known, False
    try:
        return photos.add_photo(session, user, audit, raw, item_code=item_code, caption=caption,
                                client_uuid=client_uuid, max_bytes=max_bytes), True
    except IntegrityError:
        session.rollback()
        known = session.scalar(sa.select(AuditPhoto).where(AuditPhoto.client_uuid == client_uuid))
        if known is None or known.audit_id != audit.id:
            raise NotFound("Photo not found.") from None
        return known, False

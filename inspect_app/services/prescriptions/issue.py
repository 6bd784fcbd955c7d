"""Drawing up a prescription at an audit's submit, and a follow-up audit's result on the facility's open items.

Called once from the submit (services/audits/submission.py), inside its transaction, after the record is hashed:
nothing here changes the hashed audit or its violations.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

import forms
from forms.answers import FAIL, PASS
from inspect_app.i18n import to_almaty
from inspect_app.models import Audit, Prescription, PrescriptionCounter, PrescriptionEvent, PrescriptionItem, User
from inspect_app.models.prescription import EventKind, ItemState
from inspect_app.services import checklists
from inspect_app.services.access import may_edit_draft
from inspect_app.services.prescriptions.items import (
    add_event,
    earliest_deadline,
    is_closed,
    lock_item,
    newest_event,
    shown_state,
)
from inspect_app.services.prescriptions.queries import ItemRow, newest_events


def after_submit(session: Session, user: User, audit: Audit) -> Prescription | None:
    """The submit's consequences for prescriptions (flushes; the caller commits):

    - a correction's predecessor: the items of its prescription are superseded (the follow-up result of the
      record it corrects stands; a correction does not apply it again);
    - a follow-up: each item still open at the facility (from earlier audits) that this audit answered is
      verified when it passed, or not fixed when it failed (escalated, a new deadline from today's delivery);
    - this audit's failed items that are not such a re-failed item: a new numbered prescription.
    """
    if audit.supersedes_id is not None:
        _supersede(session, user, audit)
        # The record it corrects already applied its result to the facility's older items: not twice.
        refailed = _refailed_by(session, audit.supersedes_id)
    else:
        refailed = followup(session, user, audit)
    violations = [v for v in audit.violations if v.item_code not in refailed]
    if not violations:
        return None
    delivered = _delivery(audit)
    shift = delivered - audit.inspection_date  # a corrected act's deadlines run from its own delivery
    prescription = Prescription(number=next_number(session, audit.region, delivered.year), audit=audit,
                                facility_id=audit.facility_id, region_id=audit.region_id, delivered_on=delivered)
    session.add(prescription)
    earliest = earliest_deadline(delivered)
    for position, violation in enumerate(violations, 1):
        item = PrescriptionItem(prescription=prescription, violation=violation, position=position,
                                facility_id=audit.facility_id, item_code=violation.item_code,
                                section=violation.section, severity=violation.severity)
        session.add(item)
        add_event(session, item, None, EventKind.ISSUED, ItemState.OPEN, user=user,
                  due_date=max(violation.due_date + shift, earliest), escalation=0, audit_id=audit.id)
    session.flush()
    return prescription


def _delivery(audit: Audit):
    """When the act and its prescription were handed over: at the inspection, or, for a corrected act, the day it
    was submitted (it is delivered to the facility again, through its link)."""
    if audit.supersedes_id is None or audit.submitted_at is None:
        return audit.inspection_date
    return max(audit.inspection_date, to_almaty(audit.submitted_at).date())


def next_number(session: Session, region, year: int) -> str:
    """The next number of a region's year, e.g. 75-2026-00012: the counter row is locked while it is taken, and
    created once (a unique constraint settles two first numbers of a year at once)."""
    query = (sa.select(PrescriptionCounter)
             .where(PrescriptionCounter.region_id == region.id, PrescriptionCounter.year == year)
             .with_for_update().execution_options(populate_existing=True))
    counter = session.scalar(query)
    if counter is None:
        try:
            with session.begin_nested():
                session.add(PrescriptionCounter(region_id=region.id, year=year, last=0))
        except sa.exc.IntegrityError:
            pass  # another transaction created it first: lock theirs
        counter = session.scalar(query)
    counter.last += 1
    session.flush()
    return f"{region.kato[:2]}-{year}-{counter.last:05d}"


def open_items(session: Session, facility_id: int, before_audit: Audit | None = None) -> list[PrescriptionItem]:
    """The facility's items not yet closed, oldest first (those of `before_audit` itself left out)."""
    query = (sa.select(PrescriptionItem).join(Prescription)
             .where(PrescriptionItem.facility_id == facility_id).order_by(PrescriptionItem.id))
    if before_audit is not None and before_audit.id is not None:
        query = query.where(Prescription.audit_id != before_audit.id)
    return [item for item in session.scalars(query) if not is_closed(newest_event(session, item.id))]


def followup_rows(session: Session, user: User, audit: Audit) -> list[ItemRow]:
    """The facility's open items a draft's author checks first (the form shows them at the top); only the one
    who may fill the draft sees them, whoever's audit the prescription came from."""
    if not may_edit_draft(user, audit):
        return []
    rows = []
    for item in open_items(session, audit.facility_id, audit):
        event = newest_event(session, item.id)
        rows.append(ItemRow(item, event.state, event.due_date, event.escalation, event.at, shown_state(event)))
    return rows


def followup(session: Session, user: User, audit: Audit) -> set[str]:
    """Apply a follow-up audit's answers to the facility's open items; returns the item codes it failed again."""
    items = open_items(session, audit.facility_id, audit)
    if not items:
        return set()
    template = checklists.parsed(audit.template)
    outcomes = {entry.item.code: entry.outcome
                for entry in forms.item_outcomes(template, audit.facility.type, audit.answers or {})}
    refailed = set()
    for found in items:
        outcome = outcomes.get(found.item_code)
        if outcome not in (PASS, FAIL):
            continue  # not asked, or not applicable this time: the item stays as it was
        item = lock_item(session, found.id)
        previous = newest_event(session, item.id)
        if is_closed(previous):
            continue
        if outcome == PASS:
            add_event(session, item, previous, EventKind.PASSED_FOLLOWUP, ItemState.VERIFIED, user=user,
                      audit_id=audit.id)
        else:
            refailed.add(item.item_code)
            add_event(session, item, previous, EventKind.FAILED_FOLLOWUP, ItemState.NOT_FIXED, user=user,
                      audit_id=audit.id, due_date=earliest_deadline(audit.inspection_date),
                      escalation=previous.escalation + 1)
    session.flush()
    return refailed


def _refailed_by(session: Session, audit_id: int) -> set[str]:
    """The item codes an audit found not fixed as a follow-up."""
    return set(session.scalars(
        sa.select(PrescriptionItem.item_code).join(PrescriptionEvent, PrescriptionEvent.item_id == PrescriptionItem.id)
        .where(PrescriptionEvent.audit_id == audit_id, PrescriptionEvent.kind == EventKind.FAILED_FOLLOWUP)))


def _supersede(session: Session, user: User, audit: Audit) -> None:
    old = session.scalar(sa.select(Prescription).where(Prescription.audit_id == audit.supersedes_id))
    if old is None:
        return
    for found in old.items:
        item = lock_item(session, found.id)
        previous = newest_event(session, item.id)
        if not is_closed(previous):
            add_event(session, item, previous, EventKind.SUPERSEDED, ItemState.SUPERSEDED, user=user,
                      audit_id=audit.id)
    session.flush()


def not_fixed_counts(session: Session, facility_ids: list[int]) -> dict[int, int]:
    """Per facility, its items whose newest event is "not fixed" (a follow-up found them again)."""
    latest = newest_events()
    rows = session.execute(
        sa.select(PrescriptionItem.facility_id, sa.func.count())
        .join(latest, latest.c.item_id == PrescriptionItem.id)
        .where(PrescriptionItem.facility_id.in_(facility_ids), latest.c.state == ItemState.NOT_FIXED)
        .group_by(PrescriptionItem.facility_id))
    return dict(rows.all())

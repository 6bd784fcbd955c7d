"""Demo prescriptions in every state: the items of violations the demo marked resolved are reported and accepted
(verified), a few open ones reported by the facility with a photo, one found not fixed by a later audit of its
facility, the rest open (those past their deadline overdue); and the facility link printed with the demo logins."""

import hashlib
import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Audit, Prescription, PrescriptionItem, PrescriptionPhoto, Region, User
from inspect_app.models.prescription import EventKind, ItemState
from inspect_app.services.prescriptions import links
from inspect_app.services.prescriptions.items import add_event, earliest_deadline, newest_event

REPORTS = ("Замок аварийного выхода заменён, акт выполненных работ приложен.",
           "Проведён инструктаж персонала, журнал заполнен.", "Огнетушители перезаряжены.")


def seed_prescription_states(session: Session, *, region_kato: str, seed: int, today: date, photo) -> None:
    """Give the region's demo prescriptions a life (see the module docstring); flushes. `photo(n)` is a JPEG."""
    rng = random.Random(seed)
    region = session.scalar(sa.select(Region).where(Region.kato == region_kato))
    supervisor = session.scalar(sa.select(User).where(User.role == "supervisor", User.region_id == region.id)
                                .order_by(User.id)) if region else None
    if region is None or supervisor is None:
        return
    items = list(session.scalars(sa.select(PrescriptionItem).join(Prescription)
                                 .where(Prescription.region_id == region.id).order_by(PrescriptionItem.id)))
    reported = 0
    for item in items:
        previous = newest_event(session, item.id)
        if previous.state != ItemState.OPEN:
            continue
        if item.violation.status == "resolved":
            at = item.violation.resolved_at or datetime.now(UTC)
            _report(session, item, previous, rng, photo, at - timedelta(days=1))
            add_event(session, item, newest_event(session, item.id), EventKind.ACCEPTED, ItemState.VERIFIED,
                      user=supervisor, note="Фотографии подтверждают устранение.").at = at
        elif reported < 4 and previous.due_date >= today - timedelta(days=20):
            _report(session, item, previous, rng, photo, datetime.combine(today, time(4), tzinfo=UTC))
            reported += 1
        session.flush()
    _one_not_fixed(session, items, supervisor)
    _one_running_not_fixed(session, items, supervisor, today)
    session.flush()


def _report(session: Session, item, previous, rng, photo, at: datetime) -> None:
    event = add_event(session, item, previous, EventKind.REPORTED, ItemState.REPORTED,
                      name="Директор Серікова А. Б.", note=rng.choice(REPORTS), via_link=True)
    event.at = at
    session.flush()
    data = photo(rng.randint(0, 5))
    session.add(PrescriptionPhoto(event_id=event.id, sha256=hashlib.sha256(data).hexdigest(),
                                  content_type="image/jpeg", size=len(data), width=480, height=360, data=data))


def _one_not_fixed(session: Session, items, supervisor: User) -> None:
    """If no follow-up found an item not fixed by chance, the newest later audit of one open item's facility did."""
    if any(newest_event(session, i.id).state == ItemState.NOT_FIXED for i in items):
        return
    for item in items:
        previous = newest_event(session, item.id)
        if previous.state != ItemState.OPEN:
            continue
        later = session.scalar(sa.select(Audit).where(
            Audit.facility_id == item.facility_id, Audit.status == "submitted",
            Audit.inspection_date > item.prescription.delivered_on).order_by(Audit.inspection_date.desc()).limit(1))
        if later is not None:
            add_event(session, item, previous, EventKind.FAILED_FOLLOWUP, ItemState.NOT_FIXED, user=supervisor,
                      audit_id=later.id, due_date=earliest_deadline(later.inspection_date), escalation=1)
            return


def _one_running_not_fixed(session: Session, items, supervisor: User, today: date) -> None:
    """An escalated item whose new deadline still runs (the supervisor gave the facility more time), so that the
    lists show "not fixed" beside "overdue"."""
    escalated = [i for i in items if newest_event(session, i.id).state == ItemState.NOT_FIXED]
    if not escalated or any(newest_event(session, i.id).due_date >= today for i in escalated):
        return
    item = escalated[0]
    add_event(session, item, newest_event(session, item.id), EventKind.DEADLINE, ItemState.NOT_FIXED,
              user=supervisor, note="Срок продлён по ходатайству объекта.", due_date=today + timedelta(days=14))


def demo_facility_link(session: Session, region_kato: str) -> tuple[str, str] | None:
    """A new facility link (the previous one revoked) for the newest demo prescription with a reported item (else
    with any item not closed): (number, token); None without one. Commits."""
    region = session.scalar(sa.select(Region).where(Region.kato == region_kato))
    supervisor = session.scalar(sa.select(User).where(User.role == "supervisor", User.region_id == region.id)
                                .order_by(User.id)) if region else None
    if supervisor is None:
        return None
    prescriptions = list(session.scalars(sa.select(Prescription).where(Prescription.region_id == region.id)
                                         .order_by(Prescription.id.desc())))
    for wanted in ({ItemState.REPORTED}, {ItemState.OPEN, ItemState.NOT_FIXED}):
        for prescription in prescriptions:
            if any(newest_event(session, i.id).state in wanted for i in prescription.items):
                return prescription.number, links.issue_link(session, supervisor, prescription.id)
    return None

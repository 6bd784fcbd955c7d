"""What a prescription tells people (services/notifications): issued (the facility, with its secret link), an item
reported done (the region's supervisors), verified (the facility), and the daily reminders of items due in three
days or overdue (the facility and the supervisors), each reminder once per item and deadline."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.i18n import ALMATY
from inspect_app.models import Prescription, PrescriptionItem
from inspect_app.models.notification import EventKind
from inspect_app.models.prescription import ItemState
from inspect_app.models.vocab import utcnow
from inspect_app.services.notifications import DAILY_TASKS, emit
from inspect_app.services.prescriptions.latest import newest_events

DUE_SOON_DAYS = 3


def _facility(prescription: Prescription) -> dict:
    facility = prescription.facility
    return {"facility_id": facility.id, "facility_name_ru": facility.name_ru,
            "facility_name_kk": facility.name_kk or "", "region_kato": prescription.region.kato}


def _item_text(item: PrescriptionItem) -> dict:
    return dict(item.violation.item_text or {})


def issued(session: Session, prescription: Prescription, link_path: str) -> None:
    """The prescription reaches the facility's e-mail with its secret link (webhooks get it without the link)."""
    items = [{"id": item.id, "item_text": _item_text(item), "due_date": due.isoformat()}
             for item, due in _deadlines(session, prescription)]
    emit(session, EventKind.PRESCRIPTION_ISSUED,
         {"id": prescription.id, "number": prescription.number, **_facility(prescription), "link_path": link_path,
          "items": items},
         region_id=prescription.region_id, facility_email=prescription.facility.contact_email or None)


def item_changed(session: Session, item: PrescriptionItem, kind: EventKind, due: dt.date) -> None:
    """An item reported done (to the supervisors, linking the prescription page) or verified (to the facility)."""
    prescription = item.prescription
    link = f"/prescriptions/{prescription.id}" if kind == EventKind.ITEM_REPORTED_DONE else ""
    emit(session, kind, _item_resource(item, due, link), region_id=prescription.region_id,
         facility_email=prescription.facility.contact_email or None)


def _item_resource(item: PrescriptionItem, due: dt.date, link_path: str) -> dict:
    prescription = item.prescription
    return {"id": item.id, "prescription_id": prescription.id, "number": prescription.number,
            **_facility(prescription), "item_text": _item_text(item), "due_date": due.isoformat(),
            "link_path": link_path}


def _deadlines(session: Session, prescription: Prescription) -> list[tuple[PrescriptionItem, dt.date]]:
    latest = newest_events()
    rows = session.execute(sa.select(PrescriptionItem, latest.c.due_date)
                           .join(latest, latest.c.item_id == PrescriptionItem.id)
                           .where(PrescriptionItem.prescription_id == prescription.id)
                           .order_by(PrescriptionItem.position))
    return [(item, due) for item, due in rows]


def send_reminders(session: Session, now: dt.datetime | None = None) -> int:
    """Queue today's reminders: open or not-fixed items due in three days, and those past their deadline. Each
    goes once per item and deadline (a stable event id; a new deadline reminds again). Commits; returns how many."""
    today = (now or utcnow()).astimezone(ALMATY).date()
    begin_write(session)
    latest = newest_events()
    rows = session.execute(
        sa.select(PrescriptionItem, latest.c.due_date)
        .join(latest, latest.c.item_id == PrescriptionItem.id)
        .where(latest.c.state.in_((ItemState.OPEN, ItemState.NOT_FIXED)),
               sa.or_(latest.c.due_date == today + dt.timedelta(days=DUE_SOON_DAYS), latest.c.due_date < today)))
    made = 0
    for item, due in rows:
        kind = EventKind.ITEM_DUE_SOON if due >= today else EventKind.ITEM_OVERDUE
        event_id = f"{'due3' if kind == EventKind.ITEM_DUE_SOON else 'overdue'}-{item.id}-{due:%Y%m%d}"
        if _already(session, event_id):
            continue
        emit(session, kind, _item_resource(item, due, f"/prescriptions/{item.prescription_id}"),
             region_id=item.prescription.region_id,
             facility_email=item.prescription.facility.contact_email or None, event_id=event_id)
        made += 1
    session.commit()
    return made


def _already(session: Session, event_id: str) -> bool:
    from inspect_app.models import OutboxMessage, WebhookDelivery

    return any(session.scalar(sa.select(model.id).where(model.event_id == event_id).limit(1)) is not None
               for model in (OutboxMessage, WebhookDelivery))


DAILY_TASKS.append(send_reminders)

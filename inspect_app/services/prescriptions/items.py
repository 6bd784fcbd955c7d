"""A prescription item's state and its changes. Each change is a new PrescriptionEvent (who, when, the state and
deadline after it); the newest event is the item's state. Overdue is derived: open or not fixed past the deadline.

Every change locks the item's row first (FOR UPDATE; SQLite serialises writers) and reads the newest event after
the lock, so two changes at once are applied one after the other: two reports of the facility both stay as
events, and the state changes once.
"""

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Prescription, PrescriptionEvent, PrescriptionItem, PrescriptionPhoto, User
from inspect_app.models import setting as settings_values
from inspect_app.models.notification import EventKind as NoticeKind
from inspect_app.models.prescription import CLOSED_STATES, RUNNING_STATES, EventKind, ItemState
from inspect_app.services.access import may_read_prescription, require_prescription_decider
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.images import checked_image

MAX_PHOTOS = 5
NOTE_MAX = 2000


def newest_event(session: Session, item_id: int) -> PrescriptionEvent:
    """The item's newest event (its state and deadline), read from the database, not a cached list."""
    return session.scalar(sa.select(PrescriptionEvent).where(PrescriptionEvent.item_id == item_id)
                          .order_by(PrescriptionEvent.id.desc()).limit(1))


def shown_state(event: PrescriptionEvent, today: dt.date | None = None) -> ItemState:
    """The state a person sees: the stored one, or OVERDUE when its deadline passed while it runs."""
    state = ItemState(event.state)
    if state in RUNNING_STATES and event.due_date < (today or today_almaty()):
        return ItemState.OVERDUE
    return state


def is_closed(event: PrescriptionEvent) -> bool:
    """True when nothing more is expected of the facility for the item."""
    return ItemState(event.state) in CLOSED_STATES


def min_days() -> int:
    """The shortest deadline after delivery, in calendar days (the settings page)."""
    return int(settings_values.current("prescription_min_days"))


def earliest_deadline(delivered: dt.date) -> dt.date:
    """The first day a deadline may fall on for a prescription (or escalation) delivered on `delivered`."""
    return delivered + dt.timedelta(days=min_days())


def actor_name(user: User) -> str:
    """The name an event shows for a signed-in user."""
    return user.full_name or user.username


def add_event(session: Session, item: PrescriptionItem, previous: PrescriptionEvent | None, kind: EventKind,
              state: ItemState, *, user: User | None = None, name: str = "", note: str = "",
              due_date: dt.date | None = None, escalation: int | None = None, audit_id: int | None = None,
              via_link: bool = False) -> PrescriptionEvent:
    """Append one event; the deadline and escalation carry over from `previous` unless given."""
    event = PrescriptionEvent(
        item=item, kind=kind, state=state, note=note[:NOTE_MAX],
        due_date=due_date or previous.due_date, escalation=previous.escalation if escalation is None else escalation,
        actor_id=user.id if user is not None else None, actor_name=actor_name(user) if user is not None else name,
        via_link=via_link, audit_id=audit_id)
    session.add(event)
    return event


def lock_item(session: Session, item_id: int) -> PrescriptionItem:
    """The item's row, locked until the transaction ends; NotFound when it does not exist."""
    item = session.scalar(sa.select(PrescriptionItem).where(PrescriptionItem.id == item_id)
                          .with_for_update().execution_options(populate_existing=True))
    if item is None:
        raise NotFound("Prescription item not found.")
    return item


def readable_item(session: Session, user: User, item_id: int) -> PrescriptionItem:
    """An item of a prescription the user may read, or NotFound."""
    item = session.get(PrescriptionItem, item_id)
    if item is None or not may_read_prescription(user, item.prescription):
        raise NotFound("Prescription item not found.")
    return item


def check_report(note: str | None, photos: list[bytes], photo_max_bytes: int) -> list[tuple[bytes, str, int, int]]:
    """The checks of a facility's report before anything is written: a note, at most MAX_PHOTOS real images."""
    errors: dict[str, list[str]] = {}
    if not (note or "").strip():
        errors["note"] = ["Say what was done."]
    elif len(note) > NOTE_MAX:
        errors["note"] = [f"At most {NOTE_MAX} characters."]
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = [f"At most {MAX_PHOTOS} photos."]
    checked = []
    if "photos" not in errors:
        for raw in photos:
            try:
                checked.append(checked_image(raw, photo_max_bytes, "photos"))
            except InvalidInput as error:
                errors["photos"] = [error.message]
                break
    if errors:
        raise InvalidInput("The report cannot be accepted.", errors=errors)
    return checked


def report_done(session: Session, item_id: int, prescription_id: int, note: str, photos: list[bytes],
                photo_max_bytes: int, name: str) -> PrescriptionEvent:
    """The facility's head reports an item done (through the link), with a note and photos; commits.

    Refused (422, nothing written) without a note, with more than five photos or one that is not an image;
    refused (409) for a closed item. A report on an item already reported is kept as an event too; the state
    stays "reported".
    """
    checked = check_report(note, photos, photo_max_bytes)
    item = lock_item(session, item_id)
    if item.prescription_id != prescription_id:
        raise NotFound("Prescription item not found.")
    previous = newest_event(session, item.id)
    if is_closed(previous):
        raise Conflict("The item is already closed.", "state")
    event = add_event(session, item, previous, EventKind.REPORTED, ItemState.REPORTED, name=name,
                      note=note.strip(), via_link=True)
    session.flush()
    for data, content_type, width, height in checked:
        session.add(PrescriptionPhoto(event_id=event.id, sha256=hashlib.sha256(data).hexdigest(),
                                      content_type=content_type, size=len(data), width=width, height=height,
                                      data=data))
    _tell(session, item, NoticeKind.ITEM_REPORTED_DONE, event)
    session.commit()
    return event


def _tell(session: Session, item: PrescriptionItem, kind, event: PrescriptionEvent) -> None:
    from inspect_app.services.prescriptions import notices  # it reads the lists' queries, which read this module

    notices.item_changed(session, item, kind, event.due_date)


def decide(session: Session, user: User, item_id: int, accept: bool, comment: str) -> PrescriptionEvent:
    """A supervisor accepts the facility's evidence (verified) or rejects it (open again); commits.

    The comment is required (422 naming it); only a reported item is decided (409 naming its state).
    """
    item = readable_item(session, user, item_id)
    require_prescription_decider(user, item.prescription)
    if not (comment or "").strip():
        raise InvalidInput("A comment is required.", "comment")
    item = lock_item(session, item_id)
    previous = newest_event(session, item.id)
    if previous.state != ItemState.REPORTED:
        raise Conflict("The item is not reported done: there is nothing to decide.", "state")
    if accept:
        event = add_event(session, item, previous, EventKind.ACCEPTED, ItemState.VERIFIED, user=user,
                          note=comment.strip())
        _tell(session, item, NoticeKind.ITEM_VERIFIED, event)
    else:
        back = ItemState.NOT_FIXED if previous.escalation else ItemState.OPEN
        event = add_event(session, item, previous, EventKind.REJECTED, back, user=user, note=comment.strip())
    session.commit()
    return event


def set_deadline(session: Session, user: User, item_id: int, due_date: dt.date, comment: str = "") -> PrescriptionEvent:
    """A supervisor sets an item's new deadline; commits.

    Refused (422 on `due_date`) before the minimum after the latest delivery (the prescription's, or the
    follow-up audit's that escalated it); refused (409) for a closed item.
    """
    item = readable_item(session, user, item_id)
    require_prescription_decider(user, item.prescription)
    item = lock_item(session, item_id)
    previous = newest_event(session, item.id)
    if is_closed(previous):
        raise Conflict("The item is already closed.", "state")
    earliest = earliest_deadline(delivery_of(session, item))
    if due_date < earliest:
        raise InvalidInput(f"The deadline may not be before {earliest.isoformat()}.", "due_date")
    event = add_event(session, item, previous, EventKind.DEADLINE, ItemState(previous.state), user=user,
                      note=(comment or "").strip(), due_date=due_date)
    session.commit()
    return event


def delivery_of(session: Session, item: PrescriptionItem) -> dt.date:
    """The latest delivery an item's deadline runs from: the prescription's, or that of the follow-up audit
    that escalated it."""
    followup = session.scalar(
        sa.select(sa.func.max(Audit.inspection_date)).join(PrescriptionEvent, PrescriptionEvent.audit_id == Audit.id)
        .where(PrescriptionEvent.item_id == item.id, PrescriptionEvent.kind == EventKind.FAILED_FOLLOWUP))
    delivered = item.prescription.delivered_on
    return max(delivered, followup) if followup else delivered


def prescription_closed(session: Session, prescription: Prescription) -> bool:
    """True when every item of the prescription is closed (its facility link then expires)."""
    return all(is_closed(newest_event(session, item.id)) for item in prescription.items)

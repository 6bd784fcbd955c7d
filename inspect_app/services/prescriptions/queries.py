"""The prescriptions a user may read: one by id, and the items' lists (per facility, region, the country) with
their filters, overdue and critical first; their rows for CSV and XLSX."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from exports.tabular import write_csv, write_xlsx
from inspect_app.i18n import to_almaty, today_almaty
from inspect_app.models import (
    Facility,
    Prescription,
    PrescriptionEvent,
    PrescriptionItem,
    PrescriptionPhoto,
    Region,
    User,
    Violation,
)
from inspect_app.models.prescription import RUNNING_STATES, ItemState
from inspect_app.services.access import may_read_prescription, prescription_filter
from inspect_app.services.errors import NotFound
from inspect_app.services.prescriptions.items import shown_state
from inspect_app.services.prescriptions.latest import newest_events

EXPORT_COLUMNS = ("number", "delivered_on", "region", "facility_bin", "facility", "facility_type", "position",
                  "item_code", "section", "severity", "requirement", "legal_ref", "action", "state", "due_date",
                  "escalation", "changed_at")


def get_prescription(session: Session, user: User, prescription_id: int) -> Prescription:
    """A prescription the user may read, or NotFound (another region's is as if it did not exist)."""
    prescription = session.get(Prescription, prescription_id)
    if prescription is None or not may_read_prescription(user, prescription):
        raise NotFound("Prescription not found.")
    return prescription


def of_audit(session: Session, audit) -> Prescription | None:
    """The prescription drawn up for an audit the caller may read (it reads like its audit), if any."""
    return session.scalar(sa.select(Prescription).where(Prescription.audit_id == audit.id))


@dataclass(frozen=True)
class ItemRow:
    """One item of a list with its newest state and deadline."""

    item: PrescriptionItem
    state: str
    due_date: dt.date
    escalation: int
    changed_at: dt.datetime
    shown: ItemState


def item_query(user: User, args: dict[str, Any], today: dt.date | None = None) -> sa.Select:
    """The items in the user's scope matching the filters (state incl. "overdue", section, facility type,
    district, region, severity, facility, the prescriptions' delivery period, a text in the item's code or legal
    reference), overdue first, then critical,
    then by deadline."""
    today = today or today_almaty()
    latest = newest_events()
    running = latest.c.state.in_([str(s) for s in RUNNING_STATES])
    overdue = sa.and_(running, latest.c.due_date < today)
    query = (sa.select(PrescriptionItem, latest.c.state, latest.c.due_date, latest.c.escalation, latest.c.at)
             .join(latest, latest.c.item_id == PrescriptionItem.id)
             .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
             .join(Facility, Facility.id == PrescriptionItem.facility_id)
             .where(prescription_filter(user)))
    state = args.get("state")
    if state == ItemState.OVERDUE:
        query = query.where(overdue)
    elif state == "unclosed":
        query = query.where(latest.c.state.in_([ItemState.OPEN, ItemState.REPORTED, ItemState.NOT_FIXED]))
    elif state == "unfixed":
        query = query.where(latest.c.state.in_([ItemState.OPEN, ItemState.REPORTED]))
    elif state:
        query = query.where(latest.c.state == state)
    if args.get("section"):
        query = query.where(PrescriptionItem.section == args["section"])
    if args.get("severity"):
        query = query.where(PrescriptionItem.severity == args["severity"])
    if args.get("type"):
        query = query.where(Facility.type == args["type"])
    if args.get("district"):
        query = query.where(Facility.district_id == args["district"])
    if args.get("region"):
        query = query.join(Region, Region.id == Prescription.region_id).where(Region.kato == args["region"])
    if args.get("facility_id"):
        query = query.where(PrescriptionItem.facility_id == args["facility_id"])
    if args.get("q"):
        # The item's code or its legal reference (the stored, Russian one): "пожар" finds the fire-safety items.
        pattern = "%" + args["q"].strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(PrescriptionItem.item_code.ilike(pattern, escape="\\"),
                                   PrescriptionItem.violation.has(Violation.legal_ref.ilike(pattern, escape="\\"))))
    if args.get("date_from"):
        query = query.where(Prescription.delivered_on >= args["date_from"])
    if args.get("date_to"):
        query = query.where(Prescription.delivered_on <= args["date_to"])
    return query.order_by(sa.case((overdue, 0), else_=1), sa.case((PrescriptionItem.severity == "critical", 0),
                                                                  else_=1),
                          latest.c.due_date, PrescriptionItem.id)


def facility_count(session: Session, query: sa.Select) -> int:
    """How many facilities the items of an item query belong to (schools, not items, for "how many schools")."""
    listed = query.order_by(None).subquery()
    return session.scalar(sa.select(sa.func.count(sa.distinct(listed.c.facility_id)))) or 0


def item_rows(session: Session, query: sa.Select, today: dt.date | None = None) -> list[ItemRow]:
    """The rows of an item query (or a page of it)."""
    today = today or today_almaty()
    out = []
    for item, state, due, escalation, at in session.execute(query):
        event = PrescriptionEvent(state=state, due_date=due)
        out.append(ItemRow(item, state, due, escalation, at, shown_state(event, today)))
    return out


def counts(session: Session, user: User, args: dict[str, Any], today: dt.date | None = None) -> dict[str, int]:
    """How many items of the filtered list (the state filter left out) are in each shown state (one GROUP BY)."""
    today = today or today_almaty()
    listed = item_query(user, {**args, "state": None}, today).order_by(None).subquery()
    running = listed.c.state.in_([str(s) for s in RUNNING_STATES])
    shown = sa.case((sa.and_(running, listed.c.due_date < today), str(ItemState.OVERDUE)), else_=listed.c.state)
    out = {str(ItemState.OVERDUE): 0, **{str(s): 0 for s in ItemState if s != ItemState.OVERDUE}}
    for state, n in session.execute(sa.select(shown, sa.func.count()).group_by(shown)):
        out[state] = n
    return out


def export_rows(session: Session, user: User, args: dict[str, Any], lang: str, label) -> Iterator[dict]:
    """One dict per item for CSV/XLSX; `label(code, kind)` translates a code."""
    for row in item_rows(session, item_query(user, args)):
        item, prescription = row.item, row.item.prescription
        violation: Violation = item.violation
        facility = prescription.facility
        yield {"number": prescription.number, "delivered_on": prescription.delivered_on,
               "region": prescription.region.kato, "facility_bin": facility.bin,
               "facility": facility.name_kk if lang == "kk" and facility.name_kk else facility.name_ru,
               "facility_type": label(facility.type, "type"), "position": item.position,
               "item_code": item.item_code, "section": item.section, "severity": label(item.severity, "severity"),
               "requirement": _text(violation.item_text, lang), "legal_ref": violation.legal_ref or "",
               "action": _text(violation.corrective_action, lang), "state": label(str(row.shown), "item_state"),
               "due_date": row.due_date, "escalation": row.escalation,
               "changed_at": to_almaty(row.changed_at).strftime("%Y-%m-%d %H:%M")}


def write_export(rows, headings: dict[str, str], fmt: str, fp: IO[bytes]) -> int:
    """Write the rows as CSV or XLSX with the headings a person reads."""
    spec = [(c, headings.get(c, c)) for c in EXPORT_COLUMNS]
    if fmt == "csv":
        return write_csv(rows, spec, fp)
    return write_xlsx(rows, spec, fp, sheet_title="prescriptions")


def _text(value: dict[str, str] | None, lang: str) -> str:
    value = value or {}
    return value.get(lang) or value.get("ru") or ""


def prescription_rows(session: Session, prescription: Prescription, today: dt.date | None = None) -> list[ItemRow]:
    """The prescription's items in order, each with its newest state and deadline."""
    today = today or today_almaty()
    out = []
    for item in prescription.items:
        event = session.scalar(sa.select(PrescriptionEvent).where(PrescriptionEvent.item_id == item.id)
                               .order_by(PrescriptionEvent.id.desc()).limit(1))
        out.append(ItemRow(item, event.state, event.due_date, event.escalation, event.at, shown_state(event, today)))
    return out


def facility_history(session: Session, user: User, facility_id: int, limit: int = 100) -> list[PrescriptionEvent]:
    """The newest events of a facility's items in the user's scope, newest first."""
    return list(session.scalars(
        sa.select(PrescriptionEvent).join(PrescriptionItem, PrescriptionItem.id == PrescriptionEvent.item_id)
        .join(Prescription, Prescription.id == PrescriptionItem.prescription_id)
        .where(PrescriptionItem.facility_id == facility_id, prescription_filter(user))
        .order_by(PrescriptionEvent.id.desc()).limit(limit)))


def readable_photo(session: Session, user: User, photo_id: int) -> PrescriptionPhoto:
    """An evidence photo (with its bytes) of a prescription the user may read, or NotFound."""
    photo = session.get(PrescriptionPhoto, photo_id, options=[so.undefer(PrescriptionPhoto.data)])
    if photo is None:
        raise NotFound("Photo not found.")
    event = session.get(PrescriptionEvent, photo.event_id)
    if not may_read_prescription(user, event.item.prescription):
        raise NotFound("Photo not found.")
    return photo

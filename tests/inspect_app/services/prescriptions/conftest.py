"""A school of region A with submitted audits that fail plain items (no photo required), and the helpers the
prescription tests share: submit an audit, open the facility's link, read an item's state."""

import datetime as dt

import pytest

import forms
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Prescription
from inspect_app.services import audits, checklists
from inspect_app.services.audits import drafts
from inspect_app.services.prescriptions import links
from inspect_app.services.prescriptions.items import newest_event
from tests.answers import act_fields
from tests.factories import FacilityFactory
from tests.inspect_app.services.audits.conftest import answers_for, new_uuid


@pytest.fixture
def templates(app, db_session):
    """The builtin checklist templates stored as version 1."""
    checklists.ensure_templates(db.session)
    return checklists.latest_template(db.session, "national")


@pytest.fixture
def school(region_a, templates):
    """A school of region A."""
    return FacilityFactory(region=region_a, type="school", name_ru="Средняя школа № 7 имени Абая",
                           name_kk="Абай атындағы № 7 жалпы білім беретін мектеп")


@pytest.fixture
def plain(templates) -> dict[str, list[str]]:
    """Yes/no items of a school that may fail without a photo, by severity."""
    out: dict[str, list[str]] = {}
    for item in forms.items_for(checklists.parsed(templates), "school"):
        if item.kind == "yes_no" and not item.photo_required_on_fail:
            out.setdefault(item.severity, []).append(item.code)
    return out


def submit(user, facility, day: dt.date, failing=(), passing_only=None) -> Audit:
    """Open a draft through the audit service, answer every item (the `failing` ones fail) and submit it."""
    audit, _created = drafts.create_draft(db.session, user, {
        "client_uuid": new_uuid(), "facility_id": facility.id, "legal_basis": "planned", "inspection_date": day})
    answers = answers_for(checklists.parsed(audit.template), facility.type, failing)
    return audits.submit(db.session, user, audit, {"client_uuid": new_uuid(), "answers": answers, **act_fields()})


def prescription_of(audit: Audit) -> Prescription | None:
    """The prescription drawn up at the audit's submit."""
    import sqlalchemy as sa

    return db.session.scalar(sa.select(Prescription).where(Prescription.audit_id == audit.id))


def state(item) -> str:
    """An item's stored state now (its newest event)."""
    return newest_event(db.session, item.id).state


@pytest.fixture
def issued(users, school, plain):
    """A prescription of a week ago: one critical and one major item; and its facility link's token."""
    audit = submit(users["supervisor"], school, today_almaty() - dt.timedelta(days=7),
                   failing=[plain["critical"][0], plain["major"][0]])
    prescription = prescription_of(audit)
    token = links.issue_link(db.session, users["supervisor"], prescription.id)
    return prescription, token

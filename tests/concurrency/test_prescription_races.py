"""Do prescriptions stay whole when submits and the facility's reports race?

Real concurrent requests at the served app (see conftest), on SQLite or the PostgreSQL of TEST_DATABASE_URL:
audits of different facilities submitted at the same moment get distinct, consecutive numbers; two reports of one
item at the same moment both stay as events while the state changes once.
"""

import uuid

import requests
import sqlalchemy as sa

import forms
from tests.concurrency.conftest import race

SUBMITS = 4


def _facilities(live, n: int) -> list[int]:
    from inspect_app.extensions import db
    from inspect_app.models import Facility
    from tests.factories import FacilityFactory

    with live.app.app_context():
        region = db.session.get(Facility, live.facility_id).region
        made = [FacilityFactory.build(region=region, type="school", lat=43.25, lon=76.95) for _ in range(n)]
        db.session.add_all(made)
        db.session.commit()
        ids = [f.id for f in made]
        db.session.remove()
    return ids


def _failing_item(live) -> str:
    return next(i.code for i in forms.items_for(live.template, "school")
                if i.kind == "yes_no" and not i.photo_required_on_fail)


def _draft(live, facility_id: int) -> int:
    response = live.call("POST", "/api/v1/audits/", "sam", json={
        "client_uuid": str(uuid.uuid4()), "facility_id": facility_id, "legal_basis": "unplanned",
        "basis_reason": "complaint", "signal_source": "Обращение родителей"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _submit(live, audit_id: int):
    from tests.answers import act_fields
    from tests.inspect_app.services.audits.conftest import answers_for

    answers = answers_for(live.template, "school", [_failing_item(live)])
    return lambda: live.call("POST", f"/api/v1/audits/{audit_id}/submit", "sam",
                             json={"client_uuid": str(uuid.uuid4()), "answers": answers, **act_fields()})


def _numbers(live, audit_ids) -> list[str]:
    from inspect_app.extensions import db
    from inspect_app.models import Prescription

    with live.app.app_context():
        numbers = list(db.session.scalars(sa.select(Prescription.number).where(Prescription.audit_id.in_(audit_ids))))
        db.session.remove()
    return numbers


def test_submits_at_once_get_distinct_consecutive_numbers(live):
    """Do audits with failed items submitted at the same moment each get a prescription, numbered without a
    gap or a duplicate in their region's year?"""
    audit_ids = [_draft(live, fid) for fid in _facilities(live, SUBMITS)]
    answers = race(*[_submit(live, audit_id) for audit_id in audit_ids])
    assert [a.status_code for a in answers] == [200] * SUBMITS, [a.text[:200] for a in answers]
    numbers = _numbers(live, audit_ids)
    assert len(numbers) == SUBMITS and len(set(numbers)) == SUBMITS
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(sequences[0], sequences[0] + SUBMITS))
    assert {n.rsplit("-", 1)[0] for n in numbers} == {numbers[0].rsplit("-", 1)[0]}


def test_two_reports_at_once_keep_both_and_change_the_state_once(live):
    """Do two reports of one item sent through the facility's link at the same moment both answer, both stay as
    events, and leave the item reported (one change of state, then a repeat)?"""
    from inspect_app.extensions import db
    from inspect_app.models import Prescription, PrescriptionEvent

    [facility_id] = _facilities(live, 1)
    audit_id = _draft(live, facility_id)
    assert _submit(live, audit_id)().status_code == 200
    with live.app.app_context():
        prescription = db.session.scalar(sa.select(Prescription).where(Prescription.audit_id == audit_id))
        item_id, prescription_id = prescription.items[0].id, prescription.id
        db.session.remove()
    link = live.call("POST", f"/api/v1/prescriptions/{prescription_id}/link", "sam").json()["url"]
    path = live.url + "/p/" + link.split("/p/", 1)[1]

    def report(note):
        def send():
            with requests.Session() as http:
                http.get(path, timeout=60)  # the page sets the session (and its CSRF token when it is on)
                return http.post(path, data={"item_id": item_id, "note": note}, timeout=60)
        return send

    answers = race(report("Первое сообщение"), report("Второе сообщение"))
    assert [a.status_code for a in answers] == [200, 200]
    with live.app.app_context():
        events = db.session.execute(sa.select(PrescriptionEvent.kind, PrescriptionEvent.state)
                                    .where(PrescriptionEvent.item_id == item_id)
                                    .order_by(PrescriptionEvent.id)).all()
        db.session.remove()
    assert [tuple(e) for e in events] == [("issued", "open"), ("reported", "reported"), ("reported", "reported")]

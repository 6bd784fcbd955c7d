"""A prescription's life: drawn up at the submit with its number and deadlines, reported done by the facility,
decided by a supervisor, verified or found not fixed by a follow-up audit, overdue by its deadline alone."""

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import PrescriptionEvent, PrescriptionItem, Region, SettingValue
from inspect_app.models.prescription import ItemState
from inspect_app.services import checklists
from inspect_app.services.errors import Conflict, InvalidInput
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import queries
from inspect_app.services.schedules.signals import facility_signals
from tests.answers import act_fields
from tests.factories import FacilityFactory
from tests.inspect_app.services.audits.conftest import jpeg_bytes
from tests.inspect_app.services.prescriptions.conftest import prescription_of, state, submit


def _events(item) -> list[tuple[str, str]]:
    return [(e.kind, e.state) for e in db.session.scalars(
        sa.select(PrescriptionEvent).where(PrescriptionEvent.item_id == item.id).order_by(PrescriptionEvent.id))]


def test_a_failed_audit_gets_a_numbered_prescription_with_deadlines_from_delivery(users, school, plain):
    """Does a submit with failed items draw up a prescription numbered region-year-sequence, each item open with
    a deadline no earlier than the minimum after delivery, and a clean audit none?"""
    day = today_almaty() - dt.timedelta(days=2)
    other = FacilityFactory(region=school.region, type="school")
    first = prescription_of(submit(users["supervisor"], school, day, failing=[plain["critical"][0]]))
    second = prescription_of(submit(users["supervisor"], other, day, failing=[plain["minor"][0]]))
    assert first.number == f"19-{day.year}-00001" and second.number == f"19-{day.year}-00002"
    [item] = first.items
    assert item.violation.item_code == plain["critical"][0] and state(item) == ItemState.OPEN
    assert item_service.newest_event(db.session, item.id).due_date == day + dt.timedelta(days=10)
    assert item_service.newest_event(db.session, second.items[0].id).due_date >= day + dt.timedelta(days=10)
    assert prescription_of(submit(users["supervisor"], FacilityFactory(region=school.region, type="school"),
                                  day)) is None


def test_the_minimum_is_a_setting(users, school, plain):
    """Does a ministry's longer minimum give a critical item (10 days by default) the longer deadline?"""
    db.session.add(SettingValue(key="prescription_min_days", value=21))
    db.session.flush()
    day = today_almaty()
    prescription = prescription_of(submit(users["supervisor"], school, day, failing=[plain["critical"][0]]))
    assert item_service.newest_event(db.session, prescription.items[0].id).due_date == day + dt.timedelta(days=21)


def test_report_then_accept_verifies_and_reject_reopens(users, issued):
    """Does the facility's report make an item reported, a supervisor's acceptance verified, a rejection open?"""
    prescription, _token = issued
    one, two = prescription.items
    for item in (one, two):
        item_service.report_done(db.session, item.id, prescription.id, "Установлено", [jpeg_bytes()],
                                 10_000_000, "Директор")
        assert state(item) == ItemState.REPORTED
    item_service.decide(db.session, users["supervisor"], one.id, True, "Фото убедительны")
    item_service.decide(db.session, users["supervisor"], two.id, False, "На фото не тот объект")
    assert _events(one) == [("issued", "open"), ("reported", "reported"), ("accepted", "verified")]
    assert _events(two)[-1] == ("rejected", "open")
    with pytest.raises(Conflict):
        item_service.decide(db.session, users["supervisor"], two.id, True, "Снова")  # nothing reported now


def test_bad_reports_and_decisions_name_the_field_and_write_nothing(users, issued):
    """Are a report without a note, one with six photos or a non-image, a decision without a comment, and a
    deadline before the minimum refused (422 on that field) with no event written?"""
    prescription, _token = issued
    item = prescription.items[0]
    before = _events(item)
    cases = [
        (lambda: item_service.report_done(db.session, item.id, prescription.id, " ", [], 10**7, "Д"), "note"),
        (lambda: item_service.report_done(db.session, item.id, prescription.id, "Сделано", [jpeg_bytes()] * 6,
                                          10**7, "Д"), "photos"),
        (lambda: item_service.report_done(db.session, item.id, prescription.id, "Сделано", [b"not an image"],
                                          10**7, "Д"), "photos"),
        (lambda: item_service.set_deadline(db.session, users["supervisor"], item.id,
                                           prescription.delivered_on + dt.timedelta(days=9)), "due_date"),
    ]
    for call, field in cases:
        with pytest.raises(InvalidInput) as refused:
            call()
        assert field in refused.value.errors
        db.session.rollback()
    item_service.report_done(db.session, item.id, prescription.id, "Сделано", [], 10**7, "Д")
    with pytest.raises(InvalidInput) as refused:
        item_service.decide(db.session, users["supervisor"], item.id, True, "  ")
    assert "comment" in refused.value.errors
    assert _events(item) == [*before, ("reported", "reported")]


def test_two_reports_keep_both_events_and_change_the_state_once(issued):
    """Does a second report of an already reported item stay as an event while the state stays reported?"""
    prescription, _token = issued
    item = prescription.items[0]
    for note in ("Первый", "Второй"):
        item_service.report_done(db.session, item.id, prescription.id, note, [], 10**7, "Директор")
    assert _events(item) == [("issued", "open"), ("reported", "reported"), ("reported", "reported")]


def test_a_followup_verifies_one_item_and_fails_another(users, school, issued):
    """Does a follow-up audit that passes one open item and fails the other verify the first, escalate the second
    with a new deadline from the follow-up's day, leave it out of its own prescription, and raise the
    facility's scheduling signal?"""
    prescription, _token = issued
    fixed, again = prescription.items
    today = today_almaty()
    followup = submit(users["supervisor"], school, today, failing=[again.item_code])
    assert _events(fixed)[-1] == ("passed_followup", "verified")
    assert _events(again)[-1] == ("failed_followup", "not_fixed")
    event = item_service.newest_event(db.session, again.id)
    assert event.escalation == 1 and event.due_date == today + dt.timedelta(days=10) and event.audit_id == followup.id
    assert prescription_of(followup) is None  # the re-failed item lives on in its own prescription
    signals = facility_signals(db.session, school.region_id, [school])
    assert signals[school.id].not_fixed == 1


def test_overdue_is_derived_and_listed_first(users, school, plain):
    """Is an open item past its deadline shown overdue (stored open), listed before later critical ones?"""
    old = prescription_of(submit(users["supervisor"], school, today_almaty() - dt.timedelta(days=90),
                                 failing=[plain["minor"][0]]))
    other = FacilityFactory(region=school.region, type="school")
    new = prescription_of(submit(users["supervisor"], other, today_almaty(), failing=[plain["critical"][1]]))
    rows = queries.item_rows(db.session, queries.item_query(users["supervisor"], {}))
    assert [r.item.prescription_id for r in rows] == [old.id, new.id]
    assert rows[0].shown == ItemState.OVERDUE and rows[0].state == ItemState.OPEN
    assert rows[1].shown == ItemState.OPEN
    overdue = queries.item_rows(db.session, queries.item_query(users["supervisor"], {"state": "overdue"}))
    assert [r.item.id for r in overdue] == [old.items[0].id]
    assert queries.counts(db.session, users["supervisor"], {}) == {
        "overdue": 1, "open": 1, "reported": 0, "verified": 0, "not_fixed": 0, "superseded": 0}


def test_a_correction_supersedes_the_prescription_of_the_record_it_corrects(users, school, plain, auth_headers,
                                                                            client):
    """Does a corrected act's submit close the old prescription's items as superseded and draw up its own?"""
    audit = submit(users["supervisor"], school, today_almaty(), failing=[plain["critical"][0]])
    old = prescription_of(audit)
    response = client.post(f"/api/v1/audits/{audit.id}/corrections", headers=auth_headers("supervisor"),
                           json={"client_uuid": "8b1f6c1e-0000-4000-8000-000000000001", "reason": "Опечатка"})
    assert response.status_code in (200, 201), response.get_json()
    from inspect_app.models import Audit
    from inspect_app.services import audits, checklists
    from tests.inspect_app.services.audits.conftest import answers_for, new_uuid

    correction = db.session.get(Audit, response.get_json()["id"])
    answers = answers_for(checklists.parsed(correction.template), school.type, [plain["major"][0]])
    audits.submit(db.session, users["supervisor"], correction, {"client_uuid": new_uuid(), "answers": answers,
                                                               **act_fields()})
    assert state(old.items[0]) == ItemState.SUPERSEDED
    assert [i.item_code for i in prescription_of(correction).items] == [plain["major"][0]]


def test_the_pdf_reads_back_in_each_language(app, users, issued, client, login):
    """Does the prescription's PDF carry its number, its title in ru and kk, the items' deadlines, each item's legal
    reference in the reader's language (the Kazakh one in Kazakh) and the act's verification link?"""
    prescription, _token = issued
    login("supervisor")
    first = checklists.parsed(prescription.audit.template).items_by_code[prescription.items[0].item_code][1]
    titles = {"ru": "ПРЕДПИСАНИЕ ОБ УСТРАНЕНИИ", "kk": "НҰСҚАМА", "en": "PRESCRIPTION"}
    for lang, title in titles.items():
        response = client.get(f"/prescriptions/{prescription.id}/prescription.pdf?lang={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
        assert title in text.replace("\n", " "), (lang, text[:300])
        assert prescription.number in text
        assert f"/verify/{prescription.audit_id}/{prescription.audit.record_hash}" in text.replace("\n", "")
        due = item_service.newest_event(db.session, prescription.items[0].id).due_date
        assert due.strftime("%d.%m.%Y") in text
        reference = first.legal_ref_in(lang)
        assert reference and reference[:25] in " ".join(text.split()), (lang, reference)


def test_items_and_events_are_never_rewritten(issued):
    """Does the database layer refuse to change or delete an item or an event (a change is a new event)?"""
    prescription, _token = issued
    item = prescription.items[0]
    event = item_service.newest_event(db.session, item.id)
    event.note = "подчистка"
    with pytest.raises(Exception, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(PrescriptionItem, item.id))
    with pytest.raises(Exception, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Region, prescription.region_id) is not None


def test_a_corrected_followup_does_not_escalate_twice(users, school, issued, client, auth_headers):
    """Does correcting a follow-up that found an item not fixed leave that item escalated once, and keep it out of
    the corrected act's own prescription?"""
    from inspect_app.models import Audit
    from inspect_app.services import audits, checklists
    from tests.inspect_app.services.audits.conftest import answers_for, new_uuid

    prescription, _token = issued
    again = prescription.items[1]
    followup = submit(users["supervisor"], school, today_almaty(), failing=[again.item_code])
    response = client.post(f"/api/v1/audits/{followup.id}/corrections", headers=auth_headers("supervisor"),
                           json={"client_uuid": new_uuid(), "reason": "Уточнён ответ"})
    correction = db.session.get(Audit, response.get_json()["id"])
    answers = answers_for(checklists.parsed(correction.template), school.type, [again.item_code])
    audits.submit(db.session, users["supervisor"], correction, {"client_uuid": new_uuid(), "answers": answers,
                                                               **act_fields()})
    assert item_service.newest_event(db.session, again.id).escalation == 1
    assert prescription_of(correction) is None


def test_a_corrected_acts_deadlines_run_from_its_own_delivery(users, school, plain, auth_headers, client):
    """Does a correction filed ten days after the inspection deliver its prescription today, with no deadline
    earlier than the minimum after today (they ran from the original visit)?"""
    from inspect_app.models import Audit
    from inspect_app.services import audits, checklists
    from tests.inspect_app.services.audits.conftest import answers_for, new_uuid

    day = today_almaty() - dt.timedelta(days=10)
    audit = submit(users["supervisor"], school, day, failing=[plain["critical"][0]])
    response = client.post(f"/api/v1/audits/{audit.id}/corrections", headers=auth_headers("supervisor"),
                           json={"client_uuid": "8b1f6c1e-0000-4000-8000-000000000002", "reason": "Опечатка"})
    correction = db.session.get(Audit, response.get_json()["id"])
    answers = answers_for(checklists.parsed(correction.template), school.type, [plain["critical"][0]])
    audits.submit(db.session, users["supervisor"], correction, {"client_uuid": new_uuid(), "answers": answers,
                                                               **act_fields()})
    prescription = prescription_of(correction)
    assert prescription.delivered_on == today_almaty()
    (item,) = prescription.items
    due = item_service.newest_event(db.session, item.id).due_date
    assert due >= today_almaty() + dt.timedelta(days=item_service.min_days())
    assert due - today_almaty() == item.violation.due_date - day

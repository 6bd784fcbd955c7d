# ruff: noqa: F811 (the notification fixtures are imported by name and requested as arguments)
"""Are people told of a prescription's life and of a review's decision: the facility gets its link by e-mail (a
webhook never does), supervisors hear of a report, the facility of a verification, reminders go once per deadline,
and an audit's author hears that it was returned?"""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY, today_almaty
from inspect_app.models import OutboxMessage
from inspect_app.services.notifications import outbox, webhooks
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links, notices
from inspect_app.services.reviews.decide import decide
from tests.inspect_app.services.notifications.conftest import people, receiver, smtp  # noqa: F401
from tests.inspect_app.services.prescriptions.conftest import prescription_of, submit

BASE = "https://tekseru.example.kz"


def _drain(settings) -> int:
    return outbox.drain_mail(db.session, settings, base_url=BASE)


@pytest.fixture
def drawn_up(people, school, plain):
    """A prescription of a week ago (two items) of a school with an e-mail address, written by the inspector."""
    school.contact_email = "school7@example.kz"
    db.session.commit()
    audit = submit(people["inspector"], school, today_almaty() - dt.timedelta(days=7),
                   failing=[plain["critical"][0], plain["major"][0]])
    return prescription_of(audit)


def test_the_facility_gets_its_link_by_e_mail_and_a_webhook_never_does(people, drawn_up, smtp, receiver):
    """When a supervisor issues the facility's link, does the facility's address get it, while the supervisor's
    webhook hears of the prescription without the link?"""
    mailbox, settings = smtp
    receiver.start()
    hook = webhooks.register(db.session, people["supervisor"], {"url": receiver.url, "events": ["prescription_issued"]},
                             allow_http=True)
    hook.endpoint.allow_private = True
    db.session.commit()
    token = links.issue_link(db.session, people["supervisor"], drawn_up.id)
    _drain(settings)
    (message,) = mailbox.to("school7@example.kz")
    text = message.get_body(("plain",)).get_content()
    assert f"{BASE}/p/{token}" in text and drawn_up.facility.name_ru in text
    assert webhooks.drain_hooks(db.session, allow_http=True) == 1  # the endpoint asked for this kind only
    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert body["type"] == "prescription_issued" and body["resource"]["number"] == drawn_up.number
    assert token.encode() not in request["body"] and "link_path" not in body["resource"]


def test_a_report_tells_the_supervisors_and_a_verification_tells_the_facility(people, drawn_up, smtp):
    """Does the head's report reach the region's supervisors, and the supervisor's acceptance the facility?"""
    mailbox, settings = smtp
    item = drawn_up.items[0]
    item_service.report_done(db.session, item.id, drawn_up.id, "Сделано", [], 10**7, "Директор")
    _drain(settings)
    assert {"sup.ru@example.kz", "sup.kk@example.kz", "sup.en@example.kz"} <= {
        to for m in mailbox.messages for to in m.envelope_to}
    assert not mailbox.to("school7@example.kz")
    item_service.decide(db.session, people["supervisor"], item.id, True, "Фото убедительны")
    _drain(settings)
    assert len(mailbox.to("school7@example.kz")) == 1


def test_reminders_go_once_per_deadline(people, drawn_up, smtp):
    """Are items due in three days and overdue ones reminded once, however often the daily run comes?"""
    mailbox, settings = smtp
    due = {item.id: item_service.newest_event(db.session, item.id).due_date for item in drawn_up.items}
    first_due = min(due.values())
    morning = dt.datetime.combine(first_due - dt.timedelta(days=3), dt.time(8), ALMATY)
    made = notices.send_reminders(db.session, morning)
    assert made == sum(1 for d in due.values() if d == first_due)
    assert notices.send_reminders(db.session, morning) == 0
    late = dt.datetime.combine(max(due.values()) + dt.timedelta(days=1), dt.time(8), ALMATY)
    assert notices.send_reminders(db.session, late) == len(due)
    assert notices.send_reminders(db.session, late) == 0
    kinds = db.session.scalars(sa.select(OutboxMessage.kind).distinct()).all()
    assert {"item_due_soon", "item_overdue"} <= set(kinds)


def test_a_returned_audit_tells_its_author(people, drawn_up, smtp):
    """Does the inspector whose audit a supervisor returns get an e-mail in their language with the comment?"""
    mailbox, settings = smtp
    decide(db.session, people["supervisor"], drawn_up.audit_id,
           {"outcome": "returned", "comment": "Уточните фото огнетушителей"})
    _drain(settings)
    (message,) = mailbox.to("insp@example.kz")
    assert "Уточните фото огнетушителей" in message.get_body(("plain",)).get_content()

"""Every kind of event in the registry is composed and really sent (the review and prescription kinds too, from
resources shaped as their services will give them), and no message of any kind carries a future visit."""

import re
from datetime import timedelta

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, Job, Schedule, ScheduleVisit
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import utcnow
from inspect_app.services.notifications import (
    audit_resource,
    emit,
    facility_resource,
    job_resource,
    outbox,
    preferences,
    schedule_resource,
    webhooks,
)
from inspect_app.services.notifications.events import EVENTS, WEBHOOK_EVENTS
from inspect_app.services.notifications.weekly import send_weekly
from tests.factories import published_visit

BASE = "https://tekseru.example.kz"
ITEM = {"ru": "Нет тревожной кнопки", "kk": "Дабыл түймесі жоқ", "en": "No panic button"}


def prescription(facility, due) -> dict:
    """A prescription as the prescriptions service will show it (fields the composers read)."""
    return {"id": 41, "facility_id": facility.id, "facility_name_ru": facility.name_ru,
            "facility_name_kk": facility.name_kk, "region_kato": facility.region.kato,
            "link_path": "/p/secret-token-41",
            "items": [{"id": 5, "item_text": ITEM, "due_date": due.isoformat(), "status": "open"}]}


def item(facility, due) -> dict:
    """One prescription item as the prescriptions service will show it."""
    return {"id": 5, "prescription_id": 41, "facility_id": facility.id, "facility_name_ru": facility.name_ru,
            "facility_name_kk": facility.name_kk, "item_text": ITEM, "due_date": due.isoformat(),
            "link_path": "/p/secret-token-41"}


def emit_everything(people, facility, audit: Audit, schedule: Schedule, job: Job, due) -> None:
    """One event of every kind, with the real records where they exist and the shapes of the ones to come."""
    region = facility.region_id
    audit_json = audit_resource(audit)
    inspector = people["inspector"].id
    emit(db.session, EventKind.CRITICAL_VIOLATION, audit_json, region_id=region)
    emit(db.session, EventKind.AUDIT_SUBMITTED, audit_json, region_id=region)
    emit(db.session, EventKind.AUDIT_RETURNED, audit_resource(audit, review_note="Нет фото"), region_id=region,
         user_id=inspector)
    emit(db.session, EventKind.AUDIT_REVIEWED, audit_json, region_id=region, user_id=inspector)
    emit(db.session, EventKind.PRESCRIPTION_ISSUED, prescription(facility, due), region_id=region,
         facility_email="school7@example.kz")
    for kind in (EventKind.ITEM_DUE_SOON, EventKind.ITEM_OVERDUE, EventKind.ITEM_REPORTED_DONE,
                 EventKind.ITEM_VERIFIED):
        emit(db.session, kind, item(facility, due), region_id=region, facility_email="school7@example.kz")
    emit(db.session, EventKind.JOB_FINISHED, job_resource(job), user_id=people["supervisor"].id)
    emit(db.session, EventKind.JOB_FAILED, job_resource(job), user_id=people["sup_kk"].id)
    emit(db.session, EventKind.FACILITY_CREATED, facility_resource(facility), region_id=region)
    emit(db.session, EventKind.FACILITY_CHANGED, facility_resource(facility), region_id=region)
    emit(db.session, EventKind.SCHEDULE_PUBLISHED, schedule_resource(schedule), region_id=region)
    emit(db.session, EventKind.ENDPOINT_DISABLED, {"id": 1, "url": "https://hooks.example.kz/x"},
         user_id=people["admin"].id)
    db.session.commit()


def world(people, facility, audit_api, national):
    """A submitted audit with a critical violation, and the facility's next visits published for later days."""
    audit_json = audit_api.submitted("inspector", facility, national, failing=("safety.panic_button",))
    audit = db.session.get(Audit, audit_json["id"])
    today = today_almaty()
    future = [today + timedelta(days=4), today + timedelta(days=6)]
    visit_ids = [published_visit(db.session, people["inspector"], facility, day=day) for day in future]
    schedule = db.session.get(ScheduleVisit, visit_ids[0]).schedule
    schedule.start_date, schedule.end_date, schedule.commitment = future[0], future[1], "c" * 64
    schedule.published_at = schedule.created_at
    job = Job(id="b" * 32, kind="schedule_build", params={"start": future[0].isoformat()}, status="finished",
              result={"schedules": [schedule.id], "start": future[0].isoformat()}, user_id=people["supervisor"].id)
    db.session.add(job)
    db.session.commit()
    return audit, schedule, job, future


def test_every_event_kind_is_composed_and_sent_to_its_people_in_their_language(people, smtp, audit_api, facility,
                                                                           national):
    """Does each kind reach exactly the people its registry entry names, with a subject in their language?"""
    mailbox, settings = smtp
    audit, schedule, job, _future = world(people, facility, audit_api, national)
    outbox.drain_mail(db.session, settings, base_url=BASE)
    mailbox.messages.clear()
    for person in ("supervisor", "sup_kk", "sup_en", "inspector"):  # everything at once for this test
        for spec in EVENTS.values():
            if people[person].role in spec.roles:
                preferences.save(db.session, people[person], {"email": people[person].email,
                                                               "prefs": {str(spec.kind): "immediate"}})
    emit_everything(people, facility, audit, schedule, job, today_almaty() + timedelta(days=3))
    outbox.drain_mail(db.session, settings, base_url=BASE)
    got = {(a, str(m["Subject"])) for m in mailbox.messages for a in m.envelope_to}
    name_ru, name_kk = facility.name_ru, facility.name_kk
    expected = {
        ("insp@example.kz", f"Акт пысықтауға қайтарылды: {name_kk}"),
        ("insp@example.kz", f"Акт тексерілді: {name_kk}"),
        ("school7@example.kz", f"Предписание: {name_ru}"),
        ("school7@example.kz", f"Срок устранения через 3 дня: {name_ru}"),
        ("sup.en@example.kz", f"Correction due in 3 days: {name_ru}"),
        ("sup.kk@example.kz", f"Жою мерзіміне 3 күн қалды: {name_kk}"),
        ("school7@example.kz", f"Срок устранения истёк: {name_ru}"),
        ("sup.en@example.kz", f"Correction overdue: {name_ru}"),
        ("sup.en@example.kz", f"Facility reported an item done: {name_ru}"),
        ("sup.ru@example.kz", f"Объект сообщил об устранении: {name_ru}"),
        ("school7@example.kz", f"Устранение подтверждено: {name_ru}"),
        ("sup.en@example.kz", f"Critical violation: {name_ru}"),
        ("sup.en@example.kz", f"Audit report submitted: {name_ru}"),
        ("sup.en@example.kz", f"Facility added to the registry: {name_ru}"),
        ("sup.kk@example.kz", f"Тізілім объектісі өзгертілді: {name_kk}"),
        ("sup.ru@example.kz", "Задача завершена: Построение графика"),
        ("sup.kk@example.kz", "Тапсырма орындалмады: Кесте құру"),
        ("admin@example.kz", "Вебхук отключён: https://hooks.example.kz/x"),
    }
    assert expected <= got, expected - got
    assert not [a for a, _s in got if a in ("sup.b@example.kz", "ministry@example.kz")]
    # Each (recipient, event) once; the facility's prescription e-mail carries its secret link.
    assert len(mailbox.messages) == len({m["Message-ID"] for m in mailbox.messages})
    issued = next(m for m in mailbox.to("school7@example.kz") if str(m["Subject"]).startswith("Предписание"))
    assert f"{BASE}/p/secret-token-41" in issued.get_body(("plain",)).get_content()


def test_no_message_of_any_event_type_carries_a_future_visit(people, smtp, receiver, audit_api, facility,
                                                             national, client, login):
    """With the facility's next visits published for later days, does no e-mail (subject, text, HTML) and no
    webhook body of any event type hold those dates, the schedule's horizon or a visit or route field?"""
    mailbox, settings = smtp
    receiver.start()
    created = webhooks.register(db.session, people["admin"], {"url": receiver.url, "events": list(WEBHOOK_EVENTS)},
                                allow_http=True)
    created.endpoint.allow_private = True
    db.session.commit()
    audit, schedule, job, future = world(people, facility, audit_api, national)
    due = today_almaty() + timedelta(days=3)
    emit_everything(people, facility, audit, schedule, job, due)
    login("admin")
    client.post(f"/webhooks/{created.endpoint.id}/test")
    outbox.make_digests(db.session, utcnow() + timedelta(days=1))
    send_weekly(db.session, utcnow() + timedelta(days=7 - utcnow().weekday()))
    outbox.drain_mail(db.session, settings, base_url=BASE)
    webhooks.drain_hooks(db.session, allow_http=True)
    texts = []
    for message in mailbox.messages:
        texts.append(("mail " + str(message["Subject"]), str(message["Subject"])
                      + message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()))
    for event in receiver.requests:
        texts.append(("hook " + event["headers"]["X-Tekseru-Event"], event["body"].decode()))
    kinds_mailed = {k for k, in db.session.execute(sa.text("SELECT DISTINCT kind FROM outbox_message"))}
    kinds_hooked = {e["type"] for e in receiver.events()}
    # Every kind of the registry went out in this test by e-mail, webhook or both.
    assert kinds_mailed | kinds_hooked == {str(k) for k in EventKind}
    forbidden = []
    for day in future:
        forbidden += [day.isoformat(), day.strftime("%d.%m.%Y"), day.strftime("%Y%m%d")]
    words = re.compile(r"schedule_visit|visit_id|\"visits\"|\"routes\"|start_date|end_date|followup_due_date")
    leaks = [(where, f) for where, text in texts for f in forbidden if f in text]
    leaks += [(where, m.group()) for where, text in texts for m in [words.search(text)] if m]
    assert leaks == []
    assert len(texts) > 25

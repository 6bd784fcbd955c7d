"""E-mail through the outbox: the right people, in their language, once; nothing for a rolled-back write;
preferences and digests; every kind of event composed and sent by a real SMTP server."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Job, OutboxMessage
from inspect_app.models.notification import EventKind, MailStatus
from inspect_app.models.vocab import utcnow
from inspect_app.services import jobs
from inspect_app.services.notifications import emit, mailer, outbox, preferences
from inspect_app.services.notifications.weekly import send_weekly
from tests.factories import FacilityFactory

BASE = "https://tekseru.example.kz"
CRITICAL = ("safety.panic_button",)


def drain(settings, **kwargs) -> int:
    return outbox.drain_mail(db.session, settings, base_url=BASE, **kwargs)


def parts(message) -> tuple[str, str]:
    """The plain-text and HTML parts of a received message."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_critical_violation_reaches_the_regions_supervisors_in_their_language(people, smtp, audit_api, facility,
                                                                            national):
    """Does a critical violation reach each supervisor of the region at once, in their language, and nobody else?"""
    mailbox, settings = smtp
    audit = audit_api.submitted("inspector", facility, national, failing=CRITICAL)
    assert drain(settings) == 3
    critical = [m for m in mailbox.messages if facility.name_ru in m["Subject"] or facility.name_kk in m["Subject"]]
    assert sorted(a for m in critical for a in m.envelope_to) == [
        "sup.en@example.kz", "sup.kk@example.kz", "sup.ru@example.kz"]
    subjects = {m.envelope_to[0]: str(m["Subject"]) for m in critical}
    assert subjects["sup.ru@example.kz"] == f"Грубое нарушение: {facility.name_ru}"
    assert subjects["sup.kk@example.kz"] == f"Өрескел бұзушылық: {facility.name_kk}"
    assert subjects["sup.en@example.kz"] == f"Critical violation: {facility.name_ru}"
    text, html = parts(mailbox.to("sup.en@example.kz")[0])
    assert f"{BASE}/audits/{audit['id']}" in text and f'href="{BASE}/audits/{audit["id"]}"' in html
    assert "<img" not in html and "src=" not in html and "http://" not in html
    assert not mailbox.to("sup.b@example.kz")  # another region's supervisor
    # The submission itself waits for the supervisors' daily digest (their default).
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == "audit_submitted", OutboxMessage.status == MailStatus.DIGEST)) == 3
    assert drain(settings) == 0  # sent once: a second run finds nothing


def test_html_part_escapes_what_people_typed(people, smtp, region_a):
    """Is a facility name full of markup shown as text in the HTML part, never as markup?"""
    mailbox, settings = smtp
    facility = FacilityFactory(region=region_a, name_ru='<img src="http://evil.example/x.png">Школа & "Ко"')
    resource = {"id": 1, "facility_name_ru": facility.name_ru, "inspection_date": "2026-12-01",
                "violations": [{"severity": "critical", "item_text": {"ru": "<b>Нет</b>"}, "due_date": "2026-12-11"}]}
    emit(db.session, EventKind.CRITICAL_VIOLATION, resource, region_id=region_a.id)
    db.session.commit()
    drain(settings)
    text, html = parts(mailbox.to("sup.ru@example.kz")[0])
    assert '<img src="http://evil.example/x.png">' in text
    assert "<img" not in html and "&lt;img src=&#34;http://evil.example/x.png&#34;&gt;" in html
    assert "&lt;b&gt;Нет&lt;/b&gt;" in html


def test_a_rolled_back_write_sends_nothing(people, smtp, region_a):
    """Does an event whose transaction rolled back leave nothing in the outbox, while a committed one is sent?"""
    mailbox, settings = smtp
    resource = {"id": 7, "facility_name_ru": "Школа", "inspection_date": "2026-12-01", "violations": []}
    emit(db.session, EventKind.CRITICAL_VIOLATION, resource, region_id=region_a.id)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert drain(settings) == 0 and mailbox.messages == []
    emit(db.session, EventKind.CRITICAL_VIOLATION, resource, region_id=region_a.id)
    db.session.commit()
    assert drain(settings) == 3


def test_a_claimed_message_is_not_sent_by_a_second_worker_until_its_lease_ends(people, region_a):
    """Do two workers never claim the same message, and does a dead worker's claim come free after its lease?"""
    emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": 1, "violations": []}, region_id=region_a.id)
    db.session.commit()
    now = utcnow()
    _token, first = outbox.claim_mail(db.session, lease_seconds=60, now=now)
    _token, second = outbox.claim_mail(db.session, lease_seconds=60, now=now + timedelta(seconds=30))
    assert len(first) == 3 and second == []
    _token, after = outbox.claim_mail(db.session, lease_seconds=60, now=now + timedelta(seconds=61))
    assert sorted(after) == sorted(first)
    assert len(set(db.session.scalars(sa.select(OutboxMessage.key)))) == 3  # one row per recipient


def test_without_a_mail_server_messages_stay_in_the_outbox_for_admins(people, client, login, region_a):
    """With no MAIL_SERVER, is nothing sent and does the admins' outbox page show what would have been?"""
    emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": 3, "facility_name_ru": "Детский сад «Балапан»",
                                                    "inspection_date": "2026-12-01", "violations": []},
         region_id=region_a.id)
    db.session.commit()
    assert outbox.drain_mail(db.session, None, base_url=BASE) == 0
    login("admin")
    page = client.get("/notifications/outbox").get_data(as_text=True)
    assert "Почтовый сервер не настроен" in page and "Детский сад «Балапан»" in page
    assert "sup.kk@example.kz" in page


def test_failed_messages_are_retried_with_backoff_then_shown_and_retried_by_an_admin(people, client, login,
                                                                                   region_a, smtp):
    """Does a refused server leave the message pending with a later retry, failed after the last, and does an
    admin's retry send it?"""
    mailbox, settings = smtp
    dead = type(settings)(server="127.0.0.1", port=1, sender=settings.sender)
    emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": 4, "violations": []}, region_id=region_a.id)
    db.session.commit()
    now = utcnow()
    assert drain(dead, now=now) == 0
    rows = list(db.session.scalars(sa.select(OutboxMessage)))
    assert {r.status for r in rows} == {MailStatus.PENDING} and all(r.next_attempt_at > now for r in rows)
    assert all(r.last_error for r in rows)
    later = now
    for _ in range(len(outbox.MAIL_BACKOFF)):
        later += timedelta(days=1)
        drain(dead, now=later)
    assert {r.status for r in db.session.scalars(sa.select(OutboxMessage))} == {MailStatus.FAILED}
    login("admin")
    assert "не отправлено" in client.get("/notifications/outbox?status=failed").get_data(as_text=True)
    message = rows[0]
    assert client.post(f"/notifications/outbox/{message.id}/retry").status_code == 302
    db.session.refresh(message)
    assert message.status == MailStatus.PENDING
    assert drain(settings) == 1 and mailbox.messages[0]["Message-ID"] == mailer.message_id(message.key, "example.kz")


def test_preferences_digest_and_off(people, smtp, region_a):
    """Does `off` stop an event, `digest` gather a day's e-mails into one the next morning, and `immediate` send?"""
    mailbox, settings = smtp
    preferences.save(db.session, people["supervisor"], {"email": "sup.ru@example.kz",
                                                         "prefs": {"critical_violation": "digest"}})
    preferences.save(db.session, people["sup_kk"], {"email": "sup.kk@example.kz",
                                                     "prefs": {"audit_submitted": "off"}})
    preferences.save(db.session, people["sup_en"], {"email": "sup.en@example.kz",
                                                     "prefs": {"audit_submitted": "immediate"}})
    resource = {"id": 9, "facility_name_ru": "Школа № 1", "inspection_date": "2026-12-01", "result": "passed",
                "inspector_name": "Иванов", "violations": []}
    emit(db.session, EventKind.CRITICAL_VIOLATION, resource, region_id=region_a.id)
    emit(db.session, EventKind.AUDIT_SUBMITTED, resource, region_id=region_a.id)
    db.session.commit()
    drain(settings)
    assert sorted(str(m["Subject"]) for m in mailbox.to("sup.en@example.kz")) == [
        "Audit report submitted: Школа № 1", "Critical violation: Школа № 1"]
    assert [str(m["Subject"]) for m in mailbox.to("sup.kk@example.kz")] == ["Өрескел бұзушылық: Школа № 1"]
    assert mailbox.to("sup.ru@example.kz") == []  # both wait for the digest
    tomorrow = utcnow() + timedelta(days=1)
    assert outbox.make_digests(db.session, tomorrow) == 1
    assert outbox.make_digests(db.session, tomorrow) == 0  # one digest per person and day
    drain(settings)
    (digest,) = mailbox.to("sup.ru@example.kz")
    text, _html = parts(digest)
    assert str(digest["Subject"]).startswith("Сводка уведомлений за")
    assert "Грубое нарушение: Школа № 1" in text and "Акт проверки отправлен: Школа № 1" in text


@pytest.mark.parametrize("prefs, field", [
    ({"critical_violation": "off"}, "pref_critical_violation"),  # supervisors cannot switch it off
    ({"bogus": "immediate"}, "pref_bogus"),
    ({"audit_submitted": "sometimes"}, "pref_audit_submitted"),
    ({"audit_returned": "off"}, "pref_audit_returned"),  # an inspector's event, not a supervisor's
])
def test_a_preference_that_is_not_allowed_is_a_422_naming_it(people, client, login, prefs, field):
    """Is a disallowed or unknown preference refused on the page with 422, naming its field, saving nothing?"""
    login("supervisor")
    data = {"email": "changed@example.kz", **{f"pref_{k}": v for k, v in prefs.items()}}
    response = client.post("/account/notifications", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.refresh(people["supervisor"])
    assert people["supervisor"].email == "sup.ru@example.kz"


def test_a_malformed_address_is_a_422_naming_the_email_field(people, client, login):
    """Is an address that is not one refused with 422 next to the e-mail field?"""
    login("inspector")
    response = client.post("/account/notifications", data={"email": "not an address"})
    assert response.status_code == 422 and 'id="email-error"' in response.get_data(as_text=True)
    response = client.post("/account/notifications", data={"email": "insp2@example.kz",
                                                          "pref_audit_returned": "digest"})
    assert response.status_code == 302
    assert people["inspector"].email == "insp2@example.kz"


def test_the_preferences_page_offers_the_events_of_the_role(people, client, login):
    """Does a supervisor see critical violations without 'off', and an inspector their own events only?"""
    login("supervisor")
    page = client.get("/account/notifications").get_data(as_text=True)
    critical = page.split('id="pref_critical_violation"')[1].split("</select>")[0]
    assert 'value="off"' not in critical and 'value="immediate"' in critical
    assert 'id="pref_audit_returned"' not in page
    client.post("/auth/logout")
    login("inspector")
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'id="pref_audit_returned"' in page and 'id="pref_critical_violation"' not in page


def test_a_finished_and_a_failed_job_tell_who_started_it(app, people, smtp, region_a):
    """Does whoever started a report batch hear that it finished (or failed), and nobody else?"""
    from datetime import date

    from inspect_app.runtime import current_runtime
    from inspect_app.services.audits.reports import start_batch

    mailbox, settings = smtp
    job = start_batch(db.session, people["supervisor"], {"region": region_a.kato, "date_from": date(2026, 1, 1),
                                                          "date_to": date(2026, 1, 31), "lang": "ru"},
                      current_runtime())
    assert db.session.get(Job, job.id).status in ("finished", "failed")
    drain(settings)
    (message,) = mailbox.messages
    assert message.envelope_to == ["sup.ru@example.kz"]
    assert str(message["Subject"]) in ("Задача завершена: Акты за период (ZIP)",
                                       "Задача не выполнена: Акты за период (ZIP)")
    assert f"{BASE}/jobs/{job.id}" in parts(message)[0]
    failed = Job(id="f" * 32, kind="report_batch", params={}, user_id=people["sup_en"].id, status="running")
    db.session.add(failed)
    db.session.commit()
    jobs._finish(db.session, failed.id, "failed", message="boom")
    drain(settings)
    assert [str(m["Subject"]) for m in mailbox.to("sup.en@example.kz")] == ["Job failed: Reports for a period (ZIP)"]


def test_the_weekly_summary_goes_once_a_week_to_supervisors_and_the_ministry(people, smtp, region_a, audit_api,
                                                                          facility, national):
    """Does each supervisor get their region's week and the ministry the country's, once however often it runs?"""
    mailbox, settings = smtp
    audit_api.submitted("inspector", facility, national, failing=CRITICAL)
    drain(settings)
    mailbox.messages.clear()
    next_monday = utcnow() + timedelta(days=7 - utcnow().weekday())
    send_weekly(db.session, next_monday)
    send_weekly(db.session, next_monday)
    drain(settings)
    by_address = {m.envelope_to[0]: m for m in mailbox.messages}
    assert {"sup.ru@example.kz", "sup.kk@example.kz", "sup.en@example.kz", "sup.b@example.kz",
            "ministry@example.kz"} == set(by_address)
    assert len(mailbox.messages) == 5
    text, _ = parts(by_address["sup.ru@example.kz"])
    assert "Проверок проведено: 1." in text and "из них грубых: 1." in text
    assert "Audits carried out: 1." in parts(by_address["ministry@example.kz"])[0]
    assert "Проверок проведено: 0." in parts(by_address["sup.b@example.kz"])[0]


def test_a_job_whose_worker_died_tells_who_started_it(people, smtp):
    """When the sweep ends a job whose worker stopped beating, does its starter hear that it failed?"""
    mailbox, settings = smtp
    job = Job(id="d" * 32, kind="schedule_build", params={}, user_id=people["sup_en"].id, status="running",
              started_at=utcnow() - timedelta(hours=1), heartbeat_at=utcnow() - timedelta(hours=1))
    db.session.add(job)
    db.session.commit()
    from dataclasses import replace

    from inspect_app.runtime import current_runtime

    runtime = replace(current_runtime(), job_heartbeat_seconds=10, job_dead_after_seconds=60, redis_url="")
    assert jobs.sweep_dead_jobs(db.session, runtime) == 1
    drain(settings)
    assert [str(m["Subject"]) for m in mailbox.to("sup.en@example.kz")] == ["Job failed: Schedule build"]

"""Webhooks: signed bodies a receiver can verify, every event once and in order after an outage, private
addresses refused, bad answers logged and retried (never a 500), a day of failures disables the endpoint."""

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import OutboxMessage, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from inspect_app.models.notification import EventKind, HookStatus
from inspect_app.models.vocab import utcnow
from inspect_app.services.notifications import emit, webhooks

SECRET_ALL = ["facility_created", "facility_changed", "audit_submitted", "schedule_published"]


def endpoint_for(user, url, *, events=SECRET_ALL, allow_private=True, region=None) -> webhooks.NewEndpoint:
    """An endpoint registered by `user`; `allow_private`: an admin allow-listed it (the tests' receiver is on
    127.0.0.1)."""
    created = webhooks.register(db.session, user, {"url": url, "events": events, "region": region}, allow_http=True)
    created.endpoint.allow_private = allow_private
    db.session.commit()
    return created


def drain(now=None) -> int:
    return webhooks.drain_hooks(db.session, allow_http=True, now=now)


def new_facility(client, auth_headers, region_a, name="Детский сад «Айгөлек»", bin_=None):
    from tests.factories import valid_bin

    response = client.post("/api/v1/facilities/", headers=auth_headers("supervisor"), json={
        "bin": bin_ or valid_bin(), "name_ru": name, "type": "kindergarten", "agency": "education",
        "region_kato": region_a.kato, "address": "ул. Абая, 2", "lat": 43.25, "lon": 76.95,
        "children_count": 120, "risk": "high", "status": "active"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_delivery_is_signed_and_shows_the_resource_as_the_api_does(people, receiver, client, auth_headers,
                                                                      region_a):
    """Does a created facility reach the receiver as the API shows it (but no follow-up date), signed so that
    the receiver's check passes and a changed body or old timestamp fails?"""
    receiver.start()
    created = endpoint_for(people["admin"], receiver.url)
    facility = new_facility(client, auth_headers, region_a)
    assert drain() == 1
    (request,) = receiver.requests
    body = json.loads(request["body"])
    assert body["type"] == "facility_created" and len(body["id"]) == 32 and body["created_at"]
    api = client.get(f"/api/v1/facilities/{facility['id']}", headers=auth_headers("supervisor")).get_json()
    assert body["resource"] == {k: v for k, v in api.items() if k not in ("followup_due_date", "updated_at")} | {
        "updated_at": body["resource"]["updated_at"]}
    assert "followup_due_date" not in body["resource"]
    header = request["headers"]["X-Tekseru-Signature"]
    assert webhooks.verify(created.secret, header, request["body"])
    assert not webhooks.verify(created.secret, header, request["body"] + b" ")
    assert not webhooks.verify("whsec_other", header, request["body"])
    timestamp = int(header.split(",")[0][2:])
    assert not webhooks.verify(created.secret, header, request["body"], now=timestamp + 3600)  # a replay
    assert request["headers"]["X-Tekseru-Event"] == "facility_created"
    assert drain() == 0 and len(receiver.requests) == 1  # delivered once


def test_an_endpoint_hears_only_its_own_regions_events(people, receiver, region_a, region_b):
    """Does a region B supervisor's endpoint miss region A's events while a national one gets both regions'?"""
    receiver.start()
    regional = endpoint_for(people["supervisor_b"], receiver.url + "?who=b").endpoint
    national = endpoint_for(people["admin"], receiver.url + "?who=all").endpoint
    assert regional.region_id == region_b.id and national.region_id is None
    emit(db.session, EventKind.FACILITY_CREATED, {"id": 1}, region_id=region_a.id)
    emit(db.session, EventKind.FACILITY_CREATED, {"id": 2}, region_id=region_b.id)
    db.session.commit()
    assert drain() == 3
    rows = sorted((d.endpoint_id, json.loads(d.body)["resource"]["id"])
                  for d in db.session.scalars(sa.select(WebhookDelivery)))
    assert rows == sorted([(regional.id, 2), (national.id, 1), (national.id, 2)])


def test_a_receiver_down_for_a_while_gets_every_event_once_in_order(people, receiver, region_a):
    """While the receiver is down, are attempts logged and later events held back; once it is up, does it get
    every event exactly once, in the order they happened, each signature valid?"""
    created = endpoint_for(people["supervisor"], receiver.url)
    endpoint = created.endpoint
    ids = [emit(db.session, EventKind.FACILITY_CHANGED, {"id": n, "name_ru": f"Школа {n}"}, region_id=region_a.id)
           for n in range(5)]
    db.session.commit()
    now = utcnow()
    assert drain(now) == 0
    first = db.session.scalar(sa.select(WebhookDelivery).where(WebhookDelivery.event_id == ids[0]))
    (attempt,) = first.tries
    assert attempt.status_code is None and "Connection" in attempt.error
    assert first.next_attempt_at > now
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookAttempt)) == 1  # the rest wait
    assert drain(now + timedelta(seconds=10)) == 0  # not yet due: no attempt
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookAttempt)) == 1
    later = now
    for hours in (1, 2, 4):
        later = now + timedelta(hours=hours)
        drain(later)
    receiver.start()
    assert drain(now + timedelta(hours=12)) == 5
    assert [e["id"] for e in receiver.events()] == ids
    assert all(webhooks.verify(created.secret, r["headers"]["X-Tekseru-Signature"], r["body"])
               for r in receiver.requests)
    assert drain(now + timedelta(hours=13)) == 0 and len(receiver.requests) == 5
    db.session.refresh(endpoint)
    assert endpoint.active and endpoint.failing_since is None


def test_a_private_address_is_refused_unless_an_admin_allow_lists_it(people, receiver, region_a):
    """Is a delivery to 127.0.0.1 refused (logged, nothing sent) for an endpoint nobody allow-listed?"""
    receiver.start()
    endpoint_for(people["supervisor"], receiver.url, allow_private=False)
    emit(db.session, EventKind.FACILITY_CREATED, {"id": 1}, region_id=region_a.id)
    db.session.commit()
    assert drain() == 0 and receiver.requests == []
    (attempt,) = db.session.scalars(sa.select(WebhookAttempt))
    assert "127.0.0.1" in attempt.error and "private" in attempt.error
    for address in ("10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"):
        assert not webhooks.allowed_address(address), address
    assert webhooks.allowed_address("8.8.8.8") and webhooks.allowed_address("2a00:1450:4001::1")


@pytest.mark.parametrize("status", [302, 404, 500])
def test_a_redirect_or_error_answer_is_logged_and_retried(people, receiver, region_a, status):
    """Is a 3xx (not followed), 4xx or 5xx logged with its status and time and retried later, never raised?"""
    receiver.status = status
    receiver.start()
    endpoint_for(people["admin"], receiver.url)
    emit(db.session, EventKind.FACILITY_CREATED, {"id": 1}, region_id=region_a.id)
    db.session.commit()
    now = utcnow()
    assert drain(now) == 0
    delivery = db.session.scalar(sa.select(WebhookDelivery))
    (attempt,) = delivery.tries
    assert attempt.status_code == status and attempt.duration_ms >= 0 and attempt.error
    assert delivery.status == HookStatus.PENDING and delivery.next_attempt_at > now
    assert len(receiver.requests) == 1  # a redirect is not followed
    receiver.status = 200
    assert drain(now + timedelta(hours=1)) == 1


def test_a_day_of_failures_disables_the_endpoint_and_tells_its_owner(people, receiver, region_a):
    """After retries spanning more than 12 hours and a day of failures, is the endpoint disabled, its owner
    e-mailed, its events kept, and do they go out once it is enabled again?"""
    created = endpoint_for(people["supervisor"], receiver.url)
    emit(db.session, EventKind.FACILITY_CREATED, {"id": 1}, region_id=region_a.id)
    db.session.commit()
    now = utcnow()
    moments = [now + timedelta(hours=h) for h in (0, 1, 3, 6, 12, 18, 23, 28)]
    for moment in moments:
        drain(moment)
    endpoint = db.session.get(WebhookEndpoint, created.endpoint.id)
    assert not endpoint.active and endpoint.disabled_at is not None
    delivery = db.session.scalar(sa.select(WebhookDelivery))
    assert delivery.status == HookStatus.PENDING and len(delivery.tries) >= 6
    assert max(t.at for t in delivery.tries) - min(t.at for t in delivery.tries) >= timedelta(hours=12)
    (message,) = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "endpoint_disabled"))
    assert message.to_address == "sup.ru@example.kz" and receiver.url in message.subject
    receiver.start()
    webhooks.set_active(db.session, endpoint, True)
    assert drain() == 1 and len(receiver.requests) == 1


def test_the_test_button_sends_a_test_event_to_that_endpoint(people, receiver, client, login):
    """Does "send a test event" reach the receiver, signed, and show in the delivery log?"""
    receiver.start()
    created = endpoint_for(people["admin"], receiver.url)
    login("admin")
    assert client.post(f"/webhooks/{created.endpoint.id}/test").status_code == 302
    assert drain() == 1
    (event,) = receiver.events()
    assert event["type"] == "webhook_test"
    assert webhooks.verify(created.secret, receiver.requests[0]["headers"]["X-Tekseru-Signature"],
                           receiver.requests[0]["body"])
    page = client.get(f"/webhooks/{created.endpoint.id}").get_data(as_text=True)
    assert "Проверочное событие" in page and "доставлено" in page and ": 200," in page


@pytest.mark.parametrize("form, field", [
    ({"url": "ftp://example.kz/hook", "events": ["facility_created"]}, "url"),
    ({"url": "not a url", "events": ["facility_created"]}, "url"),
    ({"url": "https://user:pw@example.kz/hook", "events": ["facility_created"]}, "url"),
    ({"url": "https://example.kz/hook", "events": ["bogus"]}, "events"),
    ({"url": "https://example.kz/hook"}, "events"),
    ({"url": "https://example.kz/hook", "events": ["facility_created"], "allow_private": "1"}, "allow_private"),
])
def test_bad_registration_is_a_422_naming_the_field(people, client, login, form, field):
    """Is a malformed URL, an unknown event or a supervisor's allow-listing refused with 422 naming the field?"""
    login("supervisor")
    response = client.post("/webhooks/", data=form)
    assert response.status_code == 422
    assert "Проверьте отмеченные поля" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookEndpoint)) == 0
    with pytest.raises(Exception) as refused:
        webhooks.register(db.session, people["supervisor"], {**form, "events": form.get("events"),
                                                             "allow_private": bool(form.get("allow_private"))},
                          allow_http=False)
    assert field in refused.value.errors


def test_plain_http_is_refused_in_production(people):
    """Does a deployment that allows https only refuse an http URL, naming the url?"""
    from inspect_app.services.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        webhooks.register(db.session, people["admin"], {"url": "http://example.kz/hook",
                                                        "events": ["facility_created"]}, allow_http=False)
    assert refused.value.errors == {"url": ["Only https URLs are allowed."]}


def test_the_secret_is_shown_once_and_endpoints_are_scoped(people, client, login, region_b):
    """Is the secret on the answer that registers the endpoint only, and does a supervisor see their region's
    endpoints only (another region's answers 404)?"""
    login("supervisor")
    response = client.post("/webhooks/", data={"url": "https://hooks.example.kz/a", "events": ["audit_submitted"]})
    assert response.status_code == 200
    endpoint = db.session.scalar(sa.select(WebhookEndpoint))
    assert endpoint.secret in response.get_data(as_text=True)
    assert endpoint.secret not in client.get("/webhooks/").get_data(as_text=True)
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.id}").get_data(as_text=True)
    other = endpoint_for(people["supervisor_b"], "https://hooks.example.kz/b", allow_private=False).endpoint
    assert other.region_id == region_b.id
    assert client.get(f"/webhooks/{other.id}").status_code == 404
    assert "hooks.example.kz/b" not in client.get("/webhooks/").get_data(as_text=True)

"""The facility's secret link: what its page shows and refuses, the head's report through it, expiry once every
item is closed, revocation, throttling like sign-in; and the supervisor's side (link and QR shown once)."""

import datetime as dt
import io

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db, limiter
from inspect_app.i18n import today_almaty
from inspect_app.models import PrescriptionEvent, PrescriptionLink
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links
from inspect_app.services.prescriptions.links import token_hash
from tests.factories import FacilityFactory
from tests.inspect_app.services.audits.conftest import jpeg_bytes
from tests.inspect_app.services.prescriptions.conftest import prescription_of, state, submit


def _report(client, token, item_id, note="Заменили замок", photos=()):
    data = {"item_id": str(item_id), "note": note,
            "photos": [(io.BytesIO(p), f"p{n}.jpg") for n, p in enumerate(photos)]}
    return client.post(f"/p/{token}", data=data, content_type="multipart/form-data")


def _event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PrescriptionEvent))


def test_the_page_shows_only_this_prescription(client, users, issued, plain):
    """Does the link's page show its items, deadlines and states, and nothing of the schedule, other facilities,
    other prescriptions or the people behind the accounts?"""
    prescription, token = issued
    other = prescription_of(submit(users["supervisor"], FacilityFactory(region=prescription.region, type="school",
                                                                        name_ru="Чужая гимназия"),
                                   today_almaty(), failing=[plain["minor"][0]]))
    page = client.get(f"/p/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert prescription.number in text and prescription.facility.name_ru in text
    for item in prescription.items:
        due = item_service.newest_event(db.session, item.id).due_date
        assert item.violation.item_text["ru"] in text
        assert f'id="item-{item.id}"' in text and str(due.day) in text
    assert other.number not in text and "Чужая гимназия" not in text
    assert users["supervisor"].full_name not in text and "/schedules" not in text and "/my/route" not in text
    assert 'href="/audits' not in text and 'href="/facilities' not in text


def test_the_head_reports_an_item_done_through_the_link(client, issued):
    """Does a report with a note and photos make the item reported, and is a missing note, a sixth photo, or an
    item of another prescription refused naming the field, with nothing written?"""
    prescription, token = issued
    item = prescription.items[0]
    before = _event_count()
    assert _report(client, token, item.id, note="").status_code == 422
    assert _report(client, token, item.id, photos=[jpeg_bytes()] * 6).status_code == 422
    response = _report(client, token, item.id, photos=[b"not a photo"])
    assert response.status_code == 422 and 'id="photos-error-' in response.get_data(as_text=True)
    assert _report(client, token, 999_999).status_code == 422
    assert _event_count() == before and state(item) == "open"
    assert _report(client, token, item.id, photos=[jpeg_bytes()] * 5).status_code == 200
    event = item_service.newest_event(db.session, item.id)
    assert event.state == "reported" and event.via_link and len(event.photos) == 5 and event.actor_id is None


def test_revoked_unknown_and_expired_links_open_nothing(client, users, issued):
    """Is a revoked link, an unknown one, and a link whose items are all closed refused (404), and does a new
    link replace the old one at once?"""
    prescription, token = issued
    assert client.get("/p/not-a-link").status_code == 404
    newer = links.issue_link(db.session, users["supervisor"], prescription.id)
    assert client.get(f"/p/{token}").status_code == 404 and client.get(f"/p/{newer}").status_code == 200
    links.revoke_link(db.session, users["supervisor"], prescription.id)
    assert client.get(f"/p/{newer}").status_code == 404
    latest = links.issue_link(db.session, users["supervisor"], prescription.id)
    for item in prescription.items:
        item_service.report_done(db.session, item.id, prescription.id, "Сделано", [], 10**7, "Директор")
        item_service.decide(db.session, users["supervisor"], item.id, True, "Принято")
    assert client.get(f"/p/{latest}").status_code == 404
    stored = db.session.scalars(sa.select(PrescriptionLink.token_hash)).all()
    assert token_hash(latest) in stored and latest not in stored  # only the hash is kept


def test_bad_links_are_throttled_like_sign_in(app, client, issued, monkeypatch):
    """After the limit of unknown links from one address, is even the right link answered 429 for a while?"""
    _prescription, token = issued
    monkeypatch.setitem(app.config, "THROTTLE_ENABLED", True)
    monkeypatch.setitem(app.config, "THROTTLE_LIMITS", {**app.config["THROTTLE_LIMITS"],
                                                        "prescription_link": ("3 per 15 minutes",)})
    limiter.reset()
    try:
        assert [client.get(f"/p/guess-{n}").status_code for n in range(3)] == [404, 404, 404]
        refused = client.get(f"/p/{token}")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    finally:
        limiter.reset()


def test_the_supervisor_sees_the_link_and_its_qr_once(client, login, issued):
    """Does issuing a link show its URL and a QR code on that answer only, never on the page afterwards?"""
    prescription, _token = issued
    login("supervisor")
    answer = client.post(f"/prescriptions/{prescription.id}/link")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "/p/" in text and 'src="data:image/svg+xml;base64,' in text
    url = text.split('id="link-url" type="text" readonly value="')[1].split('"')[0]
    assert client.get(url.split("5000", 1)[-1]).status_code == 200
    assert "/p/" not in client.get(f"/prescriptions/{prescription.id}").get_data(as_text=True)


def test_the_supervisor_decides_on_the_page_and_a_missing_comment_is_named(client, login, issued):
    """Does the page's accept need a comment (422 naming it, nothing written) and then verify the item?"""
    prescription, _token = issued
    item = prescription.items[0]
    item_service.report_done(db.session, item.id, prescription.id, "Сделано", [], 10**7, "Директор")
    login("supervisor")
    refused = client.post(f"/prescriptions/items/{item.id}/decide", data={"decision": "accept", "comment": ""})
    assert refused.status_code == 422 and state(item) == "reported"
    early = (prescription.delivered_on + dt.timedelta(days=3)).isoformat()
    assert client.post(f"/prescriptions/items/{item.id}/deadline", data={"due_date": early}).status_code == 422
    assert client.post(f"/prescriptions/items/{item.id}/decide",
                       data={"decision": "accept", "comment": "Принято"}).status_code == 302
    assert state(item) == "verified"


@pytest.mark.parametrize("role", ["supervisor", "ministry"])
def test_the_lists_and_the_facility_page_show_the_items(client, login, issued, role):
    """Do the list, its CSV and the facility's page show the prescription's items to those who read them?"""
    prescription, _token = issued
    login(role)
    assert prescription.number in client.get("/prescriptions/?state=unclosed").get_data(as_text=True)
    csv = client.get("/prescriptions/export?format=csv").get_data(as_text=True)
    assert prescription.number in csv and prescription.items[0].violation.item_text["ru"] in csv
    assert client.get("/prescriptions/export?format=xlsx").data[:2] == b"PK"
    shown = client.get(f"/facilities/{prescription.facility_id}").get_data(as_text=True)
    assert prescription.number in shown and 'id="facility-prescriptions"' in shown
    assert prescription.number in client.get(f"/prescriptions/facility/{prescription.facility_id}").get_data(
        as_text=True)


def test_the_kazakh_link_page_cites_the_norms_in_kazakh(client, issued):
    """Does the facility's page in Kazakh give each item's legal reference in Kazakh (it showed the Russian one)?"""
    import html

    from inspect_app.services import checklists

    prescription, token = issued
    template = checklists.parsed(prescription.audit.template).items_by_code
    text = " ".join(html.unescape(client.get(f"/p/{token}?lang=kk").get_data(as_text=True)).split())
    for item in prescription.items:
        reference = template[item.item_code][1]
        assert reference.legal_ref_in("kk") in text and reference.legal_ref_in("ru") not in text

"""The facility's link after a report and after a correction: the head's photos shown through the link only,
reports throttled per link, and a corrected act's prescription reached through the same link with the act version
in force."""

import io

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from inspect_app.extensions import db, limiter
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, PrescriptionEvent
from inspect_app.services import audits, checklists
from inspect_app.services.prescriptions import links
from inspect_app.services.prescriptions.items import newest_event
from tests.answers import act_fields
from tests.factories import FacilityFactory
from tests.inspect_app.services.audits.conftest import answers_for, jpeg_bytes, new_uuid
from tests.inspect_app.services.prescriptions.conftest import prescription_of, state, submit


def _report(client, token, item_id, note="Заменили замок", photos=(), lang=None):
    data = {"item_id": str(item_id), "note": note,
            "photos": [(io.BytesIO(p), f"p{n}.jpg") for n, p in enumerate(photos)]}
    url = f"/p/{token}" + (f"?lang={lang}" if lang else "")
    return client.post(url, data=data, content_type="multipart/form-data")


def _correct(client, auth_headers, users, audit, failing, reason="Опечатка в пункте"):
    """File a correction of `audit` through the API and submit it with `failing` items failed."""
    response = client.post(f"/api/v1/audits/{audit.id}/corrections", headers=auth_headers("supervisor"),
                           json={"client_uuid": new_uuid(), "reason": reason})
    assert response.status_code in (200, 201), response.get_json()
    correction = db.session.get(Audit, response.get_json()["id"])
    answers = answers_for(checklists.parsed(correction.template), correction.facility.type, failing)
    return audits.submit(db.session, users["supervisor"], correction,
                         {"client_uuid": new_uuid(), "answers": answers, **act_fields()})


def test_the_head_sees_their_photos_through_the_link_only(client, users, issued, plain):
    """After a report with two photos, does the link's page show both as thumbnails served through the link,
    while the same photo is refused without the link, through another facility's link, or once revoked?"""
    prescription, token = issued
    item = prescription.items[0]
    assert _report(client, token, item.id, photos=[jpeg_bytes(), jpeg_bytes()]).status_code == 200
    ids = [p.id for p in newest_event(db.session, item.id).photos]
    text = client.get(f"/p/{token}").get_data(as_text=True)
    for photo_id in ids:
        assert f'src="/p/{token}/photos/{photo_id}?size=thumb"' in text
    thumb = client.get(f"/p/{token}/photos/{ids[0]}?size=thumb")
    full = client.get(f"/p/{token}/photos/{ids[0]}")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg" and thumb.data[:2] == b"\xff\xd8"
    assert full.status_code == 200 and len(full.data) > 0 and full.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/prescriptions/photos/{ids[0]}").status_code in (302, 401)  # no account: no photo
    other = prescription_of(submit(users["supervisor"], FacilityFactory(region=prescription.region, type="school"),
                                   today_almaty(), failing=[plain["minor"][0]]))
    other_token = links.issue_link(db.session, users["supervisor"], other.id)
    assert client.get(f"/p/{other_token}/photos/{ids[0]}").status_code == 404
    assert client.get(f"/p/{other_token}?earlier={prescription.id}").status_code == 404
    assert f"/photos/{ids[0]}" not in client.get(f"/p/{other_token}").get_data(as_text=True)
    links.revoke_link(db.session, users["supervisor"], prescription.id)
    assert client.get(f"/p/{token}/photos/{ids[0]}?size=thumb").status_code == 404


@pytest.mark.parametrize(("lang", "words"), [("ru", "Слишком много сообщений по этой ссылке"),
                                             ("kk", "Осы сілтеме бойынша хабарламалар тым көп")])
def test_reports_through_one_link_are_throttled(app, client, users, issued, plain, monkeypatch, lang, words):
    """Past the limit of reports through one valid link, is the next refused 429 with words the head reads in
    their language and nothing written, while another facility's link still takes its report?"""
    prescription, token = issued
    monkeypatch.setitem(app.config, "THROTTLE_ENABLED", True)
    monkeypatch.setitem(app.config, "THROTTLE_LIMITS", {**app.config["THROTTLE_LIMITS"],
                                                        "prescription_report": ("2 per hour",)})
    other = prescription_of(submit(users["supervisor"], FacilityFactory(region=prescription.region, type="school"),
                                   today_almaty(), failing=[plain["minor"][0]]))
    other_token = links.issue_link(db.session, users["supervisor"], other.id)
    limiter.reset()
    try:
        first, second = prescription.items
        assert _report(client, token, first.id, lang=lang).status_code == 200
        assert _report(client, token, second.id, note="", lang=lang).status_code == 422
        before = db.session.scalar(sa.select(sa.func.count()).select_from(PrescriptionEvent))
        refused = _report(client, token, second.id, lang=lang)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert words in refused.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PrescriptionEvent)) == before
        assert state(second) == "open"
        assert client.get(f"/p/{token}").status_code == 200  # reading is not a report
        assert _report(client, other_token, other.items[0].id).status_code == 200
    finally:
        limiter.reset()


def test_a_corrected_act_reaches_the_facility_through_the_same_link(client, users, issued, plain, auth_headers,
                                                                    login):
    """After a correction, does the old link open the new prescription with the act version in force and its
    reason, say which prescription it replaces, show the old one read only as replaced, and take reports on the
    new items; and does a link issued for the new prescription retire the old one?"""
    prescription, token = issued
    first = _correct(client, auth_headers, users, prescription.audit, [plain["major"][0]])
    new = prescription_of(first)
    assert new is not None and new.id != prescription.id
    page = client.get(f"/p/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"№ {new.number}" in text and 'id="replaces"' in text
    assert f'href="/p/{token}?earlier={prescription.id}"' in text
    assert "редакция 2" in text and "Опечатка в пункте" in text
    assert new.items[0].violation.item_text["ru"] in text and 'name="item_id"' in text

    old_page = client.get(f"/p/{token}?earlier={prescription.id}")
    old_text = old_page.get_data(as_text=True)
    assert old_page.status_code == 200 and 'id="replaced"' in old_text and new.number in old_text
    assert f'href="/p/{token}"' in old_text and 'name="item_id"' not in old_text and "редакция 2" in old_text
    refresh()  # the test's app context outlives the requests: forget the locale picked for the previous one
    kk = client.get(f"/p/{token}?earlier={prescription.id}&lang=kk").get_data(as_text=True)
    assert "2-редакция" in kk and "ауыстырылды" in kk
    refresh()
    client.get(f"/p/{token}?lang=ru")

    assert _report(client, token, prescription.items[0].id).status_code == 422  # a replaced item takes no report
    assert _report(client, token, new.items[0].id).status_code == 200 and state(new.items[0]) == "reported"

    login("supervisor")  # the new prescription's page knows the facility already holds a live link
    assert "Ссылка выдана" in client.get(f"/prescriptions/{new.id}").get_data(as_text=True)
    newer = links.issue_link(db.session, users["supervisor"], new.id)
    assert client.get(f"/p/{token}").status_code == 404 and client.get(f"/p/{newer}").status_code == 200
    assert "?earlier=" not in client.get(f"/p/{newer}").get_data(as_text=True)  # its chain starts at the new one


def test_a_correction_without_violations_says_nothing_is_left(client, users, issued, auth_headers):
    """When the corrected act finds nothing to remedy, does the link say the prescription no longer applies,
    with the act version in force, and take no report?"""
    prescription, token = issued
    _correct(client, auth_headers, users, prescription.audit, [], reason="Нарушения не подтвердились")
    text = client.get(f"/p/{token}").get_data(as_text=True)
    assert 'id="replaced"' in text and "устранять нечего" in text and "Нарушения не подтвердились" in text
    assert 'name="item_id"' not in text
    assert _report(client, token, prescription.items[0].id).status_code == 200  # ignored: nothing to report on
    assert state(prescription.items[0]) == "superseded"

"""From a stop to an audit: one audit per visit, the visit following it, check-in distance, not done, discard,
and no registry search for inspectors."""

import io
import uuid

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Audit, AuditPhoto
from tests.answers import act_fields
from tests.inspect_app.services.audits.conftest import jpeg_bytes


class Api:
    """The API as one user: bearer token on every call."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def __getattr__(self, method):
        return lambda url, **kw: getattr(self.client, method)(url, headers=self.headers, **kw)


@pytest.fixture
def api(client, auth_headers):
    """`api("inspector").post(...)`."""
    return lambda role: Api(client, auth_headers(role))


def _arrive(api_, visit, **extra):
    body = {"client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit.id, "facility_id": visit.facility_id,
            "gps_lat": visit.facility.lat, "gps_lon": visit.facility.lon, "gps_accuracy_m": 12, **extra}
    return api_.post("/api/v1/audits/", json=body)


def test_a_second_arrive_reopens_the_open_draft(client, login, api, day):
    """Do three arrivals at one stop (new UUIDs, as after back buttons) give one audit tied to the visit?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    first = _arrive(api_, visit)
    assert first.status_code == 201, first.get_json()
    again = [_arrive(api_, visit) for _ in range(2)]
    assert [r.status_code for r in again] == [200, 200]
    assert {r.get_json()["id"] for r in again} == {first.get_json()["id"]}
    assert db.session.scalar(sa.select(sa.func.count(Audit.id)).where(Audit.schedule_visit_id == visit.id)) == 1
    db.session.refresh(visit)
    assert visit.status == "checked_in"


def test_the_visit_follows_its_audit(client, login, api, day, national):
    """Does the stop go checked in -> draft (answers on the server) -> submitted?"""
    from tests.inspect_app.services.audits.conftest import answers_for

    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    audit_id = _arrive(api_, visit).get_json()["id"]
    answers = answers_for(national, visit.facility.type)
    code = next(iter(answers))
    assert api_.patch(f"/api/v1/audits/{audit_id}", json={"answers": {code: answers[code]}}).status_code == 200
    db.session.refresh(visit)
    assert visit.status == "draft"
    response = api_.post(f"/api/v1/audits/{audit_id}/submit", json={"client_uuid": str(uuid.uuid4()),
                                                                       "answers": answers, **act_fields()})
    assert response.status_code == 200, response.get_json()
    db.session.refresh(visit)
    assert visit.status == "submitted"
    stops = api_.get("/api/v1/my/route").get_json()["stops"]
    assert stops[0]["status"] == "submitted" and stops[0]["audit_id"] == audit_id


def test_check_in_far_from_the_facility_is_flagged(client, login, api, day, app):
    """Is a check-in 1 km away allowed but flagged with its distance, and a near one not?"""
    login("inspector")
    api_ = api("inspector")
    near, far = day["today"]
    body = _arrive(api_, near).get_json()
    assert body["checkin_far"] is False and body["checkin_distance_m"] < 1
    body = _arrive(api_, far, gps_lat=far.facility.lat + 0.009).get_json()
    assert body["checkin_far"] is True and 950 < body["checkin_distance_m"] < 1050
    client.post("/auth/logout")
    login("supervisor")
    api_ = api("supervisor")
    assert "Далеко от объекта" in client.get(f"/audits/{body['id']}").get_data(as_text=True)


def test_inspector_cannot_start_audits_outside_the_released_route(client, login, api, day, clock):
    """Are audits refused for tomorrow's stop, another inspector's stop, no visit, and is /audits/new gone?"""
    login("inspector")
    api_ = api("inspector")
    assert _arrive(api_, day["tomorrow"]).status_code == 404
    assert _arrive(api_, day["others"]).status_code == 404
    free = api_.post("/api/v1/audits/", json={"client_uuid": str(uuid.uuid4()), "legal_basis": "planned",
                                                 "facility_id": day["facilities"][2].id})
    assert free.status_code == 422 and "schedule_visit_id" in free.get_json()["errors"]["json"]
    assert client.get("/audits/new").status_code == 403
    assert client.get("/audits/new?q=Школа").status_code == 403
    wrong = _arrive(api_, day["today"][0], facility_id=day["facilities"][3].id)
    assert wrong.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Audit.id))) == 0


def test_not_done_with_reason(client, login, api, day):
    """Is a visit that could not happen recorded with its reason, and does it then refuse an audit?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][1]
    bad = api_.post(f"/api/v1/my/route/visits/{visit.id}/not-done", json={"reason": "holiday"})
    assert bad.status_code == 422 and "reason" in bad.get_json()["errors"]["json"]
    ok = api_.post(f"/api/v1/my/route/visits/{visit.id}/not-done", json={"reason": "refused_entry",
                                                                        "note": "Охрана не пустила"})
    assert ok.status_code == 200 and ok.get_json()["status"] == "not_done"
    db.session.refresh(visit)
    assert (visit.status, visit.not_done_reason, visit.not_done_note) == ("not_done", "refused_entry",
                                                                         "Охрана не пустила")
    assert visit.status_at is not None
    assert _arrive(api_, visit).status_code == 409
    page = client.get("/my/route").get_data(as_text=True)
    assert "Недопуск инспектора на объект" in page


def test_not_done_from_the_stop_page_form(client, login, api, day):
    """Does the stop page's form record the reason?"""
    login("inspector")
    visit = day["today"][1]
    response = client.post(f"/my/route/stops/{visit.id}/not-done", data={"reason": "closed", "note": ""},
                           follow_redirects=True)
    assert "Объект закрыт" in response.get_data(as_text=True)


def test_not_done_refused_while_a_draft_is_open(client, login, api, day):
    """Is a not-done refused while the stop's draft is open (its answers would be silently dropped)?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    _arrive(api_, visit)
    assert api_.post(f"/api/v1/my/route/visits/{visit.id}/not-done", json={"reason": "closed"}).status_code == 409


def test_discard_a_draft_by_its_author(client, login, api, day, users):
    """Can the author discard a draft with a reason (visit planned again, a new arrive makes a new audit),
    while the supervisor cannot and an empty reason is refused?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    audit_id = _arrive(api_, visit).get_json()["id"]
    client.post("/auth/logout")
    login("supervisor")
    api_ = api("supervisor")
    assert api_.post(f"/api/v1/audits/{audit_id}/discard", json={"reason": "ошибка"}).status_code == 403
    client.post("/auth/logout")
    login("inspector")
    api_ = api("inspector")
    assert api_.post(f"/api/v1/audits/{audit_id}/discard", json={"reason": ""}).status_code == 422
    response = api_.post(f"/api/v1/audits/{audit_id}/discard", json={"reason": "Начал не тот объект"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "discarded"
    assert response.get_json()["discard_reason"] == "Начал не тот объект"
    db.session.refresh(visit)
    assert visit.status == "planned"
    again = _arrive(api_, visit)
    assert again.status_code == 201 and again.get_json()["id"] != audit_id
    assert api_.post(f"/api/v1/audits/{audit_id}/discard", json={"reason": "ещё раз"}).status_code == 409


def test_a_retried_not_done_answers_the_same(client, login, api, day):
    """Does a not-done sent again with its client UUID (a phone's outbox after a lost answer) answer 200 with the
    visit as first recorded, while another not-done of that visit is refused?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][1]
    url = f"/api/v1/my/route/visits/{visit.id}/not-done"
    body = {"reason": "closed", "note": "Карантин", "client_uuid": str(uuid.uuid4())}
    first, again = api_.post(url, json=body), api_.post(url, json=body)
    assert (first.status_code, again.status_code) == (200, 200), again.get_json()
    assert again.get_json()["reason"] == "closed" and again.get_json()["status"] == "not_done"
    db.session.refresh(visit)
    assert (visit.status, visit.not_done_reason, visit.not_done_note) == ("not_done", "closed", "Карантин")
    other = api_.post(url, json={"reason": "other", "client_uuid": str(uuid.uuid4())})
    assert other.status_code == 409
    assert api_.post(url, json={"reason": "other"}).status_code == 409
    db.session.refresh(visit)
    assert visit.not_done_reason == "closed"


def test_a_retried_discard_answers_the_same(client, login, api, day):
    """Does a discard sent again with its client UUID answer 200 with the discarded draft (its first reason),
    while a discard under another UUID is refused and a new arrive still opens a new audit?"""
    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    audit_id = _arrive(api_, visit).get_json()["id"]
    body = {"reason": "Не тот объект", "client_uuid": str(uuid.uuid4())}
    first = api_.post(f"/api/v1/audits/{audit_id}/discard", json=body)
    again = api_.post(f"/api/v1/audits/{audit_id}/discard", json=body)
    assert (first.status_code, again.status_code) == (200, 200), again.get_json()
    assert again.get_json()["status"] == "discarded" and again.get_json()["discard_reason"] == "Не тот объект"
    assert api_.post(f"/api/v1/audits/{audit_id}/discard",
                     json={"reason": "ещё раз", "client_uuid": str(uuid.uuid4())}).status_code == 409
    assert db.session.get(Audit, audit_id).discard_reason == "Не тот объект"
    assert _arrive(api_, visit).status_code == 201


def test_a_submitted_audit_cannot_be_discarded(client, login, api, day, national):
    """Is a discard of a submitted audit refused, leaving it submitted?"""
    from tests.inspect_app.services.audits.conftest import answers_for

    login("inspector")
    api_ = api("inspector")
    visit = day["today"][0]
    audit_id = _arrive(api_, visit).get_json()["id"]
    api_.post(f"/api/v1/audits/{audit_id}/submit", json={"client_uuid": str(uuid.uuid4()), **act_fields(),
                                                            "answers": answers_for(national, visit.facility.type)})
    assert api_.post(f"/api/v1/audits/{audit_id}/discard", json={"reason": "передумал"}).status_code == 409
    assert db.session.get(Audit, audit_id).status == "submitted"


def test_a_retried_photo_upload_is_stored_once(client, login, api, day):
    """Does a photo sent twice with one client UUID make one stored photo?"""
    login("inspector")
    api_ = api("inspector")
    audit_id = _arrive(api_, day["today"][0]).get_json()["id"]
    photo_uuid = str(uuid.uuid4())
    codes = []
    for _ in range(2):
        response = api_.post(f"/api/v1/audits/{audit_id}/photos", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg"), "client_uuid": photo_uuid})
        codes.append(response.status_code)
    assert codes == [201, 200]
    assert db.session.scalar(sa.select(sa.func.count(AuditPhoto.id)).where(AuditPhoto.audit_id == audit_id)) == 1


def test_stop_page_opens_the_visit_checklist(client, login, api, day):
    """Does the stop page show its own checklist, the arrive button, navigation and no registry search?"""
    login("inspector")
    visit = day["today"][0]
    text = client.get(f"/my/route/stops/{visit.id}").get_data(as_text=True)
    assert 'id="arrive"' in text and 'id="checklist"' in text and "geo:" in text
    assert f'"visit": {visit.id}' in text and "checklist.js" in text
    assert "<script>" not in text and " onclick=" not in text

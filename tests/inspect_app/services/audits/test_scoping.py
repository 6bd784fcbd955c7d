"""Who may see and change which audits, endpoint by endpoint."""

import pytest

from tests.factories import UserFactory
from tests.inspect_app.services.audits.conftest import jpeg_bytes, new_uuid


@pytest.fixture
def other_inspector(region_a, auth_headers, users):
    """A second inspector of the same region."""
    users["inspector2"] = UserFactory(username="inspector2", role="inspector", region=region_a)
    return "inspector2"


@pytest.fixture
def submitted(audit_api, facility, national):
    """A submitted audit of the first inspector."""
    return audit_api.submitted("inspector", facility, national, failing={"safety.video_police"})


def test_another_inspector_gets_404_everywhere(audit_api, client, auth_headers, other_inspector, submitted, facility):
    draft = audit_api.create("inspector", facility).get_json()
    h = auth_headers(other_inspector)
    assert client.get(f"/api/v1/audits/{submitted['id']}", headers=h).status_code == 404
    assert client.get(f"/api/v1/audits/{submitted['id']}/report.pdf", headers=h).status_code == 404
    assert client.patch(f"/api/v1/audits/{draft['id']}", json={"notes": "x"}, headers=h).status_code == 404
    assert audit_api.photo(other_inspector, draft["id"], jpeg_bytes()).status_code == 404
    assert audit_api.submit(other_inspector, draft["id"]).status_code == 404
    assert client.post(f"/api/v1/audits/{submitted['id']}/corrections", headers=h,
                       json={"client_uuid": new_uuid(), "reason": "ошибка"}).status_code == 404
    listed = client.get("/api/v1/audits/", headers=h).get_json()
    assert listed == []


def test_a_retried_create_uuid_of_someone_else_is_refused(audit_api, facility, other_inspector):
    client_uuid = new_uuid()
    audit_api.create("inspector", facility, client_uuid=client_uuid)
    assert audit_api.create(other_inspector, facility, client_uuid=client_uuid).status_code == 409


def test_supervisor_of_another_region_gets_404(client, auth_headers, submitted, audit_api, facility):
    h = auth_headers("supervisor_b")
    assert client.get(f"/api/v1/audits/{submitted['id']}", headers=h).status_code == 404
    assert client.get(f"/api/v1/audits/{submitted['id']}/report.pdf", headers=h).status_code == 404
    assert client.get("/api/v1/audits/", headers=h).get_json() == []
    assert audit_api.create("supervisor_b", facility).status_code == 404


def test_supervisor_of_the_region_reads_and_lists_with_filters(client, auth_headers, submitted, facility):
    h = auth_headers("supervisor")
    assert client.get(f"/api/v1/audits/{submitted['id']}", headers=h).status_code == 200
    for query, expected in [
        (f"facility_id={facility.id}", 1),
        ("region=190000000", 1),
        ("region=750000000", 0),
        ("result=pass_with_violations", 0),
        ("result=fail", 1),
        (f"date_from={submitted['inspection_date']}&date_to={submitted['inspection_date']}", 1),
        ("date_from=2000-01-01&date_to=2000-12-31", 0),
        (f"user_id={submitted['user_id']}", 1),
    ]:
        assert len(client.get(f"/api/v1/audits/?{query}", headers=h).get_json()) == expected, query


def test_ministry_reads_but_cannot_write(client, auth_headers, submitted, audit_api, facility):
    h = auth_headers("ministry")
    assert client.get(f"/api/v1/audits/{submitted['id']}", headers=h).status_code == 200
    assert client.get(f"/api/v1/audits/{submitted['id']}/report.pdf?lang=en", headers=h).status_code == 200
    assert audit_api.create("ministry", facility).status_code == 403
    assert client.post(f"/api/v1/audits/{submitted['id']}/corrections", headers=h,
                       json={"client_uuid": new_uuid(), "reason": "ошибка"}).status_code == 403
    violation = submitted["violations"][0]["id"]
    assert client.post(f"/api/v1/audits/violations/{violation}/resolve", json={},
                       headers=h).status_code == 403


def test_supervisor_resolves_a_violation_without_touching_the_record(client, auth_headers, submitted, runner):
    violation = submitted["violations"][0]["id"]
    response = client.post(f"/api/v1/audits/violations/{violation}/resolve", json={"note": "Подключено к ЦОУ"},
                           headers=auth_headers("supervisor"))
    assert response.status_code == 200 and response.get_json()["status"] == "resolved"
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_browser_session_needs_the_csrf_header(app, client, login, facility, monkeypatch):
    login("inspector")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    payload = {"client_uuid": new_uuid(), "facility_id": facility.id, "legal_basis": "planned"}
    assert client.post("/api/v1/audits/", json=payload).status_code == 400

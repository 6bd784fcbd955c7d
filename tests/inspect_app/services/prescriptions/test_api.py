"""The prescriptions API: lists scoped by role and region, filters, one prescription, decisions and deadlines with
their refusals, the facility link, strict bodies."""

import datetime as dt

import pytest

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.services.prescriptions import items as item_service


@pytest.mark.parametrize(("role", "sees"), [("admin", True), ("ministry", True), ("supervisor", True),
                                            ("supervisor_b", False)])
def test_the_list_is_scoped_by_region(client, auth_headers, issued, role, sees):
    """Does the items' list hold region A's items for the national roles and A's supervisor, none for B's?"""
    prescription, _token = issued
    response = client.get("/api/v1/prescriptions/items", headers=auth_headers(role))
    assert response.status_code == 200
    numbers = {row["number"] for row in response.get_json()}
    assert (prescription.number in numbers) is sees
    assert response.headers["X-Pagination"]


def test_an_inspector_may_not_list_and_reads_only_their_own(client, auth_headers, issued):
    """Is the list refused to an inspector (403) and another's prescription hidden (404)?"""
    prescription, _token = issued
    assert client.get("/api/v1/prescriptions/items", headers=auth_headers("inspector")).status_code == 403
    assert client.get(f"/api/v1/prescriptions/{prescription.id}", headers=auth_headers("inspector")).status_code == 404


def test_filters_and_the_detail(client, auth_headers, issued):
    """Do the state and severity filters narrow the list, and does the detail carry items with their events?"""
    prescription, _token = issued
    headers = auth_headers("supervisor")
    critical = client.get("/api/v1/prescriptions/items?severity=critical", headers=headers).get_json()
    assert {row["severity"] for row in critical} == {"critical"}
    assert client.get("/api/v1/prescriptions/items?state=verified", headers=headers).get_json() == []
    assert client.get("/api/v1/prescriptions/items?state=nonsense", headers=headers).status_code == 422
    detail = client.get(f"/api/v1/prescriptions/{prescription.id}", headers=headers).get_json()
    assert detail["number"] == prescription.number
    assert [e["kind"] for e in detail["items"][0]["events"]] == ["issued"]
    assert detail["items"][0]["state"] == "open"


def test_decisions_and_deadlines(client, auth_headers, issued):
    """Is a decision refused to the ministry (403) and on an unreported item (409), a deadline before the minimum
    422 naming due_date, an unknown field 422, and an accepted report verified?"""
    prescription, _token = issued
    item = prescription.items[0]
    url = f"/api/v1/prescriptions/items/{item.id}"
    body = {"decision": "accept", "comment": "Принято"}
    assert client.post(f"{url}/decision", json=body, headers=auth_headers("ministry")).status_code == 403
    assert client.post(f"{url}/decision", json=body, headers=auth_headers("supervisor")).status_code == 409
    early = (prescription.delivered_on + dt.timedelta(days=2)).isoformat()
    refused = client.post(f"{url}/deadline", json={"due_date": early}, headers=auth_headers("supervisor"))
    assert refused.status_code == 422 and "due_date" in str(refused.get_json())
    assert client.post(f"{url}/decision", json={**body, "extra": 1},
                       headers=auth_headers("supervisor")).status_code == 422
    later = (today_almaty() + dt.timedelta(days=40)).isoformat()
    moved = client.post(f"{url}/deadline", json={"due_date": later}, headers=auth_headers("supervisor"))
    assert moved.status_code == 201 and moved.get_json()["due_date"] == later
    item_service.report_done(db.session, item.id, prescription.id, "Сделано", [], 10**7, "Директор")
    decided = client.post(f"{url}/decision", json=body, headers=auth_headers("supervisor"))
    assert decided.status_code == 201 and decided.get_json()["state"] == "verified"


def test_the_link_through_the_api(client, auth_headers, issued):
    """Does a supervisor get a working link once, which a DELETE revokes; and is it refused to the ministry?"""
    prescription, _token = issued
    url = f"/api/v1/prescriptions/{prescription.id}/link"
    assert client.post(url, headers=auth_headers("ministry")).status_code == 403
    link = client.post(url, headers=auth_headers("supervisor")).get_json()["url"]
    path = "/p/" + link.split("/p/", 1)[1]
    assert client.get(path).status_code == 200
    assert client.delete(url, headers=auth_headers("supervisor")).status_code == 204
    assert client.get(path).status_code == 404

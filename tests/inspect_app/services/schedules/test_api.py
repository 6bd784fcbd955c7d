"""The schedules API: build, read, visits, publish, export, my route, and who may do what."""


import pytest

from inspect_app.services.schedules import engine as schedule_engine
from tests.inspect_app.services.schedules.conftest import START, TIME_LIMIT
from tests.inspect_app.services.schedules.helpers import build


def test_build_through_the_api_gives_a_valid_draft(client, auth_headers, users, region_a, registry_a):
    """Does POST /schedules/ start a job whose schedule the engine's validator accepts?"""
    response = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                           json={"start": START.isoformat(), "days": 5, "seed": 11, "time_limit": TIME_LIMIT})
    assert response.status_code == 202, response.get_json()
    job = client.get(response.get_json()["status_url"], headers=auth_headers("supervisor"))
    listed = client.get("/api/v1/schedules/", headers=auth_headers("supervisor")).get_json()
    assert len(listed) == 1 and listed[0]["region_kato"] == region_a.kato and listed[0]["seed"] == 11
    schedule_id = listed[0]["id"]
    exported = client.get(f"/api/v1/schedules/{schedule_id}/export", headers=auth_headers("supervisor")).get_json()
    problem = client.get(f"/api/v1/schedules/{schedule_id}/export?what=problem",
                         headers=auth_headers("supervisor")).get_json()
    assert schedule_engine.validate(problem, exported) == []
    visits = client.get(f"/api/v1/schedules/{schedule_id}/visits", headers=auth_headers("supervisor")).get_json()
    assert len(visits) == sum(len(r["stops"]) for r in exported["routes"]) > 0
    del job


def test_publish_gives_a_commitment_and_the_public_page_confirms_it(client, auth_headers, users, region_a,
                                                                   registry_a):
    """Does publishing fix a commitment that the public page confirms without the schedule?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    response = client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers("supervisor"))
    assert response.status_code == 200, response.get_json()
    commitment = response.get_json()["commitment"]
    assert commitment == schedule_engine.commitment(schedule.schedule, schedule.seed)
    page = client.get(f"/schedules/commitment/{commitment}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert region_a.name_ru in text and commitment in text
    first_facility = schedule.visits[0].facility
    assert first_facility.name_ru not in text
    assert client.get(f"/schedules/commitment/{'0' * 64}").status_code == 404
    again = client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers("supervisor"))
    assert again.status_code == 409


@pytest.mark.parametrize("path", ["", "/visits", "/export", "/publish", "/edits"])
def test_supervisor_of_another_region_gets_404(client, auth_headers, users, region_a, registry_a, path):
    """Does every schedule endpoint hide region A's schedule from region B's supervisor?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    url = f"/api/v1/schedules/{schedule.id}{path}"
    if path in ("/publish", "/edits"):
        response = client.post(url, headers=auth_headers("supervisor_b"),
                               json={"action": "remove", "visit_id": schedule.visits[0].id})
    else:
        response = client.get(url, headers=auth_headers("supervisor_b"))
    assert response.status_code == 404
    assert client.get("/api/v1/schedules/", headers=auth_headers("supervisor_b")).get_json() == []


def test_inspector_can_neither_build_nor_read_schedules(client, auth_headers, users, region_a, registry_a):
    """Is an inspector refused builds (403) and region schedules (404, empty list)?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    response = client.post("/api/v1/schedules/", headers=auth_headers("inspector"),
                           json={"region": region_a.kato, "start": START.isoformat()})
    assert response.status_code == 403
    assert client.get(f"/api/v1/schedules/{schedule.id}", headers=auth_headers("inspector")).status_code == 404
    assert client.get("/api/v1/schedules/", headers=auth_headers("inspector")).get_json() == []


def test_supervisor_cannot_build_for_another_region(client, auth_headers, users, region_a, region_b):
    """Is a build for region B by region A's supervisor refused as if B did not exist?"""
    response = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                           json={"region": region_b.kato, "start": START.isoformat()})
    assert response.status_code == 404

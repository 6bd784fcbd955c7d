"""Do schedule builds refuse dates out of range before starting a job, and do schedule times say they are UTC?"""

import re

import pytest

from tests.inspect_app.services.schedules.helpers import build

OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize("start", ["9999-12-20", "0001-01-01"])
def test_build_starting_out_of_range_is_422_without_a_job(client, auth_headers, region_a, registry_a, start):
    """Is a horizon starting in year 9999 (which overflowed inside the job) refused up front, naming `start`?"""
    response = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                           json={"start": start, "days": 5, "time_limit": 1})
    assert response.status_code == 422
    assert "start" in response.get_json()["errors"]["json"]


def test_schedule_times_carry_their_utc_offset(client, auth_headers, users, region_a, registry_a):
    """Do a schedule's creation and publication times come with their UTC offset?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    published = client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers("supervisor"))
    body = published.get_json()
    for key in ("created_at", "published_at"):
        assert OFFSET.search(body[key]), (key, body[key])
    listed = client.get("/api/v1/schedules/", headers=auth_headers("supervisor")).get_json()
    assert OFFSET.search(listed[0]["created_at"])

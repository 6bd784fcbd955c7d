"""Are a build's solve time and horizon, and a report batch's period, bounded the same way on every path?"""

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Job
from inspect_app.runtime import current_runtime
from inspect_app.schemas.schedule import BUILD_DAYS, BUILD_TIME_LIMIT
from inspect_app.services import schedules
from inspect_app.services.errors import InvalidInput
from tests.inspect_app.services.schedules.conftest import START


@pytest.mark.parametrize("field, value", [("time_limit", 3600), ("time_limit", BUILD_TIME_LIMIT.max + 1),
                                          ("days", 30), ("days", BUILD_DAYS.max + 1), ("days", 0)])
def test_api_refuses_a_build_beyond_the_limits(client, auth_headers, region_a, field, value):
    """Does a supervisor's build of 3600 s or 30 days get 422 naming the field, and start no job?"""
    body = {"start": START.isoformat(), "days": 5, "time_limit": 2, field: value}
    response = client.post("/api/v1/schedules/", json=body, headers=auth_headers("supervisor"))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 0


@pytest.mark.parametrize("field, value", [("time_limit", 3600), ("days", 30)])
def test_service_and_cli_reuse_the_schema_limits(runner, users, region_a, field, value):
    """Do the service (which the CLI calls) and `flask schedule build` refuse the same values as the API?"""
    data = {"region": region_a.kato, "start": START, "days": 5, "time_limit": 2, field: value}
    with pytest.raises(InvalidInput) as refused:
        schedules.check_build(db.session, users["admin"], data, current_runtime())
    assert field in refused.value.errors
    option = "--time-limit" if field == "time_limit" else "--days"
    result = runner.invoke(args=["schedule", "build", "--region", region_a.kato, "--start", START.isoformat(),
                                 option, str(value)])
    assert result.exit_code != 0


def test_report_batch_period_is_bounded(client, auth_headers, region_a):
    """Is a batch of more than a year of reports refused with 422 naming date_to?"""
    body = {"region": region_a.kato, "date_from": "2020-01-01", "date_to": "2026-12-31"}
    response = client.post("/api/v1/audits/report-batches", json=body, headers=auth_headers("supervisor"))
    assert response.status_code == 422
    assert "date_to" in response.get_json()["errors"]["json"]
    ok = dict(body, date_from="2026-01-01")
    assert client.post("/api/v1/audits/report-batches", json=ok, headers=auth_headers("supervisor")).status_code != 422

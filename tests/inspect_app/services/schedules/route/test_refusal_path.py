"""Does a refused stop tell nothing by its cost? An inspector's own future stop, another inspector's stop and
a visit id that does not exist must be refused by the same database work, so that scanning visit ids (which
follow dates) cannot time which future days hold one's own stops."""

import uuid

import pytest
import sqlalchemy as sa
from flask import g

from inspect_app.extensions import db
from inspect_app.models import ScheduleVisit


def _statements(client, request) -> list[str]:
    """The status code and the SQL statements one request runs in a fresh session (parameters aside)."""
    # A request starts with an empty identity map and no user in `g`; the test shares its session and `g`.
    db.session.expunge_all()
    g.pop("_login_user", None)
    seen: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many):
        # The test's savepoints stand for each request's transaction; where one begins is the harness's doing.
        if "SAVEPOINT" not in statement:
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = request(client)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    return [response.status_code, *seen]


REQUESTS = {
    "stop page": lambda visit_id, day, headers: lambda c: c.get(f"/my/route/stops/{visit_id}"),
    "not done": lambda visit_id, day, headers: lambda c: c.post(
        f"/api/v1/my/route/visits/{visit_id}/not-done", headers=headers,
        json={"reason": "closed", "client_uuid": str(uuid.uuid4())}),
    "arrive": lambda visit_id, day, headers: lambda c: c.post(
        "/api/v1/audits/", headers=headers,
        json={"client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit_id, "facility_id": day["facility_id"],
              "legal_basis": "planned", "gps_lat": 43.25, "gps_lon": 76.95}),
}


@pytest.mark.parametrize("what", REQUESTS)
def test_three_kinds_of_refusal_run_the_same_statements(client, login, day, auth_headers, what):
    """Are the inspector's own unreleased stop (tomorrow's), another inspector's stop and a missing id refused
    with the same status by the same SQL statements, none of which reads the schedule's problem?"""
    headers = auth_headers("inspector")
    login("inspector")
    client.get("/api/v1/my/route", headers=headers)  # the token's last use is written once; not in what is timed
    missing = db.session.scalar(sa.select(sa.func.max(ScheduleVisit.id))) + 1000
    ids = {"own unreleased": day["tomorrow"].id, "another's": day["others"].id, "missing": missing}
    values = {"facility_id": day["facilities"][0].id}  # read now: each request starts with no object loaded
    _statements(client, REQUESTS[what](missing, values, headers))  # what a first request of the test loads once
    runs = {kind: _statements(client, REQUESTS[what](visit_id, values, headers)) for kind, visit_id in ids.items()}
    assert runs["own unreleased"][0] == 404
    assert runs["own unreleased"] == runs["another's"] == runs["missing"]
    assert not any("problem" in statement for statement in runs["own unreleased"][1:])

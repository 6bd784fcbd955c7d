"""Races on schedules, as two supervisors (or two tabs) really cause them: threads against a served app.

The app runs on 127.0.0.1 over its own migrated database (a temporary SQLite file, or a schema of its own
on the PostgreSQL of TEST_DATABASE_URL), because the rolled-back per-test connection of the other tests
cannot be shared across server threads. Each race releases its requests together with a barrier.
Before the fix: two drafts published at once answered 200 and 500 (StaleDataError), a repeated commitment
500 (unique key), and two builds of one region at once both saved drafts.
"""

import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from tests.served import dispose, make_app, own_database, serve

START = dt.date(2031, 3, 3)
TIME_LIMIT = 1


@pytest.fixture(scope="module")
def served():
    """(base URL, app, supervisor token, region) of an app served from threads with one small region."""
    from inspect_app.extensions import db
    from inspect_app.services.users import create_user, issue_token
    from tests.factories import almaty_region
    from tests.inspect_app.services.schedules.conftest import make_region_registry

    with own_database("race") as database_url:
        app = make_app(database_url, JOBS_INLINE=False)
        with app.app_context():
            region = almaty_region(db.session)
            user = create_user(db.session, "supervisor", "race-pass-1", "supervisor", region_kato="190000000")
            make_region_registry(region, n_facilities=12, n_inspectors=2)
            db.session.commit()
            token = issue_token(db.session, user, "race")
            region_id = region.id
            db.session.remove()
        try:
            with serve(app) as base:
                yield base, app, token, region_id
        finally:
            dispose(app)


def _call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def _together(calls):
    """Run the calls at the same moment (a barrier) and return their answers in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(10)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _draft(app, seed, start):
    """A draft built inline (the served app keeps building in threads)."""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.services import schedules
    from inspect_app.services.jobs import execute
    from tests.runtime import runtime_changed

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
        try:
            with runtime_changed(app, jobs_inline=True) as runtime:
                job = schedules.submit_build(db.session, user, {"start": start, "days": 2, "seed": seed,
                                                                "time_limit": TIME_LIMIT}, runtime)
                job = execute(db.session, job.id, runtime)
            ids = job.result["schedule_ids"]
        finally:
            db.session.remove()
    return ids[0]


def _statuses(app, ids):
    from inspect_app.extensions import db
    from inspect_app.models import Schedule

    with app.app_context():
        rows = {s.id: s.status for s in db.session.scalars(sa.select(Schedule).where(Schedule.id.in_(ids)))}
        db.session.remove()
    return [rows[i] for i in ids]


@pytest.mark.parametrize("week", [0, 1])
def test_two_overlapping_drafts_published_at_once_give_one_200_and_one_409(served, week):
    """Publishing two drafts of one period at the same moment: exactly one wins, the other hears why."""
    base, app, token, _ = served
    start = START + dt.timedelta(weeks=2 * week)
    a, b = _draft(app, 11 + week, start), _draft(app, 21 + week, start)
    answers = _together([lambda: _call(base, token, "POST", f"/api/v1/schedules/{a}/publish"),
                         lambda: _call(base, token, "POST", f"/api/v1/schedules/{b}/publish")])
    assert sorted(code for code, _ in answers) == [200, 409], answers
    loser = next(body for code, body in answers if code == 409)
    assert "уже охватывает эти даты" in loser["message"]
    assert sorted(_statuses(app, [a, b])) == ["draft", "published"]


@pytest.mark.parametrize("week", [4, 5])
def test_one_draft_published_twice_at_once_gives_one_commitment(served, week):
    """The same draft published from two tabs at once: one 200, one 409, one commitment."""
    base, app, token, _ = served
    draft = _draft(app, 31 + week, START + dt.timedelta(weeks=2 * week))
    answers = _together([lambda: _call(base, token, "POST", f"/api/v1/schedules/{draft}/publish")] * 2)
    assert sorted(code for code, _ in answers) == [200, 409], answers
    assert _statuses(app, [draft]) == ["published"]


def test_two_builds_of_one_region_at_once_give_one_job_and_a_409_naming_it(served):
    """Two builds of one region started at the same moment: one runs, the other answers 409 naming that job."""
    base, app, token, _ = served
    body = {"start": (START + dt.timedelta(weeks=20)).isoformat(), "days": 2, "seed": 5, "time_limit": TIME_LIMIT}
    answers = _together([lambda: _call(base, token, "POST", "/api/v1/schedules/", body)] * 2)
    assert sorted(code for code, _ in answers) == [202, 409], answers
    job_id = next(b for code, b in answers if code == 202)["job_id"]
    assert f"задание {job_id}" in next(b for code, b in answers if code == 409)["message"]
    assert _wait(app, job_id) == "finished"
    # Once it finished, the region may build again.
    code, again = _call(base, token, "POST", "/api/v1/schedules/", {**body, "seed": 6})
    assert code == 202 and _wait(app, again["job_id"]) == "finished"


def _wait(app, job_id, seconds=120):
    """The job's final status (bounded wait)."""
    from inspect_app.extensions import db
    from inspect_app.models import Job

    deadline = time.monotonic() + seconds
    status = "?"
    while time.monotonic() < deadline:
        with app.app_context():
            status = db.session.get(Job, job_id).status
            db.session.remove()
        if status in ("finished", "failed", "cancelled"):
            break
        time.sleep(0.5)
    return status

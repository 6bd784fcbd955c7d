"""Races of a real phone day against a served app (threads over HTTP on 127.0.0.1), on this run's database
kind: many "arrive" retries for one stop make one audit, a photo retried in parallel is stored once."""

import io
import threading
import uuid

import pytest
import requests
import sqlalchemy as sa
from PIL import Image

from tests.served import make_app, own_database, seed_day, serve

THREADS = 8


@pytest.fixture(scope="module")
def live():
    """(base URL, seeded ids, app) of a served app with one inspector's day."""
    with own_database() as url:
        app = make_app(url)
        ids = seed_day(app)
        with serve(app) as base:
            yield base, ids, app
        from inspect_app.extensions import db

        with app.app_context():
            db.engine.dispose()


def _together(fn, n=THREADS):
    """Run fn(k) in n threads released at the same instant; return the results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(k):
        barrier.wait(timeout=10)
        results[k] = fn(k)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _count(app, sql, **params):
    from inspect_app.extensions import db

    with app.app_context():
        value = db.session.execute(sa.text(sql), params).scalar()
        db.session.remove()
        return value


def test_parallel_arrivals_at_one_stop_make_one_audit(live):
    """Do 8 simultaneous check-ins of one stop (each with its own UUID, as from retries and back buttons)
    all answer 200/201 with the same audit, and leave exactly one audit for the visit?"""
    base, ids, app = live
    visit_id, facility_id, lat, lon = ids["today"][0]
    headers = {"Authorization": f"Bearer {ids['token']}"}

    def arrive(_k):
        body = {"client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit_id, "facility_id": facility_id,
                "gps_lat": lat, "gps_lon": lon, "gps_accuracy_m": 10}
        r = requests.post(f"{base}/api/v1/audits/", json=body, headers=headers, timeout=60)
        return r.status_code, r.json().get("id")

    results = _together(arrive)
    assert sorted(code for code, _ in results) == [200] * (THREADS - 1) + [201], results
    assert len({audit_id for _, audit_id in results}) == 1
    assert _count(app, "SELECT count(*) FROM audit WHERE schedule_visit_id = :v", v=visit_id) == 1
    assert _count(app, "SELECT status FROM schedule_visit WHERE id = :v", v=visit_id) == "checked_in"


def test_a_photo_retried_in_parallel_is_stored_once(live):
    """Do 8 simultaneous uploads of one photo with one client UUID store it once?"""
    base, ids, app = live
    visit_id, facility_id, lat, lon = ids["today"][1]
    headers = {"Authorization": f"Bearer {ids['token']}"}
    audit = requests.post(f"{base}/api/v1/audits/", headers=headers, timeout=60, json={
        "client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit_id, "facility_id": facility_id}).json()
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buf, "JPEG")
    photo_uuid = str(uuid.uuid4())

    def upload(_k):
        r = requests.post(f"{base}/api/v1/audits/{audit['id']}/photos", headers=headers, timeout=60,
                          files={"file": ("p.jpg", buf.getvalue(), "image/jpeg")},
                          data={"client_uuid": photo_uuid})
        return r.status_code, r.json().get("id")

    results = _together(upload)
    assert sorted(code for code, _ in results) == [200] * (THREADS - 1) + [201], results
    assert len({pid for _, pid in results}) == 1
    assert _count(app, "SELECT count(*) FROM audit_photo WHERE audit_id = :a", a=audit["id"]) == 1


def test_route_reads_racing_saves_are_all_answered_and_logged(live):
    """4 threads reading the day's route while 4 save answers of the day's draft, 5 times each: does every read
    answer 200 and leave its line in the access log, and every save 200, on SQLite's single writer too?"""
    import datetime as dt

    import forms
    from inspect_app.extensions import db
    from inspect_app.services import checklists

    base, ids, app = live
    visit_id, facility_id, _, _ = ids["today"][0]
    headers = {"Authorization": f"Bearer {ids['token']}"}
    audit = requests.post(f"{base}/api/v1/audits/", headers=headers, timeout=60, json={
        "client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit_id, "facility_id": facility_id}).json()
    with app.app_context():
        template = checklists.parsed(checklists.latest_template(db.session, "national"))
        db.session.remove()
    codes = [item.code for item in forms.items_for(template, "school") if item.kind == "yes_no"][:20]
    logged_before = _count(app, "SELECT count(*) FROM route_access")

    def work(k):
        codes_seen = []
        with requests.Session() as http:
            http.headers.update(headers)
            for n in range(5):
                if k % 2 == 0:
                    r = http.get(f"{base}/api/v1/my/route", timeout=60)
                else:
                    code = codes[(k // 2) * 5 + n]
                    now = dt.datetime.now(dt.UTC).isoformat()
                    r = http.patch(f"{base}/api/v1/audits/{audit['id']}", timeout=60,
                                   json={"answers": {code: {"value": "yes"}}, "answers_saved_at": {code: now}})
                codes_seen.append(r.status_code)
        return codes_seen

    results = _together(work)
    assert [code for result in results for code in result] == [200] * (THREADS * 5), results
    assert _count(app, "SELECT count(*) FROM route_access") - logged_before == (THREADS // 2) * 5
    saved = requests.get(f"{base}/api/v1/audits/{audit['id']}", headers=headers, timeout=60).json()["answers"]
    assert set(codes[:(THREADS // 2) * 5]) <= set(saved)


def test_a_logged_route_read_takes_sqlites_write_lock_at_its_start(live):
    """On SQLite, does every transaction of a route read that writes the access log (the API's and the page's)
    begin with BEGIN IMMEDIATE, waiting for the write lock as other writers do, rather than reading in a
    deferred transaction that must then upgrade (and fail as "database is locked" under load)? And does a plain
    read keep a deferred BEGIN?"""
    from inspect_app.extensions import db

    base, ids, app = live
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    begins: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        headers = {"Authorization": f"Bearer {ids['token']}"}
        assert requests.get(f"{base}/api/v1/my/route", headers=headers, timeout=60).status_code == 200
        api_begins, begins[:] = list(begins), []
        assert requests.get(f"{base}/api/v1/audits/", headers=headers, timeout=60).status_code == 200
        plain_begins = list(begins)
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert api_begins and set(api_begins) == {"BEGIN IMMEDIATE"}, api_begins
    assert plain_begins and set(plain_begins) == {"BEGIN"}, plain_begins

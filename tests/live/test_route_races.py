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

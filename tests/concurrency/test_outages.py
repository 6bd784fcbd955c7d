"""Do outages answer honestly? The served app reaches PostgreSQL through a TCP proxy this module starts, which
then refuses (the database went down) or black-holes (accepts, then forwards nothing, as a network that drops
packets); every page and API call must answer 503 saying so within about ten seconds, and work again after.

The shared PostgreSQL is never touched: each fault lives in the proxy.
"""

import time

import pytest
import requests
import sqlalchemy as sa

from tests.faults import postgres_url, proxy_to
from tests.served import PASSWORD, dispose, make_app, own_database, seed_day, serve
from tests.services import TEST_REDIS_URL, redis_or_skip

PAGES = ("/", "/facilities/", "/dashboard", "/audits/", "/schedules/")
# Worst case the README promises: a black-holed pooled connection is given up after its pre-ping's deadline,
# then a new one after the connect timeout.
DEADLINE_S = 12


@pytest.fixture(scope="module")
def behind_proxy():
    """(base URL, proxy, seeded ids) of an app whose PostgreSQL (a schema of its own) is reached via a proxy."""
    url = postgres_url()
    with own_database("outage", url) as database, proxy_to("127.0.0.1", sa.engine.make_url(url).port or 5432) as proxy:
        through = sa.engine.make_url(database).set(host="127.0.0.1", port=proxy.port)
        app = make_app(through.render_as_string(hide_password=False), DB_CONNECT_TIMEOUT=3)
        ids = seed_day(app)
        try:
            with serve(app) as base:
                yield base, proxy, ids, app, database
        finally:
            proxy.forward()
            dispose(app)


def _signed_in(base: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(f"{base}/auth/login", data={"username": "supervisor", "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200 and "/auth/login" not in answer.url
    return http


def _every_kind_of_request(base, http, token):
    """(what, response, seconds) for the supervisor's pages, the inspector's API read and write."""
    bearer = {"Authorization": f"Bearer {token}"}
    calls = [(f"page {p}", lambda p=p: http.get(base + p, timeout=60)) for p in PAGES]
    calls.append(("api route", lambda: requests.get(f"{base}/api/v1/my/route", headers=bearer, timeout=60)))
    calls.append(("api write", lambda: requests.post(f"{base}/api/v1/audits/", headers=bearer, timeout=60,
                                                     json={"client_uuid": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
                                                           "facility_id": 1, "legal_basis": "planned"})))
    out = []
    for what, call in calls:
        began = time.monotonic()
        response = call()
        out.append((what, response, time.monotonic() - began))
    return out


def _assert_honest_503s(results):
    print("seconds to a 503:", {what: round(seconds, 1) for what, _, seconds in results})
    for what, response, seconds in results:
        assert response.status_code == 503, (what, response.status_code, response.text[:300])
        assert response.headers.get("Retry-After"), what
        assert "База данных" in response.text or "База данных" in response.json().get("message", ""), what
        assert seconds < DEADLINE_S, (what, seconds)


def _assert_back(base, http, token):
    for what, response, _ in _every_kind_of_request(base, http, token)[:-1]:
        assert response.status_code == 200, (what, response.status_code)


def test_database_down_answers_503_on_every_page_of_a_signed_in_user(behind_proxy):
    """With the database refusing connections, do a signed-in supervisor's pages and an inspector's API calls
    answer 503 with the message (not 500 from an error page that looked up the user), and work again after?"""
    base, proxy, ids, _, _ = behind_proxy
    http = _signed_in(base)
    _assert_back(base, http, ids["token"])
    proxy.refuse()
    try:
        _assert_honest_503s(_every_kind_of_request(base, http, ids["token"]))
    finally:
        proxy.forward()
    _assert_back(base, http, ids["token"])


def test_a_black_holed_database_answers_503_within_seconds(behind_proxy):
    """With the database's packets swallowed (connections accepted, nothing answered), does every request
    answer 503 within about ten seconds instead of hanging for the whole outage, and work again after?"""
    base, proxy, ids, _, _ = behind_proxy
    http = _signed_in(base)
    _assert_back(base, http, ids["token"])
    proxy.black_hole()
    try:
        _assert_honest_503s(_every_kind_of_request(base, http, ids["token"]))
    finally:
        proxy.forward()
    _assert_back(base, http, ids["token"])


def test_a_statement_stuck_behind_a_lock_answers_503_when_the_server_cancels_it(behind_proxy):
    """A supervisor's edit waiting on a row another connection holds locked: is the statement cancelled by the
    server's statement timeout and the edit answered 503 "busy" within seconds, nothing half-written?"""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.services.users import issue_token

    base, _, ids, app, database = behind_proxy
    with app.app_context():
        supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
        boss = {"Authorization": f"Bearer {issue_token(db.session, supervisor, 'lock')}"}
        db.session.remove()
    facility_id = ids["today"][0][1]
    holder = sa.create_engine(database)
    try:
        with holder.connect() as conn:
            conn.execute(sa.text("SELECT id FROM facility WHERE id = :f FOR UPDATE"), {"f": facility_id})
            began = time.monotonic()
            answer = requests.patch(f"{base}/api/v1/facilities/{facility_id}", headers=boss, timeout=60,
                                    json={"children_count": 777})
            seconds = time.monotonic() - began
            conn.rollback()
    finally:
        holder.dispose()
    print("seconds to a 503 behind a lock:", round(seconds, 1))
    assert answer.status_code == 503, answer.text[:300]
    assert "База данных занята" in answer.json()["message"] and seconds < DEADLINE_S
    after = requests.get(f"{base}/api/v1/facilities/{facility_id}", headers=boss, timeout=30).json()
    assert after["children_count"] != 777


def test_redis_down_keeps_the_api_answering_and_a_build_says_the_queue_is_down(caplog, monkeypatch):
    """With Redis (throttle counters and the job queue) refusing connections behind a proxy: do API requests
    still answer 200, counted in the process's memory with an error in the log, and does a schedule build
    answer 503 saying the queue is down, leaving its job failed rather than queued for ever?"""
    import datetime as dt
    import logging
    from urllib.parse import urlsplit

    from inspect_app.auth import throttle
    from inspect_app.extensions import db
    from inspect_app.models import Job, User
    from inspect_app.services.users import issue_token

    # The run's own Redis database (TEST_REDIS_URL), which the test empties at the end: a skip outside CI
    # when Redis is down, a failure under CI.
    redis = redis_or_skip()
    target = urlsplit(TEST_REDIS_URL)
    redis_db = target.path.strip("/") or "0"
    monkeypatch.setattr(throttle, "_RETRY_SECONDS", 0.5)
    caplog.set_level(logging.WARNING)
    with own_database("redis") as database, proxy_to(target.hostname, target.port or 6379) as proxy:
        redis_url = f"redis://127.0.0.1:{proxy.port}/{redis_db}"
        app = make_app(database, REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url, THROTTLE_ENABLED=True,
                       JOBS_INLINE=False, RQ_QUEUE="tekseru-outage-test")
        ids = seed_day(app)
        with app.app_context():
            supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
            boss = {"Authorization": f"Bearer {issue_token(db.session, supervisor, 'outage')}"}
            db.session.remove()
        inspector = {"Authorization": f"Bearer {ids['token']}"}
        try:
            with serve(app) as base:
                assert requests.get(f"{base}/api/v1/my/route", headers=inspector, timeout=30).status_code == 200
                proxy.refuse()
                timings = []
                for _ in range(10):
                    began = time.monotonic()
                    answer = requests.get(f"{base}/api/v1/my/route", headers=inspector, timeout=30)
                    timings.append(time.monotonic() - began)
                    assert answer.status_code == 200, answer.text[:300]
                print("seconds per API call with Redis down:", [round(t, 2) for t in timings])
                assert max(timings) < 5
                assert "throttle counters unreachable" in caplog.text

                start = (dt.date.today() + dt.timedelta(days=14)).isoformat()
                build = requests.post(f"{base}/api/v1/schedules/", headers=boss, timeout=30,
                                      json={"region": "190000000", "start": start, "days": 3, "time_limit": 1})
                assert build.status_code == 503, build.text[:300]
                assert "Очередь заданий недоступна" in build.json()["message"]
                assert build.headers.get("Retry-After")
                with app.app_context():
                    jobs = db.session.execute(sa.select(Job.status, Job.message)).all()
                    db.session.remove()
                assert [status for status, _ in jobs] == ["failed"] and "queue" in jobs[0][1]

                proxy.forward()
                time.sleep(0.6)
                assert requests.get(f"{base}/api/v1/my/route", headers=inspector, timeout=30).status_code == 200
                assert "throttle counters reachable again" in caplog.text
        finally:
            dispose(app)
            redis.flushdb()


@pytest.fixture
def small_disk(tmp_path):
    """A 8 MB tmpfs of the test's own (root only; a skip elsewhere, a failure under CI), unmounted after."""
    import os
    import subprocess

    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs: {mounted.stderr.decode()}")
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _noise_jpeg(seed: int) -> bytes:
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.frombytes("RGB", (480, 480), bytes(rng.getrandbits(8) for _ in range(480 * 480 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_sqlite_on_a_full_disk_answers_503_saying_so_and_loses_nothing(small_disk):
    """With the disk under SQLite full (a small tmpfs filled up), do writes answer 503 saying the disk is full
    (never 500), reads still answer, and do writes work again, with every acknowledged record kept, once space
    is freed?"""
    import uuid

    app = make_app(f"sqlite:///{small_disk / 'full.db'}")
    ids = seed_day(app)
    bearer = {"Authorization": f"Bearer {ids['token']}"}
    try:
        with serve(app) as base:
            visit_id, facility_id, _, _ = ids["today"][0]
            audit = requests.post(f"{base}/api/v1/audits/", headers=bearer, timeout=30, json={
                "client_uuid": str(uuid.uuid4()), "schedule_visit_id": visit_id, "facility_id": facility_id})
            assert audit.status_code == 201
            audit_id = audit.json()["id"]

            filler = small_disk / "filler"
            with open(filler, "wb") as out:
                try:
                    while True:
                        out.write(b"\0" * 65536)
                        out.flush()
                except OSError:
                    pass

            def upload(n):
                return requests.post(f"{base}/api/v1/audits/{audit_id}/photos", headers=bearer, timeout=30,
                                     files={"file": (f"p{n}.jpg", _noise_jpeg(n), "image/jpeg")},
                                     data={"client_uuid": str(uuid.uuid4())})

            answers = [upload(n) for n in range(4)]
            assert {a.status_code for a in answers} <= {201, 503}, [a.status_code for a in answers]
            refused = [a for a in answers if a.status_code == 503]
            assert refused, "the disk never filled"
            assert "Диск сервера базы данных заполнен" in refused[0].json()["message"]
            assert refused[0].headers.get("Retry-After")
            read = requests.get(f"{base}/api/v1/audits/{audit_id}", headers=bearer, timeout=30)
            assert read.status_code == 200

            filler.unlink()
            assert upload(99).status_code == 201
            stored = requests.get(f"{base}/api/v1/audits/{audit_id}", headers=bearer, timeout=30).json()
            kept = sum(1 for a in answers if a.status_code == 201) + 1
            assert len(stored["photos"]) == kept
    finally:
        dispose(app)

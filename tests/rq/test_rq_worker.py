"""Do schedule builds really run on RQ workers when REDIS_URL is set?

These tests use the Redis of this machine (127.0.0.1:6379) and their own migrated SQLite file, because an RQ
worker reads the database through its own connections. Without Redis they are skipped, except under CI
where that is a failure.
"""

import datetime as dt
import os
import uuid

import pytest
import sqlalchemy as sa

from scheduler.problem import parse_problem
from scheduler.schedule import schedule_from_dict
from scheduler.validate import validate

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
START = dt.date(2031, 3, 3)


@pytest.fixture(scope="module")
def redis_connection():
    """A connection to the machine's Redis (database 15), or a skip outside CI."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except RedisConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}; .ci/run starts it")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return connection


@pytest.fixture
def rq_app(tmp_path, monkeypatch, redis_connection):
    """An app on its own SQLite file that sends jobs to a queue of its own, with two small regions."""
    from flask_migrate import upgrade

    from config import TestingConfig
    from inspect_app import create_app, worker
    from inspect_app.extensions import db
    from inspect_app.models import Inspector, Region
    from inspect_app.services.users import create_user
    from tests.factories import FacilityFactory

    url = f"sqlite:///{tmp_path / 'rq.db'}"
    queue = f"tekseru-test-{uuid.uuid4().hex[:8]}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        JOBS_INLINE = False
        REDIS_URL = globals()["REDIS_URL"]
        RQ_QUEUE = queue

    app = create_app(Config)
    # In production a worker builds its app from the environment; this in-process worker gets this one.
    monkeypatch.setattr(worker, "_app", lambda: app)
    with app.app_context():
        upgrade()
        for kato, lat in (("190000000", 43.25), ("750000000", 43.30)):
            region = Region(kato=kato, name_ru=kato, name_kk=kato, center_lat=lat, center_lon=76.95)
            db.session.add(region)
            db.session.flush()
            for k in range(6):
                db.session.add(FacilityFactory.build(region=region, lat=lat + 0.01 * k, lon=76.95 + 0.01 * k,
                                                     last_inspection_date=None))
            db.session.add(Inspector(full_name=f"Инспектор {kato}", agency="education", regions=[region],
                                     skills=["safety", "nutrition", "health"], home_lat=lat, home_lon=76.95))
        create_user(db.session, "admin", "admin-pass-1", "admin")
        db.session.commit()
    yield app, queue
    with app.app_context():
        db.engine.dispose()
    from rq import Queue

    Queue(queue, connection=redis_connection).delete(delete_jobs=True)


def test_a_national_build_runs_on_an_rq_worker(rq_app, redis_connection):
    """Queued through Redis and run by a worker process, does a national build save every region's schedule?"""
    from rq import Queue, SimpleWorker

    from inspect_app.extensions import db
    from inspect_app.models import Job, Schedule, User
    from inspect_app.services import schedules

    app, queue_name = rq_app
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        job = schedules.submit_build(db.session, admin, {"region": None, "start": START, "days": 3, "seed": 11,
                                                         "time_limit": 3})
        job_id = job.id
        assert db.session.get(Job, job_id).status == "queued"
    queue = Queue(queue_name, connection=redis_connection)
    assert queue.count == 1
    SimpleWorker([queue], connection=redis_connection).work(burst=True)
    with app.app_context():
        db.session.expire_all()
        finished = db.session.get(Job, job_id)
        assert finished.status == "finished", (finished.message, finished.error)
        saved = db.session.scalars(sa.select(Schedule).order_by(Schedule.id)).all()
        assert sorted(s.region.kato for s in saved) == ["190000000", "750000000"]
        for schedule in saved:
            assert schedule.seed == schedules.derive_seed(11, schedule.region.kato)
            problem = parse_problem(schedule.problem)
            assert validate(problem, schedule_from_dict(schedule.schedule)) == []
            assert schedule.schedule["stats"]["must_visit_scheduled"] == 6

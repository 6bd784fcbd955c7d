"""Do schedule builds really run on RQ workers when REDIS_URL is set?

These tests use the Redis of this machine (127.0.0.1:6379) and their own migrated SQLite file, because an RQ
worker reads the database through its own connections. Without Redis they are skipped, except under CI
where that is a failure.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa

from scheduler.problem import parse_problem
from scheduler.schedule import schedule_from_dict
from scheduler.validate import validate
from tests.processes import alive, children, descendants, kill_tree, orphans_of_a_killed_parent, wait_for
from tests.services import TEST_REDIS_URL, redis_or_skip

REDIS_URL = TEST_REDIS_URL
START = dt.date(2031, 3, 3)


@pytest.fixture(scope="module")
def redis_connection():
    """A connection to the test Redis (TEST_REDIS_URL), or a skip that says so outside CI (a failure under CI)."""
    return redis_or_skip(REDIS_URL)


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
        JOB_HEARTBEAT_SECONDS = 0.5
        JOB_DEAD_AFTER_SECONDS = 3

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
    from inspect_app.runtime import current_runtime
    from inspect_app.services import schedules

    app, queue_name = rq_app
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        job = schedules.submit_build(db.session, admin, {"region": None, "start": START, "days": 3, "seed": 11,
                                                         "time_limit": 3}, current_runtime())
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


@pytest.fixture
def killable_worker(rq_app):
    """Start `flask jobs worker` as a real process (a session of its own) on the test's queue and database."""
    app, queue_name = rq_app
    env = {**os.environ, "FLASK_APP": "inspect_app", "TEKSERU_CONFIG": "development",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue_name,
           "JOB_HEARTBEAT_SECONDS": "0.5", "JOB_DEAD_AFTER_SECONDS": "3"}
    started = []

    def start():
        process = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "worker"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        kill_tree(process.pid)
        process.wait(10)


def test_a_live_worker_fails_a_dead_runners_job_that_nobody_reads(rq_app, killable_worker):
    """A job whose runner died while nobody looks at it (no page, no API call, no cron): does a worker that is
    still alive end it failed within about JOB_DEAD_AFTER_SECONDS, not RQ's ten-minute maintenance interval?"""
    import time
    from datetime import UTC, datetime, timedelta

    from redis import Redis
    from rq import Queue, Worker

    from inspect_app.extensions import db
    from inspect_app.models import Job

    app, queue_name = rq_app
    killable_worker()
    connection = Redis.from_url(REDIS_URL)
    # Past the worker's start, whose first maintenance sweeps at once: it has registered and cleaned.
    assert wait_for(lambda: Worker.all(queue=Queue(queue_name, connection=connection)), 60), "no worker started"
    time.sleep(3)
    gone = datetime.now(UTC) - timedelta(minutes=5)
    with app.app_context():
        db.session.add(Job(id=uuid.uuid4().hex, kind="schedule_build", params={}, status="running",
                           started_at=gone, heartbeat_at=gone))
        db.session.commit()
        db.session.remove()

    def ended():
        with app.app_context():
            status = db.session.scalar(sa.select(Job.status))
            db.session.remove()
        return status == "failed"

    assert wait_for(ended, 25), "no live worker swept the dead runner's job"


def _running_build(app, killable_worker, time_limit=60):
    """A region build running on a real worker: (job id, worker process, its horse's pid)."""
    from inspect_app.extensions import db
    from inspect_app.models import Job, User
    from inspect_app.runtime import current_runtime
    from inspect_app.services import schedules

    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        job_id = schedules.submit_build(db.session, admin, {"region": "190000000", "start": START, "days": 3,
                                                            "seed": 5, "time_limit": time_limit},
                                         current_runtime()).id
    worker = killable_worker()

    def running():
        with app.app_context():
            job = db.session.get(Job, job_id)
            status = job.status
            db.session.remove()
        return status == "running" and descendants(worker.pid)

    assert wait_for(running, 60), "the worker never started the build"
    (horse,) = children(worker.pid)
    return job_id, worker, horse


def _job(app, job_id):
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.runtime import current_runtime
    from inspect_app.services.jobs import get_job

    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        job = get_job(db.session, admin, job_id, current_runtime())
        result = (job.status, job.message)
        db.session.remove()
    return result


def test_a_killed_worker_takes_its_build_with_it(rq_app, killable_worker):
    """kill -9 of the worker alone: does its work horse die at once, saving nothing, and the job end failed?"""
    from inspect_app.extensions import db
    from inspect_app.models import Schedule

    app, _ = rq_app
    job_id, worker, horse = _running_build(app, killable_worker)
    tree = descendants(worker.pid)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert wait_for(lambda: not any(alive(p) for p in tree), 10), "the work horse outlived its worker"
    status, message = wait_for(lambda: _job(app, job_id)[0] == "failed" and _job(app, job_id), 15)
    assert status == "failed" and "worker" in message and "nothing was saved" in message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Schedule)) == 0
        db.session.remove()


def test_a_job_whose_worker_and_horse_were_killed_ends_failed_and_can_be_cancelled(rq_app, killable_worker):
    """kill -9 of the worker and its horse: does the job end (cancelled when asked, else failed), with nothing left?"""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.runtime import current_runtime
    from inspect_app.services.jobs import request_cancel

    app, _ = rq_app
    job_id, worker, horse = _running_build(app, killable_worker)
    tree = descendants(worker.pid)
    os.kill(horse, signal.SIGKILL)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        request_cancel(db.session, admin, job_id, current_runtime())
        db.session.remove()
    assert wait_for(lambda: not any(alive(p) for p in tree), 10), "a solver process outlived its job"
    status, message = wait_for(lambda: _job(app, job_id)[0] != "running" and _job(app, job_id), 15)
    assert status == "cancelled" and "stopped" in message


SERVER = """
import datetime, sys, time
from inspect_app import create_app
from inspect_app.extensions import db
from inspect_app.models import User
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
app = create_app()
with app.app_context():
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    job = schedules.submit_build(db.session, admin, {"region": None, "start": datetime.date(2031, 3, 3),
                                                     "days": 3, "seed": 5, "time_limit": 60},
                                 current_runtime())
    print(job.id, flush=True)
time.sleep(600)
"""


def test_a_killed_server_leaves_no_solver_process_and_its_job_ends_failed(rq_app):
    """Thread mode (no Redis): kill -9 of the process running a national build: do its solver pool and manager
    processes die with it, and does the job end failed once its heartbeat is overdue?"""
    app, _ = rq_app
    env = {**os.environ, "TEKSERU_CONFIG": "development", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": "", "SCHEDULE_PROCESSES": "2", "JOB_HEARTBEAT_SECONDS": "0.5"}
    server = subprocess.Popen([sys.executable, "-c", SERVER], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, start_new_session=True, text=True)
    try:
        job_id = server.stdout.readline().strip()
        # The pool's two workers and the manager's process. A spawned child still importing when its parent
        # died kills itself once its initialiser runs.
        assert orphans_of_a_killed_parent(server, 3, 60, "the build's pool", settle=1), \
            "solver processes outlived their server"
    finally:
        kill_tree(server.pid)
        server.stdout.close()
    status, message = wait_for(lambda: _job(app, job_id)[0] == "failed" and _job(app, job_id), 15)
    assert status == "failed" and "nothing was saved" in message

"""Outbox workers as separate processes on a database of their own: one killed mid-send and restarted sends
each message once; two at once never send a message twice."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.notify_servers import smtp_server
from tests.served import dispose, make_app, own_database

ROOT = Path(__file__).resolve().parents[2]
# A worker process: drains the outbox of the database in argv[1] through the SMTP server on port argv[2], as if
# argv[3] seconds had passed (a restart after a dead worker's lease ran out).
WORKER = """
import sys
from datetime import timedelta
from config import TestingConfig
from inspect_app import create_app

class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS = "127.0.0.1", int(sys.argv[2]), False

app = create_app(Config)
from inspect_app.extensions import db
from inspect_app.models.vocab import utcnow
from inspect_app.services.notifications import MailSettings, outbox

with app.app_context():
    outbox.drain_mail(db.session, MailSettings.from_config(app.config), base_url="https://tekseru.example.kz",
                      lease_seconds=120, now=utcnow() + timedelta(seconds=float(sys.argv[3])))
"""


@pytest.fixture
def outbox_app():
    """A migrated app on a database of its own, with a supervisor who reads e-mail."""
    with own_database("outbox") as url:
        app = make_app(url)
        from inspect_app.extensions import db
        from tests.factories import RegionFactory, UserFactory

        with app.app_context():
            region = RegionFactory(kato="190000000")
            UserFactory(username="sup", role="supervisor", region=region, email="sup@example.kz", locale="ru")
            db.session.commit()
            app.region_id = region.id
            db.session.remove()
        try:
            yield app, url
        finally:
            dispose(app)


def queue(app, count: int) -> None:
    from inspect_app.extensions import db
    from inspect_app.models.notification import EventKind
    from inspect_app.services.notifications import emit

    with app.app_context():
        for n in range(1, count + 1):
            emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": n, "facility_name_ru": f"Школа {n}",
                                                            "violations": []}, region_id=app.region_id)
        db.session.commit()
        db.session.remove()


def worker(url: str, port: int, later: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WORKER, url, str(port), str(later)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def statuses(app) -> dict[str, str]:
    from inspect_app.extensions import db
    from inspect_app.models import OutboxMessage

    with app.app_context():
        rows = dict(db.session.execute(sa.select(OutboxMessage.subject, OutboxMessage.status)).all())
        db.session.remove()
        return rows


def test_a_worker_killed_mid_send_and_restarted_sends_each_message_once(outbox_app):
    """Killed (SIGKILL) while the server holds its second message, then restarted after its lease: does every
    message arrive exactly once?"""
    app, url = outbox_app
    queue(app, 3)
    with smtp_server() as (mailbox, port):
        mailbox.stall_on("Школа 2")
        first = worker(url, port, 0)
        assert mailbox.stalled.wait(120), first.stderr.read().decode() if first.poll() is not None else "no stall"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(30)
        first.stderr.close()
        mailbox.release()  # the server now answers 451 to a client that is gone: never delivered
        assert statuses(app) == {"Грубое нарушение: Школа 1": "sent",
                                 "Грубое нарушение: Школа 2": "sending",
                                 "Грубое нарушение: Школа 3": "sending"}
        second = worker(url, port, 300)
        _out, err = second.communicate(timeout=120)
        assert second.returncode == 0, err.decode()
        subjects = sorted(str(m["Subject"]) for m in mailbox.messages)
    assert subjects == [f"Грубое нарушение: Школа {n}" for n in (1, 2, 3)]
    assert set(statuses(app).values()) == {"sent"}


def test_two_workers_at_once_never_send_a_message_twice(outbox_app):
    """Two worker processes draining the same outbox at the same moment: is each message sent exactly once?"""
    app, url = outbox_app
    queue(app, 40)
    with smtp_server() as (mailbox, port):
        workers = [worker(url, port, 0) for _ in range(2)]
        for process in workers:
            _out, err = process.communicate(timeout=180)
            assert process.returncode == 0, err.decode()
        ids = [m["Message-ID"] for m in mailbox.messages]
    assert len(ids) == 40 and len(set(ids)) == 40


def test_without_redis_a_thread_of_the_app_sends_right_after_the_commit():
    """With no REDIS_URL, does the serving process's own thread send an e-mail as soon as its event commits
    (the periodic wake set to an hour, so only the commit can have woken it)?"""
    import threading
    import time

    with own_database("pump") as url, smtp_server() as (mailbox, port):
        app = make_app(url, NOTIFY_PUMP=True, NOTIFY_POLL_SECONDS=3600, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                       MAIL_USE_TLS=False)
        try:
            from inspect_app.extensions import db
            from inspect_app.models.notification import EventKind
            from inspect_app.services.notifications import emit
            from tests.factories import RegionFactory, UserFactory

            assert app.test_client().get("/auth/login").status_code == 200  # serving: the thread starts
            assert "notify-pump" in {t.name for t in threading.enumerate()}
            with app.app_context():
                region = RegionFactory()
                UserFactory(username="sup", role="supervisor", region=region, email="sup@example.kz")
                db.session.commit()
                emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": 1, "facility_name_ru": "Школа № 9"},
                     region_id=region.id)
                db.session.commit()
                db.session.remove()
            deadline = time.monotonic() + 60  # a bound on a hang, not a measurement
            while not mailbox.messages and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [str(m["Subject"]) for m in mailbox.messages] == ["Грубое нарушение: Школа № 9"]
        finally:
            dispose(app)

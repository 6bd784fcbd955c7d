"""With REDIS_URL set, does a commit that queued a notification hand the sending to an RQ worker, which sends it?"""

import uuid

import pytest

from tests.notify_servers import smtp_server
from tests.services import TEST_REDIS_URL, redis_or_skip


@pytest.fixture(scope="module")
def redis_connection():
    """A connection to the test Redis (TEST_REDIS_URL), or a skip that says so outside CI (a failure under CI)."""
    return redis_or_skip(TEST_REDIS_URL)


def test_a_committed_event_is_sent_by_an_rq_worker(tmp_path, monkeypatch, redis_connection):
    """Is the send enqueued on RQ by the commit (not before), and does a worker send the e-mail once?"""
    from flask_migrate import upgrade
    from rq import Queue, SimpleWorker

    from config import TestingConfig
    from inspect_app import create_app, worker
    from inspect_app.extensions import db
    from inspect_app.models.notification import EventKind
    from inspect_app.services.notifications import emit
    from tests.factories import RegionFactory, UserFactory

    queue_name = f"tekseru-notify-{uuid.uuid4().hex[:8]}"
    with smtp_server() as (mailbox, port):
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'notify.db'}"
            REDIS_URL, RQ_QUEUE, NOTIFY_PUMP = TEST_REDIS_URL, queue_name, True
            MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS = "127.0.0.1", port, False

        app = create_app(Config)
        monkeypatch.setattr(worker, "_app", lambda: app)
        queue = Queue(queue_name, connection=redis_connection)
        try:
            with app.app_context():
                upgrade()
                region = RegionFactory()
                UserFactory(username="sup", role="supervisor", region=region, email="sup@example.kz")
                db.session.commit()
                emit(db.session, EventKind.CRITICAL_VIOLATION, {"id": 1, "facility_name_ru": "Школа № 5"},
                     region_id=region.id)
                assert queue.count == 0  # nothing before the commit
                db.session.commit()
                assert [job.func_name for job in queue.jobs] == ["inspect_app.worker.run_notifications"]
                db.session.remove()
            SimpleWorker([queue], connection=redis_connection).work(burst=True)
            assert [str(m["Subject"]) for m in mailbox.messages] == ["Грубое нарушение: Школа № 5"]
        finally:
            queue.empty()
            queue.delete()
            with app.app_context():
                db.engine.dispose()

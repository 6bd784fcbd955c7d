"""Every stored instant reads back timezone-aware in UTC, on SQLite as on PostgreSQL."""

from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Job
from inspect_app.models.types import UtcDateTime


def test_every_datetime_column_is_utc_aware():
    """Does each model's DateTime column use the one aware-UTC type (no column left to patch by hand)?"""
    plain = [f"{table.name}.{column.name}" for table in db.metadata.tables.values() for column in table.columns
             if isinstance(column.type, sa.DateTime) and not isinstance(column.type, UtcDateTime)]
    assert plain == []


def test_an_instant_reads_back_aware_in_utc(app):
    """Is a datetime written with another offset read back as the same instant, aware, in UTC?"""
    almaty = datetime(2026, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=5)))
    job = Job(id="utc-aware-test", kind="test", status="queued", params={}, started_at=almaty)
    db.session.add(job)
    db.session.flush()
    db.session.expire(job)
    stored = db.session.get(Job, job.id).started_at
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

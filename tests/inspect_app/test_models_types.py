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


def test_a_unique_violation_is_told_apart_from_other_constraints(app):
    """Does the unique-index check name the constraint that failed, on SQLite as on PostgreSQL, so a refusal
    for one cause (a reused uuid) is never given for another?"""
    import pytest

    from inspect_app.database import unique_violated
    from inspect_app.models import Region

    db.session.add(Region(kato="998000000", name_ru="Тест", name_kk="Тест", center_lat=43.0, center_lon=76.0))
    db.session.flush()
    with pytest.raises(sa.exc.IntegrityError) as caught, db.session.begin_nested():
        db.session.add(Region(kato="998000000", name_ru="Другой", name_kk="Басқа", center_lat=43.0, center_lon=76.0))
        db.session.flush()
    assert unique_violated(caught.value, "region", "kato")
    assert not unique_violated(caught.value, "region", "name_ru")
    assert not unique_violated(caught.value, "audit", "kato")

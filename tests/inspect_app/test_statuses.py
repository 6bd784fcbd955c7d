"""Statuses are types: each is a StrEnum beside its model, and what the database stores is exactly its values."""

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import (
    AuditStatus,
    DuplicateCandidate,
    DuplicateStatus,
    FacilityStatus,
    Job,
    JobStatus,
    ScheduleStatus,
    ViolationStatus,
    VisitStatus,
)
from inspect_app.models.audit import AUDIT_STATUSES, VIOLATION_STATUSES
from inspect_app.models.job import JOB_STATUSES
from inspect_app.models.schedule import SCHEDULE_STATUSES, VISIT_STATUSES
from inspect_app.models.vocab import FACILITY_STATUSES
from tests.factories import FacilityFactory, RegionFactory, UserFactory, published_visit

# Written out by hand: the strings rows already hold. Changing one needs a migration, not just a new member.
STORED = [
    (AuditStatus, AUDIT_STATUSES, ("draft", "submitted", "discarded")),
    (ViolationStatus, VIOLATION_STATUSES, ("open", "resolved", "superseded")),
    (JobStatus, JOB_STATUSES, ("queued", "running", "finished", "failed", "cancelled")),
    (ScheduleStatus, SCHEDULE_STATUSES, ("draft", "published", "superseded", "discarded")),
    (VisitStatus, VISIT_STATUSES, ("planned", "checked_in", "draft", "submitted", "not_done")),
    (FacilityStatus, FACILITY_STATUSES, ("active", "seasonal", "closed")),
    (DuplicateStatus, None, ("open", "merged", "dismissed")),
]


@pytest.mark.parametrize("enum, vocabulary, stored", STORED, ids=[e.__name__ for e, _, _ in STORED])
def test_each_status_type_has_exactly_the_stored_values(enum, vocabulary, stored):
    """Are a status type's values the strings rows hold, and the vocabulary schemas and labels use the same?"""
    assert tuple(member.value for member in enum) == stored
    assert all(member == member.value and str(member) == member.value for member in enum)
    if vocabulary is not None:
        assert vocabulary == stored


def _raw(table: str, column: str, key: str, value) -> str:
    return db.session.execute(sa.text(f'SELECT {column} FROM "{table}" WHERE {key} = :v'), {"v": value}).scalar_one()


def test_a_status_set_as_a_member_is_stored_as_its_plain_value(app):
    """Does the database receive "failed", not "JobStatus.FAILED", when code sets a member (and the defaults)?"""
    job = Job(id="status-type-test", kind="test", params={})
    db.session.add(job)
    db.session.flush()
    assert _raw("job", "status", "id", job.id) == "queued"
    job.status = JobStatus.FAILED
    db.session.flush()
    assert _raw("job", "status", "id", job.id) == "failed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.status == JobStatus.FAILED)) == 1


def test_defaults_of_facility_duplicate_and_visit_are_the_enum_values(app):
    """Are a new facility, duplicate pair and planned visit stored with the plain strings of their statuses?"""
    region = RegionFactory()
    a, b = FacilityFactory(region=region, status=FacilityStatus.SEASONAL), FacilityFactory(region=region)
    pair = DuplicateCandidate(facility_a_id=a.id, facility_b_id=b.id, reason="test")
    db.session.add(pair)
    db.session.flush()
    assert _raw("facility", "status", "id", a.id) == "seasonal"
    assert _raw("duplicate_candidate", "status", "id", pair.id) == "open"
    visit_id = published_visit(db.session, UserFactory(role="inspector", region=region), b)
    assert _raw("schedule_visit", "status", "id", visit_id) == "planned"

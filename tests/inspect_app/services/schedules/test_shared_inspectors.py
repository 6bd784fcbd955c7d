"""An inspector who works in two regions must never be sent to both on the same day."""

import pytest

from inspect_app.extensions import db
from inspect_app.services import schedules
from inspect_app.services.errors import Conflict
from tests.factories import InspectorFactory
from tests.inspect_app.services.schedules.conftest import make_region_registry
from tests.inspect_app.services.schedules.helpers import build


@pytest.fixture
def shared(region_a, region_b):
    """Region A and B registries (same town) with one inspector who is the only one for both regions."""
    make_region_registry(region_a, n_facilities=10, n_inspectors=0, seed=1, centre=(43.25, 76.95))
    make_region_registry(region_b, n_facilities=10, n_inspectors=0, seed=2, centre=(43.26, 76.96))
    region_a.center_lat, region_a.center_lon = 43.25, 76.95
    region_b.center_lat, region_b.center_lon = 45.0, 78.4
    inspector = InspectorFactory(regions=[region_a, region_b], home_lat=43.25, home_lon=76.95,
                                 skills=["safety", "nutrition", "health"], max_visits_per_day=3)
    db.session.flush()
    return inspector


def _dates(schedule, inspector):
    return {v.date for v in schedule.visits if v.inspector_id == inspector.id}


def test_a_published_booking_in_one_region_blocks_those_days_in_the_other(users, region_a, region_b, shared):
    """After A's schedule is published, does B's build leave the inspector's booked days free?"""
    _, (in_a,) = build(users["admin"], region_a, seed=1, days=2)
    schedules.publish_schedule(db.session, users["admin"], in_a)
    booked = _dates(in_a, shared)
    assert booked
    _, (in_b,) = build(users["admin"], region_b, seed=1, days=2)
    assert not booked & _dates(in_b, shared)
    unavailable = next(i["unavailable_dates"] for i in in_b.problem["inspectors"])
    assert sorted(unavailable) == sorted(d.isoformat() for d in booked)


def test_publishing_a_schedule_that_double_books_is_refused(users, region_a, region_b, shared):
    """If two regions' drafts both use the inspector on a day, is the second publication refused?"""
    _, (in_a,) = build(users["admin"], region_a, seed=1, days=2)
    _, (in_b,) = build(users["admin"], region_b, seed=1, days=2)
    assert _dates(in_a, shared) & _dates(in_b, shared)
    schedules.publish_schedule(db.session, users["admin"], in_a)
    with pytest.raises(Conflict, match="already sent out"):
        schedules.publish_schedule(db.session, users["admin"], in_b)
    assert in_b.status == "draft"


def test_a_national_build_gives_a_shared_inspector_to_one_region(users, region_a, region_b, shared):
    """Does a national build put the two-region inspector only in the region nearest their home?"""
    _, built = build(users["admin"], None, seed=5, days=2)
    by_region = {s.region.kato: s for s in built}
    assert _dates(by_region[region_a.kato], shared)
    assert region_b.kato not in by_region or not _dates(by_region[region_b.kato], shared)

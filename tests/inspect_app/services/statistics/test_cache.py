"""Does the dashboard's cache reuse figures only for the same scope and filters, and only for a while?"""

from inspect_app.extensions import db
from inspect_app.services.statistics.cache import cached_summary
from tests.factories import FacilityFactory


def test_figures_are_reused_within_the_ttl_for_the_same_scope_only(app, users, region_a, region_b, monkeypatch):
    """A second supervisor of another region never sees the first one's cached figures; a new facility shows
    once the cache is off."""
    FacilityFactory(region=region_a)
    first = cached_summary(db.session, users["supervisor"], {}, ttl=60)
    FacilityFactory(region=region_a)
    again = cached_summary(db.session, users["supervisor"], {}, ttl=60)
    assert again.total.facilities == first.total.facilities == 1
    assert again.region is None or again.region.id == region_a.id
    other = cached_summary(db.session, users["supervisor_b"], {}, ttl=60)
    assert other.total.facilities == 0
    assert cached_summary(db.session, users["supervisor"], {}, ttl=0).total.facilities == 2

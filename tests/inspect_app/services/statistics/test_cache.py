"""Does the dashboard's cache reuse figures only for the same scope and filters, and only for a while?"""

from inspect_app.extensions import db
from inspect_app.services.statistics import cache
from inspect_app.services.statistics.cache import cached_summary
from tests.factories import FacilityFactory
from tests.services import TEST_REDIS_URL, redis_or_skip


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


def test_with_redis_every_process_shares_the_figures(app, users, region_a):
    """Figures one server process computed serve another (its own entries gone) until the ttl ends; the
    selected region comes back as a row of this session."""
    connection = redis_or_skip()
    for key in connection.scan_iter(cache.REDIS_PREFIX + "*"):
        connection.delete(key)
    cache._entries.clear()  # nothing of the other tests' (the same user and day make the same key)
    try:
        FacilityFactory(region=region_a)
        first = cached_summary(db.session, users["supervisor"], {}, ttl=60, redis_url=TEST_REDIS_URL)
        FacilityFactory(region=region_a)
        cache._entries.clear()  # another process: nothing of its own
        shared = cached_summary(db.session, users["supervisor"], {}, ttl=60, redis_url=TEST_REDIS_URL)
        assert shared.total.facilities == first.total.facilities == 1
        assert shared.scope.region is not None and shared.scope.region.id == region_a.id
        assert shared.scope.region in db.session
        for key in connection.scan_iter(cache.REDIS_PREFIX + "*"):
            connection.delete(key)
        cache._entries.clear()
        assert cached_summary(db.session, users["supervisor"], {}, ttl=60,
                              redis_url=TEST_REDIS_URL).total.facilities == 2
    finally:
        for key in connection.scan_iter(cache.REDIS_PREFIX + "*"):
            connection.delete(key)
        cache._entries.clear()

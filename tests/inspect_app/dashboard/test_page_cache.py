"""Is the dashboard's rendered figures part shared only by those who may see it, in their language, and never kept
longer than the figures it shows?"""

import re
from dataclasses import replace

import pytest
from flask import g
from flask_babel import refresh

from inspect_app.extensions import db
from inspect_app.runtime import EXTENSION_KEY
from inspect_app.services.statistics import cache
from tests.factories import FacilityFactory
from tests.inspect_app.conftest import PASSWORD
from tests.services import TEST_REDIS_URL, redis_or_skip

TTL = 60


class Clock:
    """The cache's clocks (monotonic and wall), moved by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(app, monkeypatch):
    """The figures cached for TTL seconds (in this process), on a clock the test moves."""
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, replace(app.extensions[EXTENSION_KEY], stats_cache_seconds=TTL))
    fake = Clock()
    monkeypatch.setattr(cache, "time", fake)
    cache._entries.clear()
    cache._fragments.clear()
    yield fake
    cache._entries.clear()
    cache._fragments.clear()


class Browser:
    """A browser of its own, signed in as `user` (the test's app context would keep the last user signed in and
    the last language)."""

    def __init__(self, app, user) -> None:
        self.client = app.test_client()
        assert self.get_response("/auth/login", "post", data={"username": user.username,
                                                              "password": PASSWORD}).status_code == 302

    def get_response(self, url: str, method: str = "get", **kwargs):
        g.pop("_login_user", None)
        refresh()
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url: str) -> str:
        return self.get_response(url).get_data(as_text=True)


def signed_in(app, user) -> Browser:
    return Browser(app, user)


def facilities_shown(browser: Browser, query: str = "") -> int:
    html = browser.get(f"/dashboard{query}")
    return int(re.search(r'data-figure="facilities">(\d+)<', html).group(1))


def test_another_regions_supervisor_never_gets_the_first_ones_figures(app, users, region_a, region_b, clock):
    """Two supervisors of different regions and the ministry, one after the other within the ttl: each sees the
    figures of their own scope, and the page around them is their own (their name, their CSRF token)."""
    FacilityFactory(region=region_a)
    FacilityFactory(region=region_a)
    FacilityFactory(region=region_b)
    first = signed_in(app, users["supervisor"])
    assert facilities_shown(first) == 2
    other = signed_in(app, users["supervisor_b"])
    page = other.get("/dashboard")
    assert 'data-figure="facilities">1<' in page
    assert (users["supervisor_b"].full_name or "supervisor_b") in page
    assert region_b.name_ru in page
    assert facilities_shown(signed_in(app, users["ministry"])) == 3
    # The supervisor asking for the other region's figures is refused, not served the cached page.
    assert first.get_response(f"/dashboard?region={region_b.kato}").status_code == 403


def test_a_change_of_language_gives_the_other_language(app, users, region_a, clock):
    """The same supervisor within the ttl: the Kazakh page has Kazakh figures' headings, the Russian one Russian."""
    FacilityFactory(region=region_a)
    browser = signed_in(app, users["supervisor"])
    russian = browser.get("/dashboard?lang=ru")
    kazakh = browser.get("/dashboard?lang=kk")
    assert "объектов в реестре" in russian and "тізілімдегі объект" not in russian
    assert "тізілімдегі объект" in kazakh and "объектов в реестре" not in kazakh


def test_after_the_ttl_a_new_figure_shows(app, users, region_a, clock):
    """A facility added while the figures are cached shows once they expire, with the period asked for too."""
    FacilityFactory(region=region_a)
    browser = signed_in(app, users["supervisor"])
    assert facilities_shown(browser) == 1
    FacilityFactory(region=region_a)
    db.session.flush()
    clock.now += TTL - 1
    assert facilities_shown(browser) == 1  # the figures are as old as the cache allows, no older
    clock.now += 2
    assert facilities_shown(browser) == 2


def test_the_page_is_kept_no_longer_than_the_figures_it_shows(app, users, region_a, clock):
    """Figures computed 40 s before the page was first drawn: the page is redrawn when they expire (20 s later),
    not a whole ttl after it was drawn."""
    FacilityFactory(region=region_a)
    cache.cached_summary(db.session, users["supervisor"], {}, ttl=TTL)
    clock.now += 40
    browser = signed_in(app, users["supervisor"])
    assert facilities_shown(browser) == 1
    FacilityFactory(region=region_a)
    db.session.flush()
    clock.now += 21
    assert facilities_shown(browser) == 2


def test_with_redis_another_process_serves_the_page_of_the_same_scope_only(app, users, region_a, region_b,
                                                                           monkeypatch):
    """With Redis the page drawn by one server process serves another (its own entries gone) for the same region,
    and never a supervisor of another region."""
    connection = redis_or_skip()
    monkeypatch.setitem(app.extensions, EXTENSION_KEY, replace(app.extensions[EXTENSION_KEY],
                                                               stats_cache_seconds=TTL, redis_url=TEST_REDIS_URL))

    def forget(everything: bool) -> None:
        cache._entries.clear()
        cache._fragments.clear()
        if everything:
            for prefix in (cache.REDIS_PREFIX, cache.FRAGMENT_PREFIX):
                for key in connection.scan_iter(prefix + "*"):
                    connection.delete(key)

    forget(True)
    try:
        FacilityFactory(region=region_a)
        browser = signed_in(app, users["supervisor"])
        assert facilities_shown(browser) == 1
        FacilityFactory(region=region_a)
        db.session.flush()
        forget(False)  # another process: nothing of its own
        assert facilities_shown(browser) == 1
        assert facilities_shown(signed_in(app, users["supervisor_b"])) == 0
        forget(True)
        assert facilities_shown(browser) == 2
    finally:
        forget(True)

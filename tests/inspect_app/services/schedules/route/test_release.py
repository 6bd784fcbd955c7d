"""Today's route only: released to the inspector that day from 06:00 (or the evening before), never earlier,
through the page, the API, the stop pages the offline copy fetches, the PDF and the calendar feed."""

import datetime as dt

from inspect_app.extensions import db
from tests.inspect_app.services.schedules.route.conftest import TODAY, TOMORROW, almaty


def _urls(day, visit_ids):
    return [f"/my/route?date={day.isoformat()}", f"/api/v1/my/route?date={day.isoformat()}",
            f"/my/route/sheet.pdf?date={day.isoformat()}", *[f"/my/route/stops/{v}" for v in visit_ids]]


def test_inspector_reads_today_and_not_tomorrow(client, login, day, clock):
    """At 09:00 does the inspector get today's stops everywhere, and tomorrow's nowhere (403/404)?"""
    login("inspector")
    today_ids = [v.id for v in day["today"]]
    for url in _urls(TODAY, today_ids):
        assert client.get(url).status_code == 200, url
    for url in _urls(TOMORROW, [day["tomorrow"].id]):
        assert client.get(url).status_code in (403, 404), url
    text = client.get("/my/route").get_data(as_text=True)
    assert "Школа № 0" in text and "Школа № 1" in text
    assert "Школа № 2" not in text and "Школа № 3" not in text  # tomorrow's and another inspector's


def test_before_six_nothing_is_released(client, login, day, clock):
    """At 05:59 is today's route still closed (page says when it opens, stops and API refuse)?"""
    clock(almaty(TODAY, 5, 59))
    login("inspector")
    page = client.get("/my/route")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Школа № 0" not in text and "06:00" in text
    assert "X-Tekseru-Offline" in page.headers  # the closed page itself holds nothing secret
    for url in _urls(TODAY, [v.id for v in day["today"]]):
        assert client.get(url).status_code in (403, 404), url
    clock(almaty(TODAY, 6, 0))
    assert client.get(f"/my/route/stops/{day['today'][0].id}").status_code == 200


def test_evening_region_releases_tomorrow_the_evening_before(client, login, day, clock, region_a, app):
    """With the region's evening release, is tomorrow readable from 18:00 today and not at 17:59?"""
    region_a.route_release = "evening"
    db.session.commit()
    login("inspector")
    clock(almaty(TODAY, 17, 59))
    assert client.get(f"/api/v1/my/route?date={TOMORROW}").status_code == 403
    clock(almaty(TODAY, 18, 0))
    body = client.get(f"/api/v1/my/route?date={TOMORROW}").get_json()
    assert [s["visit_id"] for s in body["stops"]] == [day["tomorrow"].id]
    assert client.get(f"/my/route/stops/{day['tomorrow'].id}").status_code == 200


def test_yesterday_is_over(client, login, day, clock):
    """The day after, is the route of the day before refused?"""
    clock(almaty(TOMORROW, 9))
    login("inspector")
    assert client.get(f"/api/v1/my/route?date={TODAY}").status_code == 403
    assert client.get(f"/my/route/stops/{day['today'][0].id}").status_code == 404


def test_only_released_pages_are_marked_for_the_offline_copy(client, login, day, clock):
    """Does the service worker's marker header come only on the inspector's 200 pages?"""
    login("inspector")
    assert client.get("/my/route").headers.get("X-Tekseru-Offline") == "1"
    assert client.get(f"/my/route/stops/{day['today'][0].id}").headers.get("X-Tekseru-Offline") == "1"
    refused = client.get(f"/my/route/stops/{day['tomorrow'].id}")
    assert refused.status_code == 404 and "X-Tekseru-Offline" not in refused.headers


def test_kept_pages_expire_when_their_day_ends(client, login, day, clock):
    """Does each kept page tell the service worker to stop serving it at the end of its day in Almaty, so a
    phone left signed in never shows yesterday's route to whoever picks it up?"""
    login("inspector")
    midnight = int(almaty(TOMORROW, 0).timestamp() * 1000)
    for url in ("/my/route", f"/my/route/stops/{day['today'][0].id}"):
        assert client.get(url).headers["X-Tekseru-Offline-Until"] == str(midnight), url


def test_supervisor_reads_every_day_of_the_region(client, login, day, clock, users):
    """Does the region's supervisor read tomorrow's route at 05:00, while another region's gets 404?"""
    clock(almaty(TODAY, 5))
    login("supervisor")
    inspector_id = day["inspector"].id
    body = client.get(f"/api/v1/my/route?date={TOMORROW}&inspector_id={inspector_id}").get_json()
    assert [s["visit_id"] for s in body["stops"]] == [day["tomorrow"].id]
    assert client.get(f"/my/route/stops/{day['tomorrow'].id}").status_code == 200
    client.post("/auth/logout")
    login("supervisor_b")
    assert client.get(f"/api/v1/my/route?date={TOMORROW}&inspector_id={inspector_id}").status_code == 404
    assert client.get(f"/my/route/stops/{day['tomorrow'].id}").status_code == 404


def test_route_page_shows_times_distance_map_and_navigation(client, login, day, clock):
    """Does the route list stops in order with times, km, a map and navigation links per stop?"""
    login("inspector")
    text = client.get("/my/route").get_data(as_text=True)
    first, second = day["today"]
    assert text.index("Школа № 0") < text.index("Школа № 1")
    assert "09:00–11:00" in text and "11:30–13:30" in text
    assert "км" in text and 'id="route-map"' in text and "route-map-data" in text
    lat, lon = f"{first.facility.lat:.6f}", f"{first.facility.lon:.6f}"
    assert f"geo:{lat},{lon}" in text and f"destination={lat},{lon}" in text
    assert "/audits/new" not in text
    body = client.get("/api/v1/my/route").get_json()
    assert body["km"] > 0 and body["stops"][0]["km"] > 0
    assert [s["status"] for s in body["stops"]] == ["planned", "planned"]


def test_home_page_of_an_inspector_is_the_route(client, login, day, clock):
    """Does / show the inspector's route instead of registry counts?"""
    login("inspector")
    text = client.get("/").get_data(as_text=True)
    assert "Школа № 0" in text and "Реестр объектов" not in text


def test_clock_uses_almaty_time(client, login, day, clock):
    """Is the release hour Almaty's (UTC+5): closed at 00:59 UTC, open at 01:00 UTC?"""
    login("inspector")
    clock(dt.datetime.combine(TODAY, dt.time(0, 59), dt.UTC))
    assert client.get(f"/api/v1/my/route?date={TODAY}").status_code == 403
    clock(dt.datetime.combine(TODAY, dt.time(1, 0), dt.UTC))
    assert client.get(f"/api/v1/my/route?date={TODAY}").status_code == 200

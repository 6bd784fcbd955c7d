"""The route sheet PDF, the secret calendar feed (rotate, revoke), and the access log of every read."""

import csv
import io
import subprocess

import icalendar
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import RouteAccess, ScheduleVisit
from tests.inspect_app.services.schedules.route.conftest import TODAY, TOMORROW, almaty
from tests.runtime import set_runtime


def _calendar_url(client):
    text = client.post("/my/calendar", follow_redirects=True).get_data(as_text=True)
    start = text.index("/calendar/")
    return text[start:text.index(".ics", start) + 4]


def test_route_sheet_pdf_draws_the_stops_in_kazakh(client, login, day, tmp_path):
    """Does the PDF list the day's stops with every Kazakh letter drawn (PT Sans)?"""
    login("inspector")
    response = client.get("/my/route/sheet.pdf?lang=kk")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Маршрут парағы" in text and "Аскаров Ерлан" in text
    f = day["facilities"]
    assert "09:00–11:00" in text and f[0].name_kk in text and f[1].name_kk in text and f[2].name_kk not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "PTSans" in fonts


def test_calendar_feed_holds_the_released_day_only(client, login, day, clock):
    """Does the secret URL give today's stops as events (no login), and tomorrow's only once released?"""
    login("inspector")
    url = _calendar_url(client)
    client.post("/auth/logout")
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["1. Школа № 0", "2. Школа № 1"]
    assert events[0].decoded("dtstart") == almaty(TODAY, 9)
    clock(almaty(TODAY, 5))
    assert icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT") == []
    clock(almaty(TOMORROW, 9))
    events = icalendar.Calendar.from_ical(client.get(url).data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["1. Школа № 2"]


def test_calendar_url_can_be_rotated_and_revoked(client, login, day):
    """Does rotating kill the old URL, and revoking kill the new one?"""
    login("inspector")
    old = _calendar_url(client)
    new = _calendar_url(client)
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    client.post("/my/calendar/revoke")
    assert client.get(new).status_code == 404


def test_every_read_is_logged_and_supervisors_export_it(client, login, day, auth_headers):
    """Do page, API, PDF, calendar, schedule page and export reads each leave a row the supervisor reads
    (page and CSV), scoped to the region?"""
    login("inspector")
    client.get("/my/route")
    client.get(f"/my/route/stops/{day['today'][0].id}")
    client.get("/api/v1/my/route", headers=auth_headers("inspector"))
    client.get("/my/route/sheet.pdf")
    url = _calendar_url(client)
    client.get(url)
    client.post("/auth/logout")
    login("supervisor")
    schedule_id = day["schedule"].id
    client.get(f"/schedules/{schedule_id}")
    client.get(f"/schedules/{schedule_id}/export.json")
    client.get(f"/api/v1/schedules/{schedule_id}/visits", headers=auth_headers("supervisor"))
    rows = db.session.scalars(sa.select(RouteAccess)).all()
    channels = sorted({r.channel for r in rows})
    assert channels == ["api", "calendar", "export", "page", "pdf"]
    inspector_rows = [r for r in rows if r.user_id == day["inspector"].user_id]
    assert all(r.day == TODAY and r.schedule_id == schedule_id for r in inspector_rows)
    page = client.get("/schedules/access-log").get_data(as_text=True)
    assert "Маршрутный лист PDF" in page and "Календарь" in page and "/my/route/stops/" in page
    body = client.get("/schedules/access-log?format=csv")
    table = list(csv.reader(io.StringIO(body.data.decode("utf-8-sig"))))
    assert len(table) == len(rows) + 1 and table[0][0].startswith("Время")
    api_rows = client.get("/api/v1/schedules/access-log", headers=auth_headers("supervisor")).get_json()
    assert len(api_rows) == len(rows)
    client.post("/auth/logout")
    login("supervisor_b")
    assert "/my/route/stops/" not in client.get("/schedules/access-log").get_data(as_text=True)
    client.post("/auth/logout")
    login("inspector")
    assert client.get("/schedules/access-log").status_code == 403


def test_supervisor_sets_the_evening_release(client, login, day, region_a):
    """Can the region's supervisor switch to the evening-before release from the log page?"""
    login("supervisor")
    client.post("/schedules/route-release", data={"route_release": "evening"})
    db.session.refresh(region_a)
    assert region_a.route_release == "evening"
    client.post("/schedules/route-release", data={"route_release": "night"})
    db.session.refresh(region_a)
    assert region_a.route_release == "evening"


def _queries_of(app, fn) -> int:
    """How many SELECTs `fn()` sends (the test harness's savepoints aside)."""
    db.session.expire_all()  # as in a new request: nothing loaded yet
    seen = []

    def count(conn, cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_a_long_route_is_read_in_as_many_queries_as_a_short_one(client, login, day, region_a, app):
    """Does logging the read leave the route as it was loaded (a 12-stop day costs no more queries than 2)?

    The access log's commit used to expire every stop, so the answer loaded each visit again: one query a stop,
    1.1 s for a 120-stop route on PostgreSQL."""
    from tests.factories import FacilityFactory

    login("inspector")
    short = _queries_of(app, lambda: client.get("/api/v1/my/route"))
    extra = [FacilityFactory(region=region_a, name_ru=f"Сад № {n}", lat=43.3 + n / 100, lon=76.9) for n in range(10)]
    schedule = day["schedule"]
    for n, facility in enumerate(extra, start=2):
        schedule.visits.append(ScheduleVisit(inspector=day["inspector"], facility=facility, date=TODAY,
                                             start="14:00", end="15:00", order=n))
    db.session.commit()
    response = None

    def read():
        nonlocal response
        response = client.get("/api/v1/my/route")

    long = _queries_of(app, read)
    assert len(response.get_json()["stops"]) == 12
    assert long == short


def test_calendar_events_are_stamped_from_the_data_and_named_by_the_deployment(client, login, day, clock, app,
                                                                                monkeypatch, auth_headers):
    """Are two fetches an hour apart the same bytes (DTSTAMP from the data, not the clock), with LAST-MODIFIED
    and SEQUENCE present, UIDs ending in PUBLIC_BASE_URL's host, and does a not-done move that event's stamp?"""
    import datetime as dt

    set_runtime(monkeypatch, app, public_base_url="https://tekseru.edu.kz")
    schedule = day["schedule"]
    schedule.published_at = dt.datetime(2026, 3, 1, 4, 0, tzinfo=dt.UTC)
    db.session.commit()
    login("inspector")
    url = _calendar_url(client)
    first = client.get(url).data
    clock(almaty(TODAY, 10))
    assert client.get(url).data == first
    events = sorted(icalendar.Calendar.from_ical(first).walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    for event, visit in zip(events, day["today"], strict=True):
        assert str(event["uid"]) == f"visit-{visit.id}@tekseru.edu.kz"
        assert event.decoded("dtstamp") == event.decoded("last-modified") == schedule.published_at
        assert event.decoded("sequence") == 0
    visit = day["today"][1]
    response = client.post(f"/api/v1/my/route/visits/{visit.id}/not-done", headers=auth_headers("inspector"),
                           json={"reason": "closed", "note": "", "client_uuid": "7c7f1c36-6a0c-4d5e-9d8c-1a2b3c4d5e6f"})
    assert response.status_code == 200, response.json
    again = client.get(url).data
    stamps = {str(e["uid"]): e.decoded("last-modified")
              for e in icalendar.Calendar.from_ical(again).walk("VEVENT")}
    changed = stamps.get(f"visit-{visit.id}@tekseru.edu.kz")
    assert changed is not None and changed > schedule.published_at


def test_access_log_csv_escapes_formulas(client, login, day):
    """Does a name that Excel would run (`=1+2`, `@SUM`) reach the access-log CSV as text, as in the registry
    export, so that opening the log never runs what an account holder typed?"""
    user = day["inspector"].user
    user.full_name = "=1+2+HYPERLINK(\"http://x\")"
    db.session.commit()
    login("inspector")
    client.get("/my/route")
    client.post("/auth/logout")
    login("supervisor")
    body = client.get("/schedules/access-log?format=csv")
    table = list(csv.reader(io.StringIO(body.data.decode("utf-8-sig"))))
    names = {row[2] for row in table[1:] if row[1] == user.username}
    assert names == {"'=1+2+HYPERLINK(\"http://x\")"}


def test_calendar_url_is_shown_once_outside_the_session_and_the_offline_copy(app, client, login, day, monkeypatch):
    """Is a new calendar URL shown on the answer to the POST itself (never in the session cookie, which is signed
    but readable, nor on a page the service worker keeps), built from PUBLIC_BASE_URL whatever Host was sent?"""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://tekseru.example.kz")
    login("inspector")
    response = client.post("/my/calendar", headers={"Host": "attacker.example"})
    assert response.status_code == 200
    assert "X-Tekseru-Offline" not in response.headers and "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    start = text.index("https://tekseru.example.kz/calendar/")
    url = text[start:text.index(".ics", start) + 4]
    token = url.rsplit("/", 1)[1][:-4]
    assert "attacker.example" not in text
    cookie = client.get_cookie("session")
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}
    assert token not in repr(session) and token not in (cookie.value if cookie else "")
    page = client.get("/my/route")
    assert page.headers.get("X-Tekseru-Offline") == "1" and token not in page.get_data(as_text=True)
    client.post("/auth/logout")
    assert client.get(url.removeprefix("https://tekseru.example.kz")).status_code == 200

"""Can an admin keep the calendar current (transfers, school breaks) through the API and the page, with history,
can a supervisor close a facility for some dates, and is bad input refused naming the field, nothing written?"""

import datetime as dt
import json

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import CalendarTransfer, ChangeRecord, FacilityClosure, SchoolBreak
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from tests.factories import FacilityFactory, InspectorFactory


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_an_admin_replaces_a_years_transfers_through_the_api_with_history(client, auth_headers, region_a):
    """Does a PUT of 2031's transfers make the Saturday a working day of the next build, with one history row?"""
    body = {"transfers": [{"day_off": "2031-04-04", "working_day": "2031-04-05", "note": "Постановление № 1"}]}
    response = client.put("/api/v1/calendar/2031/transfers", json=body, headers=auth_headers("admin"))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()[0]["working_day"] == "2031-04-05"
    InspectorFactory(regions=[region_a])
    FacilityFactory(region=region_a, type="kindergarten", last_inspection_date=None)
    dates = schedules.region_problem(db.session, region_a, dt.date(2031, 4, 3), 3,
                                     runtime=current_runtime()).problem["dates"]
    assert dates == ["2031-04-03", "2031-04-05", "2031-04-07"]
    view = client.get("/api/v1/calendar/?year=2031", headers=auth_headers("supervisor")).get_json()
    assert [t["day_off"] for t in view["transfers"]] == ["2031-04-04"]
    assert {"date": "2031-12-16", "name": "Independence Day"} in view["holidays"]
    history = client.get("/api/v1/calendar/2031/history", headers=auth_headers("admin")).get_json()
    assert history[0]["changes"]["transfers"] == [[], ["2031-04-04>2031-04-05 Постановление № 1"]]
    # Only an admin changes the country's calendar.
    refused = client.put("/api/v1/calendar/2031/transfers", json={"transfers": []},
                         headers=auth_headers("supervisor"))
    assert refused.status_code == 403 and _count(CalendarTransfer, CalendarTransfer.year == 2031) == 1


def test_bad_transfers_and_breaks_are_refused_naming_the_field_and_nothing_is_written(client, auth_headers):
    """A working day on a weekday, breaks ending before they start or overlapping, a year out of range: 422 naming
    the field, and the stored year unchanged?"""
    headers = auth_headers("admin")
    weekday = client.put("/api/v1/calendar/2031/transfers", headers=headers,
                         json={"transfers": [{"day_off": "2031-04-04", "working_day": "2031-04-07"}]})
    assert weekday.status_code == 422 and "working_day" in str(weekday.get_json()["errors"])
    backwards = client.put("/api/v1/calendar/2031/breaks", headers=headers,
                           json={"breaks": [{"start_date": "2031-11-02", "end_date": "2031-10-27"}]})
    assert backwards.status_code == 422 and "end_date" in str(backwards.get_json()["errors"])
    overlapping = client.put("/api/v1/calendar/2031/breaks", headers=headers, json={"breaks": [
        {"start_date": "2031-10-27", "end_date": "2031-11-02"}, {"start_date": "2031-11-01", "end_date": "2031-11-05"},
        {"start_date": "2032-03-20", "end_date": "2032-03-30"}]})
    assert overlapping.status_code == 422
    overlap = ["Каникулы пересекаются с другими каникулами."]
    assert overlapping.get_json()["errors"]["json"] == {"breaks.1.start_date": overlap}
    far = client.put("/api/v1/calendar/2099/breaks", headers=headers, json={"breaks": []})
    assert far.status_code == 422 and "year" in far.get_json()["errors"]["json"]
    assert _count(SchoolBreak, SchoolBreak.school_year == 2031) == 0 and _count(CalendarTransfer) == 0
    assert _count(ChangeRecord, ChangeRecord.entity_type.in_(("calendar_transfers", "school_breaks"))) == 0


def test_entered_breaks_replace_the_assumed_ones(client, auth_headers, region_a):
    """Until a school year is entered its breaks follow the published one; once entered, its own dates count."""
    assumed = client.get("/api/v1/calendar/?year=2031", headers=auth_headers("admin")).get_json()
    assert assumed["breaks_assumed"] and assumed["breaks"][0] == {"start_date": "2031-10-27",
                                                                   "end_date": "2031-11-02",
                                                                   "note": "осенние каникулы"}
    body = {"breaks": [{"start_date": "2031-11-03", "end_date": "2031-11-09", "note": "осенние"},
                       {"start_date": "2032-05-26", "end_date": "2032-08-31", "note": "летние"}]}
    assert client.put("/api/v1/calendar/2031/breaks", json=body, headers=auth_headers("admin")).status_code == 200
    entered = client.get("/api/v1/calendar/?year=2031", headers=auth_headers("admin")).get_json()
    assert not entered["breaks_assumed"] and len(entered["breaks"]) == 2
    InspectorFactory(regions=[region_a])
    school = FacilityFactory(region=region_a, type="school", last_inspection_date=None)
    # 27 October 2031 is a school day now; 3-7 November is the break.
    build = schedules.region_problem(db.session, region_a, dt.date(2031, 10, 28), 5, runtime=current_runtime())
    entry = next(f for f in build.problem["facilities"] if f["id"] == f"F{school.id}")
    assert entry["dates"] == ["2031-10-28", "2031-10-29", "2031-10-30", "2031-10-31"]


def test_a_supervisor_closes_a_facility_through_the_api(client, auth_headers, region_a, region_b):
    """Is a closure recorded with its history, shown, removable, refused outside the region and out of range?"""
    facility = FacilityFactory(region=region_a)
    other = FacilityFactory(region=region_b)
    headers = auth_headers("supervisor")
    body = {"start_date": "2031-03-04", "end_date": "2031-03-05", "reason": "quarantine", "note": "ОРВИ"}
    created = client.post(f"/api/v1/facilities/{facility.id}/closures", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    listed = client.get(f"/api/v1/facilities/{facility.id}/closures", headers=headers).get_json()
    assert [(c["start_date"], c["reason"]) for c in listed] == [("2031-03-04", "quarantine")]
    history = client.get(f"/api/v1/facilities/{facility.id}/history", headers=headers).get_json()
    assert history[0]["action"] == "closure_add"
    assert client.post(f"/api/v1/facilities/{other.id}/closures", json=body, headers=headers).status_code == 404
    for bad, field in (({**body, "start_date": "1989-12-31"}, "start_date"),
                       ({**body, "end_date": "2100-01-01"}, "end_date"),
                       ({**body, "end_date": "2031-03-01"}, "end_date"),
                       ({**body, "reason": "holiday"}, "reason")):
        response = client.post(f"/api/v1/facilities/{facility.id}/closures", json=bad, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["errors"]["json"], bad
    assert _count(FacilityClosure, FacilityClosure.facility_id == facility.id) == 1
    removed = client.delete(f"/api/v1/facilities/{facility.id}/closures/{created.get_json()['id']}", headers=headers)
    assert removed.status_code == 204 and _count(FacilityClosure, FacilityClosure.facility_id == facility.id) == 0


def test_the_calendar_page_shows_holidays_and_an_admin_edits_it(client, login):
    """Does the page name 2031's holidays, and does an admin's bad line come back beside the field, then a good
    one save?"""
    login("admin")
    page = client.get("/calendar/?year=2031")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "День Независимости" in text and "Наурыз мейрамы" in text
    assert 'id="breaks-assumed"' in text
    bad = client.post("/calendar/2031/transfers", data={"transfers": "2031-04-04 > 2031-04-07"})
    assert bad.status_code == 422 and "2031-04-04 &gt; 2031-04-07" in bad.get_data(as_text=True)
    assert "суббота или воскресенье" in bad.get_data(as_text=True)
    good = client.post("/calendar/2031/transfers", data={"transfers": "2031-04-04 > 2031-04-05 Постановление"})
    assert good.status_code == 302
    assert "Постановление" in client.get("/calendar/?year=2031").get_data(as_text=True)


def test_a_supervisor_closes_a_facility_on_its_page(client, login, region_a):
    """Does the facility page take a closure, show it, and refuse an end before the start beside the field?"""
    login("supervisor")
    facility = FacilityFactory(region=region_a)
    bad = client.post(f"/facilities/{facility.id}/closures",
                      data={"start_date": "2031-03-05", "end_date": "2031-03-04", "reason": "repair"})
    assert bad.status_code == 422 and "Закрытие заканчивается раньше" in bad.get_data(as_text=True)
    good = client.post(f"/facilities/{facility.id}/closures",
                       data={"start_date": "2031-03-04", "end_date": "2031-03-05", "reason": "repair"})
    assert good.status_code == 302
    text = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    assert "ремонт" in text and "закрытие объекта" in text


def test_published_years_load_once_and_never_overwrite_an_admins_edit(app, users, tmp_path):
    """Does `load_published` add a year the database lacks (with history), and leave a stored year alone?"""
    from inspect_app.services.calendar import store

    path = tmp_path / "published.json"
    path.write_text(json.dumps({
        "transfers": {"2031": {"items": [{"day_off": "2031-04-04", "working_day": "2031-04-05"}]}},
        "school_years": {"2025": {"breaks": [{"start_date": "2025-09-01", "end_date": "2025-09-02"}]},
                         "2031": {"breaks": [{"start_date": "2031-10-27", "end_date": "2031-11-02"}]}}}))
    added = store.load_published(db.session, users["admin"], path)
    assert added == {"transfers": [2031], "school_years": [2031]}
    # The 2025/2026 year the migration stored (as published) is untouched.
    assert _count(SchoolBreak, SchoolBreak.school_year == 2025) == 4
    assert store.load_published(db.session, users["admin"], path) == {"transfers": [], "school_years": []}
    assert _count(ChangeRecord, ChangeRecord.entity_type == "calendar_transfers") == 1


def test_the_cli_shows_a_year(app):
    """Does `flask calendar show --year 2031` print the working days and Nauryz, and `load` run?"""
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["calendar", "show", "--year", "2031"])
    assert shown.exit_code == 0 and "2031: 246 working days" in shown.output and "2031-03-21 Nowruz" in shown.output
    assert runner.invoke(args=["calendar", "load"]).exit_code == 0
    assert runner.invoke(args=["calendar", "show", "--year", "2200"]).exit_code == 1

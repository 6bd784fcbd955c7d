"""Does a what-if run by the engine place more of the facilities left out today when inspectors are added in the
town next to them, and show both results side by side on the capacity page?"""

import datetime as dt

from flask_babel import refresh

from inspect_app.extensions import db
from inspect_app.models import Job
from tests.factories import FacilityFactory, InspectorFactory


def test_more_inspectors_in_esik_place_more_of_its_facilities(client, auth_headers, login, region_a):
    """80 due kindergartens around Esik, one inspector 46 km away in Almaty (three Esik visits a day at most): a
    month leaves some out; with 3 inspectors based in Esik, more are placed and each visit costs fewer km."""
    for k in range(80):
        FacilityFactory(region=region_a, type="kindergarten", risk="high", last_inspection_date=None,
                        children_count=100, lat=43.35 + 0.001 * (k % 8), lon=77.45 + 0.001 * (k // 8))
    InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.91, max_visits_per_day=4)
    db.session.commit()
    response = client.post("/api/v1/capacity/what-ifs", headers=auth_headers("supervisor"), json={
        "region": "190000000", "year": 2031, "month": 3, "scenario": "inspectors", "inspectors": 3,
        "town": "  есик "})
    assert response.status_code == 202, response.get_json()
    job = db.session.get(Job, response.get_json()["job_id"])
    assert job.status == "finished", job.error
    today, what_if = job.result["today"], job.result["what_if"]
    assert today["must"] == what_if["must"] == 80
    assert 0 < today["must_placed"] < 80 and what_if["must_placed"] > today["must_placed"]
    assert set(what_if["unplaced"]) < set(today["unplaced"])
    assert what_if["km_per_visit"] < today["km_per_visit"] and what_if["inspectors"] == 4
    # The year's plan counts the three as available inspector-days.
    assert what_if["gap_days"] < today["gap_days"]
    assert job.result["first"] == "2031-03-03" and job.result["scenario"]["town"] == "Есик"
    login("supervisor")
    page = client.get("/capacity/?year=2031").get_data(as_text=True)
    section = page[page.index('id="what-ifs"'):]
    assert f"{today['must_placed']}/80 → <strong>{what_if['must_placed']}/80</strong>" in section
    assert "+3 · Есик" in section
    # The year's gap names its year (the sampled month's, which may not be the page's).
    assert f"2031: {today['gap_days']} → <strong>{what_if['gap_days']}</strong>" in section
    # The share of a day planned visits may fill is named in words, not as the setting's name.
    assert "доля дня под плановые посещения" in page and "· fill " not in page
    refresh()  # the test's app context keeps the locale of the first page
    kk = client.get("/capacity/?year=2031&lang=kk").get_data(as_text=True)
    assert "жоспарлы баруларға арналған күн үлесі" in kk and "fill-ге" not in kk


def test_a_what_if_form_error_shows_beside_the_field(client, login, region_a):
    """Is an unknown town refused beside its field on the page, with no job started?"""
    login("supervisor")
    db.session.commit()  # the refusal rolls the session back: the signed-in user must be stored
    response = client.post("/capacity/what-if?year=2031", data={"scenario": "inspectors", "inspectors": "2",
                                                                 "town": "Атлантида"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Нет населённого пункта с таким названием в регионе" in page and "Атлантида" in page
    assert db.session.query(Job).filter_by(kind="capacity_whatif").count() == 0


def _post(client, headers, **body):
    response = client.post("/api/v1/capacity/what-ifs", headers=headers,
                           json={"region": "190000000", "year": 2031, "month": 3, **body})
    assert response.status_code == 202, response.get_json()
    job = db.session.get(Job, response.get_json()["job_id"])
    assert job.status == "finished", job.error
    return job.result["today"], job.result["what_if"]


def test_a_shorter_medium_interval_and_a_lower_fill_change_the_month_and_the_year(client, auth_headers, region_a):
    """Medium risk every 120 days instead of 180: do the ten medium-risk kindergartens inspected on 20 October
    2030 (due 18 April at 180 days, 17 February at 120) become must-visits of March 2031, placed by the engine,
    and does the year need more? A fill of 0.3: the same must-visits, fewer inspector-days available a year."""
    for k in range(10):
        FacilityFactory(region=region_a, type="kindergarten", risk="medium", children_count=100,
                        last_inspection_date=dt.date(2030, 10, 20), lat=43.25 + 0.002 * k, lon=76.95)
    for k in range(5):
        FacilityFactory(region=region_a, type="kindergarten", risk="high", children_count=100,
                        last_inspection_date=None, lat=43.25 + 0.002 * k, lon=76.96)
    InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.94, max_visits_per_day=4)
    db.session.commit()
    headers = auth_headers("supervisor")
    today, what_if = _post(client, headers, scenario="interval", interval_days=120)
    assert today["must"] == 5 and what_if["must"] == 15
    assert today["must_placed"] == 5 and what_if["must_placed"] == 15
    # The year: each medium kindergarten is due 3 times at 120 days (17 Feb, 17 Jun, 15 Oct) instead of twice.
    assert what_if["gap_days"] > today["gap_days"]
    today, what_if = _post(client, headers, scenario="fill", fill=0.3)
    assert today["must"] == what_if["must"] == 5 and what_if["must_placed"] == 5
    assert what_if["gap_days"] > today["gap_days"]


def test_a_lower_fill_leaves_less_of_the_day_for_planned_visits_in_the_month_too(client, auth_headers, region_a):
    """A fill of 0.3 (against CAPACITY_FILL): does the sampled month then place fewer of forty due kindergartens
    for one inspector, as the year's plan has fewer days available, instead of drawing more extra visits?"""
    for k in range(40):
        FacilityFactory(region=region_a, type="kindergarten", risk="high", children_count=100,
                        last_inspection_date=None, lat=43.25 + 0.001 * (k % 8), lon=76.95 + 0.001 * (k // 8))
    InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.94, max_visits_per_day=4,
                     max_minutes_per_day=480)
    db.session.commit()
    today, what_if = _post(client, auth_headers("supervisor"), scenario="fill", fill=0.3)
    assert today["must"] == what_if["must"] == 40
    assert what_if["must_placed"] < today["must_placed"] and what_if["visits"] < today["visits"]
    assert what_if["gap_days"] > today["gap_days"]

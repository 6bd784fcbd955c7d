"""Does the capacity plan give the figures a person derives by hand for a small region, on every path (API, CSV,
CLI), and does a what-if run by the engine place more of the facilities left out when inspectors are added near
them?"""

import csv
import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Audit, ChecklistTemplate, Job, Schedule, UrgentRequest, Violation
from inspect_app.services import checklists
from tests.factories import DistrictFactory, FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.conftest import absence
from tests.runtime import set_runtime

YEAR = 2031


@pytest.fixture
def small_region(app, region_a, monkeypatch):
    """Two districts, three facilities, two inspectors, one published schedule, four audits, urgent requests."""
    set_runtime(monkeypatch, app, capacity_fill=0.5, travel_speed_kmh=40.0, road_factor=1.3)
    d1 = DistrictFactory(region=region_a, kato="190010000", name_ru="Первый район")
    d2 = DistrictFactory(region=region_a, kato="190020000", name_ru="Второй район")
    a = FacilityFactory(region=region_a, district=d1, type="kindergarten", risk="high", children_count=100,
                        last_inspection_date=dt.date(2030, 12, 1), lat=43.25, lon=76.95)
    b = FacilityFactory(region=region_a, district=d1, type="school", risk="low", children_count=800,
                        last_inspection_date=None, lat=43.26, lon=76.96)
    FacilityFactory(region=region_a, district=d2, type="kindergarten", risk="medium", children_count=100,
                        last_inspection_date=dt.date(2030, 10, 1), lat=43.60, lon=77.40)
    near_a = InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.94, max_minutes_per_day=480)
    absence(near_a, dt.date(2031, 3, 3), dt.date(2031, 3, 7))
    InspectorFactory(regions=[region_a], home_lat=43.61, home_lon=77.41, max_minutes_per_day=480)
    db.session.add(Schedule(
        region=region_a, start_date=dt.date(2030, 12, 1), end_date=dt.date(2030, 12, 2), seed=1, time_limit=1,
        status="published", problem={}, problem_sha256="0" * 64, stats={}, commitment="c" * 64,
        schedule={"routes": [{"travel_km": 30.0, "stops": [{}, {}]}, {"travel_km": 10.0, "stops": [{}, {}]}],
                  "unscheduled": []}))
    checklists.ensure_templates(db.session)
    template = db.session.scalar(sa.select(ChecklistTemplate))
    for k in range(4):
        audit = Audit(client_uuid=str(uuid.uuid4()), status="submitted", facility_id=a.id, region_id=region_a.id,
                      template_id=template.id, legal_basis="planned", inspection_date=dt.date(2030, 12, 1))
        db.session.add(audit)
        db.session.flush()
        for severity in (("critical", "critical") if k == 0 else ("minor",)):
            db.session.add(Violation(audit_id=audit.id, facility_id=a.id, item_code=f"x.{severity}", section="x",
                                     severity=severity, item_text={}, corrective_action={}, responsible="head",
                                     due_date=dt.date(2030, 12, 20)))
    now = dt.datetime.now(dt.UTC)
    for created in (now - dt.timedelta(days=10), now - dt.timedelta(days=100), now - dt.timedelta(days=400)):
        db.session.add(UrgentRequest(facility_id=b.id, region_id=region_a.id, reason="complaint", deadline=now,
                                     created_at=created))
    db.session.commit()
    return d1, d2


def _by_kato(rows):
    return {r["kato"]: r for r in rows}


def test_the_plan_of_a_small_region_matches_the_figures_derived_by_hand(client, auth_headers, small_region):
    """Needed and available inspector-days, the gap in days and in inspectors, derived here by hand."""
    # The year: 365 days, 261 Monday-to-Friday, 15 weekday holidays -> 246 working days; fill 0.5.
    working, fill = 246, 0.5
    # Routine visits. Kindergarten A (high: every 90 days) last inspected 2030-12-01: 2031-03-01, 05-30, 08-28,
    # 11-26 -> 4, 90 minutes each. School B (low: 365) never inspected: due 1 January -> 1, 120 + 15 (800 pupils)
    # = 135 minutes. Kindergarten C (medium: 180) inspected 2030-10-01: 2031-03-30 and 09-26 -> 2, 90 minutes.
    # Travel: 40 km over 4 stops in the published schedule = 10 km per visit at 40 km/h = 15 minutes.
    # Follow-ups: 1 of the 4 submitted audits had a critical violation -> 0.25 per routine visit.
    # Urgent: 2 requests in the last 365 days (the third is older), spread 5:2 over the districts.
    d1_minutes = (4 * 90 + 135) + 5 * 15 + (5 * 0.25 + 2 * 5 / 7) * ((4 * 90 + 135) / 5 + 15)
    d2_minutes = 2 * 90 + 2 * 15 + (2 * 0.25 + 2 * 2 / 7) * (90 + 15)
    d1_needed, d2_needed = d1_minutes / 480, d2_minutes / 480
    # Available: the inspector nearest A (district 1) is away 3-7 March 2031, five working days.
    d1_available, d2_available = (working - 5) * fill, working * fill
    plan = client.get(f"/api/v1/capacity/?year={YEAR}&region=190000000", headers=auth_headers("supervisor"))
    assert plan.status_code == 200, plan.get_json()
    body = plan.get_json()
    rows = _by_kato(body["rows"])
    assert body["working_days"] == working and body["travel_minutes"] == {"190000000": 15.0}
    assert body["followup_rate"] == {"190000000": 0.25} and body["urgent_per_year"] == {"190000000": 2}
    assert rows["190010000"]["routine_visits"] == 5 and rows["190020000"]["routine_visits"] == 2
    assert rows["190010000"]["needed_days"] == round(d1_needed, 1)
    assert rows["190020000"]["needed_days"] == round(d2_needed, 1)
    assert rows["190010000"]["available_days"] == d1_available and rows["190010000"]["absence_days"] == 5
    assert rows["190020000"]["available_days"] == d2_available
    total = body["rows"][-1]
    assert total["total"] and total["gap_days"] == round(d1_needed + d2_needed - d1_available - d2_available, 1)
    assert body["gap_inspectors"] == round((d1_needed + d2_needed - d1_available - d2_available) / (working * fill), 1)


def test_the_plan_exports_as_csv_and_through_the_cli(app, client, auth_headers, small_region):
    """Is the CSV the same table (districts, then the total), and does the CLI print it?"""
    response = client.get(f"/api/v1/capacity/export?year={YEAR}&region=190000000&format=csv",
                          headers=auth_headers("supervisor"))
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["kato"] for r in rows][-1] == "190000000" and rows[-1]["name_ru"].startswith("итого")
    assert {r["routine_visits"] for r in rows} >= {"5", "2", "7"}
    xlsx = client.get(f"/api/v1/capacity/export?year={YEAR}&region=190000000&format=xlsx",
                      headers=auth_headers("supervisor"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    out = app.test_cli_runner().invoke(args=["capacity", "plan", "--year", str(YEAR), "--region", "190000000"])
    assert out.exit_code == 0, out.output
    assert "Первый район" in out.output and "246" in out.output


@pytest.mark.parametrize("lang, headers", [
    ("ru", ["Код КАТО", "Название (рус.)", "Название (каз.)", "Объектов", "Плановых посещений"]),
    ("kk", ["ӘАОЖ (КАТО) коды", None, None, "Объектілер", "Жоспарлы барулар"]),
    ("en", ["KATO code", None, None, "Facilities", "Routine visits"])])
def test_the_pages_xlsx_heads_its_columns_in_the_ui_language(client, login, auth_headers, small_region, lang,
                                                             headers):
    """Does the capacity page's XLSX, a file for people, head its columns in the page's language as the page does
    (it was headed "kato, name_ru, ... gap_inspectors"), while the API's keeps the keys?"""
    import openpyxl

    login("supervisor")
    response = client.get(f"/capacity/export.xlsx?year={YEAR}&region=190000000&lang={lang}")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    first = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert len(first) == 14 and not {"kato", "name_ru", "routine_visits", "gap_inspectors"} & set(first), first
    assert all(want is None or got == want for got, want in zip(first, headers, strict=False)), first
    api = client.get(f"/api/v1/capacity/export?year={YEAR}&region=190000000&format=xlsx",
                     headers=auth_headers("supervisor"))
    keys = [cell.value for cell in next(openpyxl.load_workbook(io.BytesIO(api.data)).active.iter_rows(max_row=1))]
    assert keys[:2] == ["kato", "name_ru"]


def test_bad_plan_and_what_if_requests_name_the_field(client, auth_headers, small_region, region_b):
    """A year out of range, another region, a negative number of inspectors, an unknown town: the field named,
    no job started."""
    headers = auth_headers("supervisor")
    assert client.get("/api/v1/capacity/?year=1800", headers=headers).status_code == 422
    assert client.get("/api/v1/capacity/?region=750000000", headers=headers).status_code == 404
    for body, field in (({"scenario": "inspectors", "inspectors": -5, "town": "Талгар"}, "inspectors"),
                        ({"scenario": "inspectors", "inspectors": 5, "town": "Нигдебург"}, "town"),
                        ({"scenario": "interval"}, "interval_days"),
                        ({"scenario": "fill", "fill": 1.5}, "fill")):
        response = client.post("/api/v1/capacity/what-ifs", json={"region": "190000000", **body}, headers=headers)
        assert response.status_code == 422 and field in response.get_json()["errors"]["json"], body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.kind == "capacity_whatif")) == 0


def test_the_country_plan_has_a_row_per_region_adding_up_to_the_total(app, client, auth_headers, small_region,
                                                                      region_b):
    """Does the ministry (no region of its own) get the country by region: each region's row is that region's
    own total, the country's total their sum, and the gap in inspectors the total over working days x fill?"""
    FacilityFactory(region=region_b, type="kindergarten", risk="high", children_count=100, last_inspection_date=None,
                    lat=43.24, lon=76.89)
    InspectorFactory(regions=[region_b], home_lat=43.23, home_lon=76.88, max_minutes_per_day=480)
    db.session.commit()
    headers = auth_headers("ministry")
    country = client.get(f"/api/v1/capacity/?year={YEAR}", headers=headers).get_json()
    rows = _by_kato(country["rows"])
    assert country["region"] is None and set(rows) == {"190000000", "750000000", ""} and rows[""]["total"]
    for kato in ("190000000", "750000000"):
        own = client.get(f"/api/v1/capacity/?year={YEAR}&region={kato}", headers=headers).get_json()["rows"][-1]
        assert {k: rows[kato][k] for k in ("routine_visits", "needed_days", "inspectors", "available_days")} == \
            {k: own[k] for k in ("routine_visits", "needed_days", "inspectors", "available_days")}
    # Region B: a high-risk kindergarten never inspected is due 1 January, 1 April, 30 June, 28 September and
    # 27 December; region A's five and two routine visits (the test above).
    assert rows["750000000"]["routine_visits"] == 5 and rows[""]["routine_visits"] == 12
    assert rows[""]["inspectors"] == 3 and rows[""]["available_days"] == (3 * 246 - 5) * 0.5
    gap = rows["190000000"]["gap_days"] + rows["750000000"]["gap_days"]
    assert abs(rows[""]["gap_days"] - gap) <= 0.1
    assert abs(country["gap_inspectors"] - gap / (246 * 0.5)) <= 0.1
    out = app.test_cli_runner().invoke(args=["capacity", "plan", "--year", str(YEAR)])
    assert out.exit_code == 0 and "Казахстан" in out.output and "г. Алматы" in out.output, out.output


def test_a_sampled_travel_figure_follows_an_edit_of_the_registry(app, client, auth_headers, region_a, monkeypatch):
    """With no published schedule, travel per visit comes from a sample solve: after the region's only facility
    moves 60 km from the inspector, does the next plan solve again instead of repeating the old registry's travel?"""
    set_runtime(monkeypatch, app, capacity_fill=0.5, travel_speed_kmh=40.0, road_factor=1.3,
                capacity_sample_time_limit=1)
    district = DistrictFactory(region=region_a, kato="190010000", name_ru="Первый район")
    facility = FacilityFactory(region=region_a, district=district, type="kindergarten", risk="high",
                               last_inspection_date=None, lat=43.25, lon=76.95)
    InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.94, max_minutes_per_day=480)
    db.session.commit()

    def travel():
        plan = client.get(f"/api/v1/capacity/?year={YEAR}&region=190000000", headers=auth_headers("supervisor"))
        assert plan.status_code == 200, plan.get_json()
        return plan.get_json()["travel_minutes"]["190000000"]

    near = travel()
    facility.lat, facility.lon = 43.60, 77.40
    db.session.commit()
    assert travel() > near + 30

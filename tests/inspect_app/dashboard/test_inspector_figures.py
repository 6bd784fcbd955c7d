"""Inspectors' figures on the hand-made dataset (conftest.py) plus a few routes: visits planned vs done, why
visits did not take place, audits returned in review, median days from the visit to the submit."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from inspect_app.extensions import db
from inspect_app.models import Audit, ReviewDecision, Schedule, ScheduleVisit
from inspect_app.services.errors import Forbidden
from inspect_app.services.statistics.inspectors import inspector_figures
from tests.factories import InspectorFactory
from tests.inspect_app.dashboard.conftest import Dataset


def _schedule(region, day, status="published", superseded_from=None) -> Schedule:
    schedule = Schedule(region_id=region.id, start_date=day - timedelta(days=500), end_date=day + timedelta(days=30),
                        seed=1, time_limit=1, status=status, superseded_from=superseded_from,
                        problem={"dates": [], "facilities": [], "inspectors": []}, problem_sha256="0" * 64,
                        schedule={"routes": [], "unscheduled": []}, stats={})
    db.session.add(schedule)
    return schedule


def _visit(schedule, inspector, facility, day, status="planned", reason=None) -> None:
    schedule.visits.append(ScheduleVisit(inspector=inspector, facility=facility, date=day, start="09:00",
                                         end="10:00", order=0, status=status, not_done_reason=reason))


@pytest.fixture
def routes(users, dataset: Dataset, region_a, region_b):
    """Region A: inspector 1 has 4 visits up to today (one done in a superseded schedule before its successor,
    two not done, one still open), one after today and one of the superseded schedule after its successor (both
    not counted), one in a draft (not counted); inspector 2 one done in the period and one before it. Region B:
    inspector 3 one done. Review: a1 (today-100) returned, its next audit a3 accepted."""
    today = dataset.today
    one = InspectorFactory(full_name="Инспектор Один", regions=[region_a])
    two = InspectorFactory(full_name="Инспектор Два", regions=[region_a])
    three = InspectorFactory(full_name="Инспектор Три", regions=[region_b])
    old = _schedule(region_a, today, status="superseded", superseded_from=today - timedelta(days=35))
    _visit(old, one, dataset.f1, today - timedelta(days=50), "submitted")
    _visit(old, one, dataset.f1, today - timedelta(days=32), "submitted")
    live = _schedule(region_a, today)
    _visit(live, one, dataset.f1, today - timedelta(days=30), "not_done", "closed")
    _visit(live, one, dataset.f2, today - timedelta(days=29), "not_done", "refused_entry")
    _visit(live, one, dataset.f3, today - timedelta(days=5))
    _visit(live, one, dataset.f3, today + timedelta(days=3))
    _visit(live, two, dataset.f2, today - timedelta(days=20), "submitted")
    _visit(live, two, dataset.f2, today - timedelta(days=400), "submitted")
    _visit(_schedule(region_a, today, status="draft"), two, dataset.f2, today - timedelta(days=3))
    _visit(_schedule(region_b, today), three, dataset.g1, today - timedelta(days=10), "submitted")
    db.session.flush()
    a1 = db.session.query(Audit).filter_by(facility_id=dataset.f1.id, inspection_date=today - timedelta(days=100)).one()
    a3 = db.session.query(Audit).filter_by(facility_id=dataset.f1.id, inspection_date=today - timedelta(days=20)).one()
    for audit, outcome in ((a1, "returned"), (a3, "accepted")):
        db.session.add(ReviewDecision(audit_id=audit.id, reviewer_id=users["supervisor_b"].id,
                                      reviewer_name="Руководитель", outcome=outcome, comment="см."))
    db.session.commit()
    return {"one": one, "two": two, "three": three}


def test_a_regions_inspectors_by_hand(users, dataset: Dataset, routes):
    """Supervisor A, by inspector: one planned 4 (done 1, not done 2: closed and refused entry, open 1), two
    planned 1 done 1; the audits (written by the supervisor, no inspector) were submitted today: days 100, 20,
    10 and 10 (a2 and its correction) -> median 15; one of them returned in review."""
    figures = inspector_figures(db.session, users["supervisor"], dataset.period)
    assert figures.by == "inspector"
    rows = {row.key: row for row in figures.rows}
    one, two = rows[routes["one"].id], rows[routes["two"].id]
    assert (one.planned, one.done, one.not_done, one.open) == (4, 1, {"closed": 1, "refused_entry": 1}, 1)
    assert one.done_share == 25.0
    assert (two.planned, two.done, two.open) == (1, 1, 0)
    assert (rows[None].submitted, rows[None].returned, rows[None].median_days) == (4, 1, 15.0)
    assert routes["three"].id not in rows
    total = figures.total
    assert (total.planned, total.done, total.not_done_total, total.returned, total.median_days) == (5, 2, 2, 1, 15.0)


def test_the_country_by_region_by_hand(users, dataset: Dataset, routes, region_a, region_b):
    """Ministry, the country: region A as above, region B planned 1 done 1, b1 submitted 5 days after its visit;
    the country's median over 5, 10, 10, 20, 100 is 10."""
    figures = inspector_figures(db.session, users["ministry"], dataset.period)
    assert figures.by == "region"
    rows = {row.key: row for row in figures.rows}
    assert (rows[region_a.id].planned, rows[region_a.id].done, rows[region_a.id].median_days) == (5, 2, 15.0)
    assert (rows[region_b.id].planned, rows[region_b.id].done, rows[region_b.id].median_days) == (1, 1, 5.0)
    assert (figures.total.planned, figures.total.median_days) == (6, 10.0)
    only_b = inspector_figures(db.session, users["ministry"], {**dataset.period, "region": region_b.kato})
    # b1 was written by region B's supervisor, who is no inspector: its row is "no inspector".
    assert [(row.key, row.planned, row.submitted) for row in only_b.rows] == [(routes["three"].id, 1, 0),
                                                                              (None, 0, 1)]


def test_inspector_figures_are_scoped(users, dataset: Dataset, routes, region_a):
    with pytest.raises(Forbidden):
        inspector_figures(db.session, users["inspector"], dataset.period)
    with pytest.raises(Forbidden):
        inspector_figures(db.session, users["supervisor_b"], {**dataset.period, "region": region_a.kato})
    assert {row.key for row in inspector_figures(db.session, users["supervisor_b"], dataset.period).rows} == {
        routes["three"].id, None}


def test_dashboard_shows_the_inspectors_table_and_exports_it(client, login, dataset: Dataset, routes):
    """The supervisor's dashboard lists each inspector with the reasons named; the XLSX has numbers as numbers
    and the workbook a sheet of its own; the CSV keeps the keys."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    assert 'id="inspectors-table"' in html and "Инспектор Один" in html and "Объект закрыт: 1" in html
    assert "Инспектор Три" not in html
    response = client.get("/dashboard/inspectors.xlsx", query_string=dataset.query)
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Визитов запланировано"
    one = next(r for r in rows if r[2] == "Инспектор Один")
    assert one[3:6] == (4, 1, 2) and isinstance(one[3], int)
    assert rows[-1][3] == 5 and rows[-1][rows[0].index("Медиана дней от визита до отправки акта")] == 15.0
    book = load_workbook(io.BytesIO(client.get("/dashboard/export-all.xlsx", query_string=dataset.query).data))
    assert "inspectors" in book.sheetnames
    csv = client.get("/dashboard/inspectors.csv", query_string=dataset.query).get_data(as_text=True)
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("level,kato,name,visits_planned")


def test_inspector_routes_are_scoped(client, auth_headers, dataset: Dataset, routes, region_a):
    """Inspectors get 403 from the API and the page export; region B's supervisor cannot ask for region A; the
    ministry gets a row per region."""
    url = "/api/v1/statistics/inspectors"
    assert client.get(url, headers=auth_headers("inspector")).status_code == 403
    assert client.get(url, query_string={"region": region_a.kato},
                      headers=auth_headers("supervisor_b")).status_code == 403
    body = client.get(url, query_string=dataset.query, headers=auth_headers("ministry")).get_data(as_text=True)
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[1].split(",")[0] == "region" and len(lines) == 1 + 2 + 1


def test_namesakes_are_told_apart_on_the_dashboard(users, dataset: Dataset, routes):
    """Two inspectors of one name (the demo has two "Петрова Людмила Викторовна"): are their rows of the
    dashboard's table told apart by their home towns, as the schedule pages tell them?"""
    for key, town in (("one", "Талгар"), ("two", "Есик")):
        routes[key].full_name, routes[key].home_address = "Петрова Людмила Викторовна", f"{town}, ул. Абая, 3"
    db.session.commit()
    rows = {row.key: row for row in inspector_figures(db.session, users["supervisor"], dataset.period).rows}
    assert rows[routes["one"].id].name == "Петрова Людмила Викторовна (Талгар)"
    assert rows[routes["two"].id].name == "Петрова Людмила Викторовна (Есик)"

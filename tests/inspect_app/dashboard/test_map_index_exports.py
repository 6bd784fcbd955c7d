"""The results map, the compliance index, the monthly counts and the one-workbook export, on the hand-made dataset
(tests/inspect_app/dashboard/conftest.py): are the figures the ones computed by hand, and scoped to the user?"""

import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from inspect_app.extensions import db
from inspect_app.models import Audit, AuditMonthCount, Region, TallyKind, ViolationMonthCount
from inspect_app.services import audits
from inspect_app.services.errors import Forbidden, NotFound
from inspect_app.services.statistics import tally
from inspect_app.services.statistics.index import IndexWeights, compliance_index
from inspect_app.services.statistics.map import facility_detail, map_points
from tests.answers import act_fields
from tests.inspect_app.dashboard.conftest import Dataset
from tests.inspect_app.services.audits.conftest import new_uuid

WEIGHTS = IndexWeights(sections={"safety": 0.5, "nutrition": 0.25, "health": 0.25},
                       severity={"critical": 5.0, "major": 2.0, "minor": 1.0}, in_time=0.3)


def _points(data: dict) -> dict[int, dict]:
    keys = ("result", "critical", "overdue", "type", "district")
    return {fid: {k: data[k][n] for k in keys} for n, fid in enumerate(data["id"])}


def test_map_colours_each_facility_by_its_newest_result_and_open_critical_items(users, dataset: Dataset):
    """Region A's four live facilities: f1 and f2 each have one open critical item, f3 was never inspected
    (overdue), f2's newest audit is the correction of a2 (all passed); the archived one is not on the map."""
    data = map_points(db.session, users["supervisor"])
    points = _points(data)
    assert len(points) == 4 and dataset.g1.id not in points
    pass_index = data["results"].index("pass")
    assert points[dataset.f2.id] == {"result": pass_index, "critical": 1, "overdue": 0,
                                     "type": data["types"].index("kindergarten"),
                                     "district": points[dataset.f2.id]["district"]}
    assert points[dataset.f1.id]["critical"] == 1 and points[dataset.f1.id]["overdue"] == 0
    assert points[dataset.f3.id] == {"result": -1, "critical": 0, "overdue": 1, "type": data["types"].index("school"),
                                     "district": -1}
    names = {tuple(d) for d in data["districts"]}
    assert names == {("Район 1", "1 ауданы"), ("Район 2", "2 ауданы")}
    assert len(map_points(db.session, users["ministry"])["id"]) == 5


def test_a_marker_shows_the_last_audit_and_the_open_items(users, dataset: Dataset):
    """f2: the correction (today-10, passed) and the critical item of the old audit still open; g1 is hidden
    from region A's supervisor and inspectors have no map."""
    detail = facility_detail(db.session, users["supervisor"], dataset.f2.id)
    assert detail["last_audit"]["inspection_date"] == (dataset.today - timedelta(days=10)).isoformat()
    assert detail["last_audit"]["result"] == "pass"
    assert [(i["severity"], i["text"]["ru"][:10]) for i in detail["open_items"]] == [
        ("critical", detail["open_items"][0]["text"]["ru"][:10])]
    assert facility_detail(db.session, users["supervisor"], dataset.f3.id)["last_audit"] is None
    with pytest.raises(NotFound):
        facility_detail(db.session, users["supervisor"], dataset.g1.id)
    with pytest.raises(Forbidden):
        map_points(db.session, users["inspector"])


def test_compliance_index_by_hand(users, dataset: Dataset):
    """Weights 5/2/1 by severity, safety 0.5, in time 0.3. District 1: 3 safety violations (5+2+1) over 2
    inspections -> penalty 4, safety 100/5 = 20, sections 0.5*20 + 0.25*100 + 0.25*100 = 60, f1 in time (100%)
    -> 0.3*100 + 0.7*60 = 72. District 2: one inspection, no violation, f2 in time -> 100. No district: no
    inspection, no index. Region A: penalty 8/3, safety 100/(11/3) = 27.3, sections 63.65, in time 66.7%
    -> 0.3*66.7 + 0.7*63.65 = 64.6."""
    table = compliance_index(db.session, users["supervisor"], dataset.period, WEIGHTS)
    rows = {row.area.kato: row for row in table.rows}
    assert (rows["192000000"].index, rows["192000000"].rank) == (100.0, 1)
    assert (rows["191000000"].index, rows["191000000"].rank) == (72.0, 2)
    assert rows["191000000"].compliance == {"safety": 20.0, "nutrition": 100.0, "health": 100.0}
    assert (rows[None].index, rows[None].rank) == (None, None)
    assert table.total.compliance["safety"] == 27.3 and table.total.index == 64.6
    assert len(table.trend) == 12


def test_index_weights_come_from_configuration(app, client, login, dataset: Dataset):
    """Counting only the in-time share (weight 1) makes district 1's index its in-time share, 100."""
    login("supervisor")
    app.config["COMPLIANCE_INDEX_WEIGHTS"] = {**app.config["COMPLIANCE_INDEX_WEIGHTS"], "in_time": 1.0}
    try:
        html = client.get("/dashboard/index", query_string=dataset.query).get_data(as_text=True)
    finally:
        app.config["COMPLIANCE_INDEX_WEIGHTS"] = {**app.config["COMPLIANCE_INDEX_WEIGHTS"], "in_time": 0.3}
    assert "<strong>100.0</strong>" in html and "<strong>72.0</strong>" not in html


def test_monthly_counts_follow_submits_and_corrections(users, dataset: Dataset):
    """Region A has 4 counted audits (a2 counted once: its correction replaced it), region B 1; the counts the
    submits kept equal a recount from the audits."""
    def counts() -> dict[tuple, int]:
        rows = db.session.execute(sa.select(AuditMonthCount.month, AuditMonthCount.region_id,
                                            AuditMonthCount.legal_basis, AuditMonthCount.result,
                                            AuditMonthCount.audits))
        return {(str(m), r, b, res): n for m, r, b, res, n in rows if n}

    kept = counts()
    region_a = db.session.scalar(sa.select(Region.id).where(Region.kato == "190000000"))
    assert sum(n for (_m, r, _b, _res), n in kept.items() if r == region_a) == 4
    assert sum(kept.values()) == 5
    monitoring = [(key, n) for key, n in kept.items() if key[2] == "monitoring"]
    assert monitoring == [((str((dataset.today - timedelta(days=10)).replace(day=1)), region_a, "monitoring",
                            "pass"), 1)]
    tally.rebuild(db.session)
    assert counts() == kept


def test_violation_counts_kept_by_the_writes_equal_a_recount(users, dataset: Dataset):
    """Region A's counted violations: a1's critical (open) and minor (resolved), a3's major (open), the old
    audit's critical (open); a2 and its correction failed nothing; region B's b1 one critical. The counts the
    submits and the resolution kept equal a recount, and a correction's superseded items leave them."""
    def counts(kind: str) -> dict[tuple, tuple[int, int, int]]:
        table = ViolationMonthCount
        rows = db.session.execute(sa.select(table.month, table.region_id, table.district_id, table.key,
                                            table.section, table.severity, table.due_month, table.violations,
                                            table.open, table.resolved).where(table.kind == kind))
        return {tuple(str(v) for v in row[:7]): tuple(row[7:]) for row in rows if any(row[7:])}

    kept = {kind: counts(kind) for kind in TallyKind}
    region_a = db.session.scalar(sa.select(Region.id).where(Region.kato == "190000000"))
    cells = sorted((key[5], value) for key, value in kept[TallyKind.CELL].items() if key[1] == str(region_a))
    assert cells == [("critical", (1, 1, 0)), ("critical", (1, 1, 0)), ("major", (1, 1, 0)), ("minor", (1, 0, 1))]
    assert sum(v[0] for v in kept[TallyKind.TYPE].values()) == 5
    assert {k[3]: v for k, v in kept[TallyKind.TYPE].items() if k[1] == str(region_a) and k[3] == "kindergarten"} \
        == {"kindergarten": (1, 1, 0)}
    tally.rebuild(db.session)
    assert {kind: counts(kind) for kind in TallyKind} == kept
    # A correction of a1 (its answers as they were): a1's open critical is superseded by the correction's own, the
    # resolved minor stays beside the correction's new open one.
    a1 = db.session.scalar(sa.select(Audit).where(Audit.facility_id == dataset.f1.id,
                                                  Audit.inspection_date == dataset.today - timedelta(days=100)))
    correction, _created = audits.create_correction(db.session, users["supervisor"], a1,
                                                    {"client_uuid": new_uuid(), "reason": "опечатка"})
    audits.submit(db.session, users["supervisor"], correction, {"client_uuid": new_uuid(), **act_fields()})
    after = counts(TallyKind.ITEM)
    item = {k[3]: v for k, v in after.items() if k[1] == str(region_a) and k[0] == str(a1.inspection_date
                                                                                        .replace(day=1))}
    assert item == {"safety.video_police": (1, 1, 0), "safety.visitor_log": (2, 1, 1)}
    tally.rebuild(db.session)
    assert counts(TallyKind.ITEM) == after


def test_trend_has_24_months_with_the_year_before(users, dataset: Dataset):
    """The trend ends with the period's month and reaches back 24 months; the old audit (today-400) shows as the
    year before of its month a year later."""
    data_months = compliance_index(db.session, users["supervisor"], dataset.period, WEIGHTS).data.monthly
    assert len(data_months) >= 24 and data_months[-1].month == f"{dataset.today:%Y-%m}"
    old = dataset.today - timedelta(days=400)
    later = f"{old.year + 1:04d}-{old.month:02d}"
    month = next(m for m in data_months if m.month == later)
    assert sum(month.year_before.values()) == 1


def test_one_workbook_has_every_table_with_numbers_and_dates(client, login, dataset: Dataset):
    """The dashboard's workbook: a sheet per table, header frozen, counts as numbers, period dates as dates."""
    login("supervisor")
    response = client.get("/dashboard/export-all.xlsx", query_string=dataset.query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["regions", "violations", "items", "months", "index", "index_trend",
                               "prescriptions", "inspectors"]
    regions = book["regions"]
    assert regions.freeze_panes == "A2" and regions.column_dimensions["A"].width > 0
    header = [c.value for c in regions[1]]
    first = dict(zip(header, [c.value for c in regions[2]], strict=True))
    assert isinstance(first["Объектов"], int) and isinstance(first["Дата начала"] if "Дата начала" in first
                                                              else regions.cell(2, len(header)).value, datetime)
    index = book["index"]
    values = {row[1]: row[4] for row in index.iter_rows(min_row=2, values_only=True)}
    assert values["191000000"] == 72.0 and values["192000000"] == 100.0


def test_index_exports_ranking_and_trend(client, login, dataset: Dataset):
    """The index's XLSX holds the ranking and its 12-month trend; its CSV the ranking."""
    login("supervisor")
    book = load_workbook(io.BytesIO(client.get("/dashboard/index/export.xlsx", query_string=dataset.query).data))
    assert book.sheetnames == ["index", "index_trend"] and book["index_trend"].max_row == 13
    csv = client.get("/dashboard/index/export.csv", query_string=dataset.query).get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0].startswith("rank,kato,name_ru") and "191000000" in csv


@pytest.mark.parametrize("path", ["/dashboard/map", "/dashboard/map.json", "/dashboard/index",
                                  "/dashboard/index/export.csv", "/dashboard/export-all.xlsx"])
@pytest.mark.parametrize(("role", "region", "status"), [
    ("inspector", None, 403), ("supervisor", None, 200), ("supervisor", "750000000", 403),
    ("ministry", "750000000", 200), ("ministry", None, 200)])
def test_every_new_page_is_scoped(client, login, dataset: Dataset, path, role, region, status):
    """Inspectors are refused; a supervisor asking for another region is refused; the ministry may pick any."""
    login(role)
    if path == "/dashboard/map" and region and role == "supervisor":
        status = 200  # the page itself names no region's data; its data request is refused
    assert client.get(path, query_string={"region": region} if region else {}).status_code == status


def test_map_page_is_served_with_its_clustering_library(client, login, dataset: Dataset):
    """The map page loads Leaflet and leaflet.markercluster from the app, and the data for the region."""
    login("supervisor")
    html = client.get("/dashboard/map").get_data(as_text=True)
    assert "/vendor/leaflet.markercluster/leaflet.markercluster.js" in html and 'id="results-map"' in html
    response = client.get("/vendor/leaflet.markercluster/leaflet.markercluster.js")
    response.close()
    assert response.status_code == 200




def test_cli_writes_every_table_and_recounts(runner, tmp_path, dataset: Dataset):
    """`flask stats export-all` writes the workbook of region A (district 1's index 72); `flask stats rebuild`
    recounts the monthly counts (5 audits in all)."""
    target = tmp_path / "all.xlsx"
    result = runner.invoke(args=["stats", "export-all", "-o", str(target), "--region", "190000000",
                                 "--from", dataset.query["date_from"], "--to", dataset.query["date_to"]])
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert {row[1]: row[4] for row in book["index"].iter_rows(min_row=2, values_only=True)}["191000000"] == 72.0
    rebuilt = runner.invoke(args=["stats", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert db.session.scalar(sa.select(sa.func.sum(AuditMonthCount.audits))) == 5


def test_moving_a_facility_moves_its_counted_inspections(users, dataset: Dataset):
    """f1 (2 inspections in the period) moved from district 1 to district 2: district 2 then counts 3, district 1
    none, as the audits themselves say."""
    from inspect_app.services import statistics
    from inspect_app.services.registry.facilities import update_facility

    update_facility(db.session, users["admin"], dataset.f1, {"district_kato": "192000000"})
    rows = {a.kato: a.inspections for a in statistics.summary(db.session, users["supervisor"], dataset.period).areas}
    assert rows["192000000"] == 3 and rows["191000000"] == 0


def test_violations_by_facility_type_and_agency(client, login, users, dataset: Dataset):
    """All three of region A's period violations are f1's (a school): 3 in all, 2 open, 1 resolved, 1 overdue,
    under its type and its agency; the page shows them in tables, and the monthly chart as a table too."""
    from inspect_app.services import statistics

    data = statistics.summary(db.session, users["supervisor"], dataset.period)
    counts = {k: (c.total, c.open, c.resolved, c.overdue) for k, c in data.violations_by_type.items()}
    assert counts == {"school": (3, 2, 1, 1)}
    assert {k: c.total for k, c in data.violations_by_agency.items()} == {dataset.f1.agency: 3}
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    assert 'id="violations-by-type"' in html and 'id="monthly-table"' in html


def test_api_workbook_and_index(client, auth_headers, dataset: Dataset):
    """The API gives the same workbook and index; an inspector's token is refused, a supervisor's for region B
    too."""
    headers = auth_headers("supervisor")
    response = client.get("/api/v1/statistics/workbook", query_string=dataset.query, headers=headers)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert {row[1]: row[4] for row in book["index"].iter_rows(min_row=2, values_only=True)}["191000000"] == 72.0
    index = client.get("/api/v1/statistics/index", query_string={**dataset.query, "format": "xlsx"}, headers=headers)
    assert load_workbook(io.BytesIO(index.data)).sheetnames == ["index", "index_trend"]
    assert client.get("/api/v1/statistics/index", headers=auth_headers("inspector")).status_code == 403
    assert client.get("/api/v1/statistics/workbook", query_string={"region": "750000000"},
                      headers=headers).status_code == 403

"""The dashboard page, the statistics API, the CSV/XLSX downloads and `flask stats export`."""

import io
import re

from exports.tabular import read_table
from tests.inspect_app.dashboard.conftest import Dataset

FIGURE = re.compile(r'data-figure="(\w+)">([^<]*)<')


def page_figures(html: str) -> dict[str, str]:
    """The headline figures of the dashboard page by name."""
    return dict(FIGURE.findall(html))


def test_page_and_api_show_the_same_figures(client, login, auth_headers, dataset: Dataset):
    """The supervisor's page cards equal the API's JSON totals, and the page lists districts and facilities."""
    login("supervisor")
    response = client.get("/dashboard", query_string=dataset.query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    api = client.get("/api/v1/statistics/summary", query_string=dataset.query,
                     headers=auth_headers("supervisor")).get_json()
    total = api["total"]
    assert page_figures(html) == {
        "facilities": str(total["facilities"]), "inspections": str(total["inspections"]),
        "reviewed": f"рассмотрено руководителем: {total['reviewed']} из {total['inspections']}",
        "in_time_share": f"{total['in_time_share']:.1f}%", "violations_open": str(total["violations"]["open"]),
        "violations_overdue": str(total["violations"]["overdue"]),
        "critical_facilities_total": str(api["critical_facilities_total"]),
    }
    assert (total["facilities"], total["inspections"], total["violations"]["overdue"]) == (4, 3, 1)
    assert api["region"] == "190000000" and api["level"] == "district"
    assert [a["kato"] for a in api["areas"]] == ["191000000", "192000000", None]
    assert "Район 1" in html and "Без района" in html
    assert f'/facilities/{dataset.f1.id}"' in html and "/vendor/chart.js/chart.umd.js" in html


def test_vendor_chart_js_is_served(client):
    """The page's Chart.js file exists under node_modules."""
    response = client.get("/vendor/chart.js/chart.umd.js")
    response.close()
    assert response.status_code == 200


def test_page_in_kazakh_and_region_drilldown_for_the_ministry(client, login, dataset: Dataset):
    """The ministry sees every region linked to its district view; the page renders in Kazakh."""
    login("ministry")
    html = client.get("/dashboard", query_string={**dataset.query, "lang": "kk"}).get_data(as_text=True)
    assert page_figures(html)["inspections"] == "4"
    assert "region=190000000" in html and "region=750000000" in html
    picked = client.get("/dashboard", query_string={**dataset.query, "region": "190000000"})
    assert page_figures(picked.get_data(as_text=True))["inspections"] == "3"


def test_scoping_on_the_web_and_the_api(client, login, auth_headers, dataset: Dataset):
    """Supervisor B sees only region B and is refused region A; the inspector is refused everywhere."""
    b = client.get("/api/v1/statistics/summary", query_string=dataset.query,
                   headers=auth_headers("supervisor_b")).get_json()
    assert b["region"] == "750000000" and b["total"]["facilities"] == 1
    assert [f["facility_id"] for f in b["critical_facilities"]] == [dataset.g1.id]
    assert client.get("/api/v1/statistics/summary?region=190000000",
                      headers=auth_headers("supervisor_b")).status_code == 403
    for url in ("/api/v1/statistics/summary", "/api/v1/statistics/export?table=items&format=csv"):
        assert client.get(url, headers=auth_headers("inspector")).status_code == 403
    assert client.get("/api/v1/statistics/summary").status_code == 401
    login("inspector")
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/export/regions.csv").status_code == 403
    assert "/dashboard" not in client.get("/").get_data(as_text=True)


def test_bad_filters(client, login, auth_headers, dataset: Dataset):
    """Reversed or malformed periods are 422 on the API and shown as errors on the page."""
    h = auth_headers("ministry")
    assert client.get("/api/v1/statistics/summary?date_from=2025-02-01&date_to=2025-01-01",
                      headers=h).status_code == 422
    assert client.get("/api/v1/statistics/summary?region=12", headers=h).status_code == 422
    assert client.get("/api/v1/statistics/summary?region=999999999", headers=h).status_code == 422
    assert client.get("/api/v1/statistics/export?table=people", headers=h).status_code == 422
    login("ministry")
    assert client.get("/dashboard?date_from=soon").status_code == 422
    assert client.get("/dashboard/export/people.csv").status_code == 404


def test_csv_download_from_the_dashboard(client, login, dataset: Dataset):
    """The regions table as CSV holds a row per district with the page's figures."""
    login("supervisor")
    response = client.get("/dashboard/export/regions.csv", query_string=dataset.query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "statistics-regions" in response.headers["Content-Disposition"]
    columns, rows = read_table(io.BytesIO(response.data), "regions.csv")
    rows = {row["kato"]: row for row in rows}
    assert "in_time_share" in columns and set(rows) == {"191000000", "192000000", ""}
    assert (rows["191000000"]["inspections"], rows["191000000"]["violations_overdue"]) == ("2", "1")
    assert rows[""]["never_inspected"] == "1"


def test_xlsx_exports_from_the_api(client, auth_headers, dataset: Dataset):
    """Items and violations as XLSX for the ministry open and hold the rows."""
    h = auth_headers("ministry")
    response = client.get("/api/v1/statistics/export", headers=h,
                          query_string={**dataset.query, "table": "items", "format": "xlsx"})
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    _columns, rows = read_table(io.BytesIO(response.data), "items.xlsx")
    items = {row["item_code"]: row["failures"] for row in rows}
    assert items == {"safety.video_police": 2, "safety.turnstiles": 1, "safety.visitor_log": 1}
    response = client.get("/api/v1/statistics/export", headers=h,
                          query_string={**dataset.query, "table": "violations", "format": "xlsx"})
    _columns, rows = read_table(io.BytesIO(response.data), "violations.xlsx")
    cells = {(r["kato"], r["severity"]): (r["total"], r["open"], r["overdue"]) for r in rows}
    assert cells == {("190000000", "critical"): (1, 1, 1), ("190000000", "major"): (1, 1, 0),
                     ("190000000", "minor"): (1, 0, 0), ("750000000", "critical"): (1, 1, 0)}


def test_cli_writes_a_file(runner, tmp_path, dataset: Dataset):
    """`flask stats export` writes the regions table of one region for a period."""
    target = tmp_path / "regions.xlsx"
    result = runner.invoke(args=["stats", "export", "--table", "regions", "--format", "xlsx", "-o", str(target),
                                 "--region", "190000000", "--from", dataset.query["date_from"],
                                 "--to", dataset.query["date_to"]])
    assert result.exit_code == 0, result.output
    with target.open("rb") as fp:
        _columns, rows = read_table(fp, target.name)
        assert sorted(r["inspections"] for r in rows) == [0, 1, 2]
    bad = runner.invoke(args=["stats", "export", "-o", str(tmp_path / "x.csv"), "--from", "2025-13-01"])
    assert bad.exit_code == 2 and not (tmp_path / "x.csv").exists()
    unknown = runner.invoke(args=["stats", "export", "-o", str(tmp_path / "y.csv"), "--region", "999999999"])
    assert unknown.exit_code == 1 and not (tmp_path / "y.csv").exists()


def test_the_dashboard_xlsx_heads_its_columns_in_the_ui_language(client, login, dataset: Dataset):
    """Does a person's XLSX from the dashboard name its columns in Kazakh (in the kk UI), with the per-code columns
    as "word: value", while the API's XLSX keeps the keys for programs?"""
    from openpyxl import load_workbook

    login("supervisor")
    with client.get("/dashboard/export/regions.xlsx", query_string={**dataset.query, "lang": "kk"}) as response:
        data = response.data
    header = [cell.value for cell in load_workbook(io.BytesIO(data)).active[1]]
    assert "kato" not in header and "risk_high" not in header
    assert "ӘАОЖ (КАТО) коды" in header and "Тәуекел: Жоғары" in header
    assert all(isinstance(h, str) and h and "_" not in h for h in header), header

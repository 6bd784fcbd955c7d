"""Every figure of the dashboard page is readable through the JSON API (conftest.py's hand-made dataset), for the
scope the caller may read: a supervisor their region, the ministry any, an inspector none."""

from datetime import timedelta

import pytest

from tests.inspect_app.dashboard.conftest import Dataset

SUMMARIES = ["/api/v1/statistics/summary", "/api/v1/statistics/prescriptions/summary",
             "/api/v1/statistics/inspectors/summary", "/api/v1/statistics/index/summary"]


def test_summary_has_overdue_by_how_long_types_agencies_and_the_year_before(client, auth_headers, dataset: Dataset):
    """Ending 50 days ago, f2 (medium risk, 180 days) was last inspected 350 days before the end: 170 days
    overdue, in '91_180'; f3 never inspected. Over the whole period the 3 violations are f1's (a school): 3 in
    all, 2 open, 1 resolved, 1 overdue, under its type and agency; the old audit (today-400) is the year before
    of its month a year later."""
    headers = auth_headers("supervisor")
    past = client.get("/api/v1/statistics/summary", headers=headers, query_string={
        "date_from": dataset.date_from.isoformat(),
        "date_to": (dataset.today - timedelta(days=50)).isoformat()}).get_json()
    assert past["total"]["overdue_by"] == {"1_30": 0, "31_90": 0, "91_180": 1, "over_180": 0}
    assert past["total"]["never_inspected"] == 1
    data = client.get("/api/v1/statistics/summary", headers=headers, query_string=dataset.query).get_json()
    assert data["violations_by_type"] == {"school": {"total": 3, "open": 2, "resolved": 1, "overdue": 1}}
    assert data["violations_by_agency"] == {dataset.f1.agency: {"total": 3, "open": 2, "resolved": 1, "overdue": 1}}
    old = dataset.today - timedelta(days=400)
    later = next(m for m in data["monthly"] if m["month"] == f"{old.year + 1:04d}-{old.month:02d}")
    assert sum(later["year_before"].values()) == 1
    assert data["monthly"][-1]["total"] == sum(data["monthly"][-1]["by_result"].values())


def test_prescription_figures_as_json(client, auth_headers, dataset: Dataset):
    """District 1: a1's two items verified 100 days after delivery by the follow-up a3, a3's own item open with
    its deadline ahead; district 2 none. Of the period's inspections none is reviewed yet."""
    data = client.get("/api/v1/statistics/prescriptions/summary", headers=auth_headers("supervisor"),
                      query_string=dataset.query).get_json()
    assert data["level"] == "district" and data["region"] == "190000000"
    assert data["date_from"] == dataset.date_from.isoformat()
    one = next(row for row in data["rows"] if row["kato"] == "191000000")
    assert {k: one[k] for k in ("items", "open", "overdue", "verified", "not_fixed", "median_days")} == {
        "items": 3, "open": 1, "overdue": 0, "verified": 2, "not_fixed": 0, "median_days": 100.0}
    assert data["total"]["items"] == 3
    assert data["reviewed_by_result"] == {"fail": {"reviewed": 0, "total": 1},
                                          "pass_with_violations": {"reviewed": 0, "total": 1},
                                          "pass": {"reviewed": 0, "total": 1}}
    assert data["reviewed_by_section"] == {"safety": {"reviewed": 0, "total": 3}}


def test_inspector_figures_as_json(client, auth_headers, dataset: Dataset):
    """No route was planned, so nothing is planned or done; by region for the country, by inspector for one."""
    country = client.get("/api/v1/statistics/inspectors/summary", headers=auth_headers("ministry"),
                         query_string=dataset.query).get_json()
    assert country["by"] == "region" and country["region"] is None
    assert (country["total"]["planned"], country["total"]["done"], country["total"]["returned"]) == (0, 0, 0)
    assert {row["kato"] for row in country["rows"]} >= {"190000000", "750000000"}
    region = client.get("/api/v1/statistics/inspectors/summary", headers=auth_headers("supervisor"),
                        query_string=dataset.query).get_json()
    assert region["by"] == "inspector" and region["region"] == "190000000"


def test_the_index_as_json(client, auth_headers, dataset: Dataset):
    """As worked out in test_map_index_exports.py: district 2 first at 100, district 1 72 (safety 20), region A
    64.6; 12 months of trend; the weights of the configuration."""
    data = client.get("/api/v1/statistics/index/summary", headers=auth_headers("supervisor"),
                      query_string=dataset.query).get_json()
    ranked = [(row["kato"], row["rank"], row["index"]) for row in data["rows"]]
    assert ranked == [("192000000", 1, 100.0), ("191000000", 2, 72.0), (None, None, None)]
    assert data["rows"][1]["compliance"] == {"safety": 20.0, "nutrition": 100.0, "health": 100.0}
    assert data["total"]["index"] == 64.6 and len(data["trend"]) == 12 and data["weights"]["in_time"] == 0.3


@pytest.mark.parametrize("url", SUMMARIES)
@pytest.mark.parametrize(("role", "region", "status"), [
    ("inspector", None, 403), ("supervisor", None, 200), ("supervisor", "750000000", 403),
    ("supervisor_b", "190000000", 403), ("ministry", "750000000", 200), ("ministry", None, 200)])
def test_every_figure_answer_is_scoped(client, auth_headers, dataset: Dataset, url, role, region, status):
    """Inspectors are refused; a supervisor asking for another region is refused; the ministry may pick any."""
    query = {**dataset.query, **({"region": region} if region else {})}
    response = client.get(url, headers=auth_headers(role), query_string=query)
    assert response.status_code == status
    if status == 200 and role == "supervisor":
        assert response.get_json()["region"] == "190000000"


def test_the_figure_answers_are_documented(client):
    """The OpenAPI document names each figure answer and its fields (no untyped ones: test_contract checks)."""
    spec = client.get("/api/openapi.json").get_json()
    for url in SUMMARIES:
        assert "200" in spec["paths"][url]["get"]["responses"]
    schemas = spec["components"]["schemas"]
    assert {"overdue_by", "in_time_share"} <= set(schemas["AreaStats"]["properties"])
    assert {"violations_by_type", "violations_by_agency"} <= set(schemas["StatisticsSummary"]["properties"])
    assert "year_before" in schemas["MonthStats"]["properties"]
    assert {"rows", "total", "trend", "weights"} <= set(schemas["ComplianceIndex"]["properties"])

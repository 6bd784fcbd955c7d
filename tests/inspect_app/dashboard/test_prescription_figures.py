"""Prescription figures and the "reviewed N of M" of the audit-based figures, on the hand-made dataset
(conftest.py): a1 (today-100) has two items, both verified today by the follow-up a3; a3 (today-20) one item,
here made "not fixed" with a deadline three days ago (overdue); b1 in region B one open item (deadline ahead)."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from inspect_app.extensions import db
from inspect_app.models import Audit, PrescriptionEvent, PrescriptionItem, ReviewDecision
from inspect_app.models.prescription import EventKind, ItemState
from inspect_app.services.errors import Forbidden
from inspect_app.services.statistics.remedies import remedy_figures
from tests.inspect_app.dashboard.conftest import Dataset


@pytest.fixture
def remedies(users, dataset: Dataset):
    today = dataset.today
    a3 = db.session.scalar(sa.select(Audit).where(Audit.facility_id == dataset.f1.id,
                                                  Audit.inspection_date == today - timedelta(days=20)))
    item = db.session.scalar(sa.select(PrescriptionItem).join(PrescriptionItem.violation)
                             .where(PrescriptionItem.facility_id == dataset.f1.id,
                                    PrescriptionItem.severity == "major"))
    db.session.add(PrescriptionEvent(item_id=item.id, kind=EventKind.FAILED_FOLLOWUP, state=ItemState.NOT_FIXED,
                                     due_date=today - timedelta(days=3), escalation=1, actor_name="Тест"))
    db.session.add(ReviewDecision(audit_id=a3.id, reviewer_id=users["supervisor_b"].id, reviewer_name="Р",
                                  outcome="accepted", comment=""))
    db.session.commit()
    return a3


def test_a_regions_prescription_items_by_district_by_hand(users, dataset: Dataset, remedies):
    """District 1: 3 items (verified 2, 100 days each from delivery to today; not fixed and overdue 1);
    district 2: a2's correction passed everything, no item."""
    figures = remedy_figures(db.session, users["supervisor"], dataset.period)
    rows = {row.kato: row for row in figures.rows}
    one = rows["191000000"]
    assert (one.items, one.open, one.overdue, one.verified, one.not_fixed, one.median_days) == (3, 0, 1, 2, 1, 100.0)
    assert rows["192000000"].items == 0 and rows["192000000"].median_days is None
    assert (figures.total.items, figures.total.overdue, figures.total.median_days) == (3, 1, 100.0)


def test_reviewed_n_of_m_beside_results_and_sections(users, dataset: Dataset, remedies):
    """a3 (its major item failed: passed with violations) is the one reviewed audit: 1 of 1 of its result, 0 of
    the failed a1 and of the passed correction; of the 3 safety violations 1 (a3's) is of a reviewed audit."""
    figures = remedy_figures(db.session, users["supervisor"], dataset.period)
    assert figures.reviewed_by_result == {"fail": (0, 1), "pass_with_violations": (1, 1), "pass": (0, 1)}
    assert figures.reviewed_by_section == {"safety": (1, 3)}


def test_the_country_and_the_scoping(users, dataset: Dataset, remedies, region_a, region_b):
    """Ministry by region: A as above, B one open item; inspectors and another region's supervisor refused."""
    figures = remedy_figures(db.session, users["ministry"], dataset.period)
    rows = {row.area_id: row for row in figures.rows}
    assert (rows[region_b.id].items, rows[region_b.id].open, rows[region_b.id].overdue) == (1, 1, 0)
    assert (figures.total.items, figures.total.open, figures.total.median_days) == (4, 1, 100.0)
    with pytest.raises(Forbidden):
        remedy_figures(db.session, users["inspector"], dataset.period)
    with pytest.raises(Forbidden):
        remedy_figures(db.session, users["supervisor_b"], {**dataset.period, "region": region_a.kato})


def test_dashboard_shows_items_with_links_to_the_list_and_exports(client, login, dataset: Dataset, remedies):
    """The supervisor's dashboard: district 1's overdue count opens the list of its overdue items (which holds
    exactly that one item), "reviewed 1 of 1" beside the result; the XLSX has numbers as numbers."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    assert 'id="prescriptions-table"' in html and "рассмотрено 1 из 1" in html
    link = (f"/prescriptions/?state=overdue&amp;date_from={dataset.date_from.isoformat()}"
            f"&amp;date_to={dataset.date_to.isoformat()}&amp;district={dataset.district_1.id}")
    assert link in html
    listing = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert listing.count("Школа 1") >= 1 and "Школа Б" not in listing
    book = load_workbook(io.BytesIO(client.get("/dashboard/prescriptions.xlsx", query_string=dataset.query).data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][4] == "Пунктов" and rows[1][4] == 3 and rows[-1][-3] == 100.0


def test_prescription_routes_are_scoped(client, auth_headers, dataset: Dataset, remedies, region_a):
    url = "/api/v1/statistics/prescriptions"
    assert client.get(url, headers=auth_headers("inspector")).status_code == 403
    assert client.get(url, query_string={"region": region_a.kato},
                      headers=auth_headers("supervisor_b")).status_code == 403
    lines = client.get(url, query_string=dataset.query, headers=auth_headers("ministry")).get_data(
        as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("level,kato,name_ru") and len(lines) == 1 + 2 + 1


def test_the_main_figures_open_their_rows(client, login, dataset: Dataset):
    """District 1's facility count opens the facility list of that district (f1 only, the archived one not
    listed); the failed-result count opens the period's failed audits of region A (a1 only)."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    facilities = f"/facilities/?region=190000000&amp;district={dataset.district_1.kato}"
    assert facilities in html
    listing = client.get(facilities.replace("&amp;", "&")).get_data(as_text=True)
    assert "Школа 1" in listing and "Сад 2" not in listing and "Архив 4" not in listing
    failed = (f"/audits/?result=fail&amp;status=submitted&amp;current=1&amp;date_from={dataset.date_from.isoformat()}"
              f"&amp;date_to={dataset.date_to.isoformat()}&amp;region=190000000")
    assert failed in html
    audits = client.get(failed.replace("&amp;", "&")).get_data(as_text=True)
    assert "Школа 1" in audits and "Сад 2" not in audits and "Школа Б" not in audits

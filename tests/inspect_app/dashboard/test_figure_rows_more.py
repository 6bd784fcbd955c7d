"""The violation and inspector figures open their rows: each count links to the audit list narrowed to the audits
behind it (same period, scope and `current=1`), and the list counts what the figure counts (conftest.py's
hand-made dataset, plus two namesake inspectors with a route of their own)."""

import re
from datetime import timedelta

import pytest

from inspect_app.extensions import db
from inspect_app.models import ReviewDecision, Schedule, ScheduleVisit
from inspect_app.services import audits, checklists
from inspect_app.services.audits import drafts
from tests.answers import act_fields
from tests.factories import InspectorFactory, UserFactory
from tests.inspect_app.dashboard.conftest import Dataset
from tests.inspect_app.dashboard.test_figure_rows import FOUND, hrefs
from tests.inspect_app.services.audits.conftest import answers_for, new_uuid

NAME = "Петрова Людмила Викторовна"
VIOLATIONS = re.compile(r'data-figure="violations">[^<]*?(\d+)<')


def listed(client, url: str) -> tuple[int, int | None]:
    """(audits found, violations in them) of an audit list page; None when the page counts no violations."""
    page = client.get(url).get_data(as_text=True)
    violations = VIOLATIONS.search(page)
    return int(FOUND.search(page).group(1)), int(violations.group(1)) if violations else None


def linked_cells(html: str, table_id: str | None = None) -> list[tuple[str, int]]:
    """(href, number shown) of every audit-list link of the page (or of one table)."""
    if table_id:
        html = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return [(h.replace("&amp;", "&"), int(n)) for h, n in re.findall(r'<a href="(/audits/\?[^"]+)">(\d+)</a>', html)]


def test_every_violation_figure_opens_audits_holding_its_violations(client, login, dataset: Dataset):
    """Region A's period has 3 violations, all of f1 (a school): a1's critical and minor one, a3's major one. The
    counts by severity, section, facility type, agency and item each link to the audit list, which lists the
    audits holding such a violation and counts the violations in them: the same number as the figure. The
    section figure (3) opens 2 audits (a1 holds two), the critical one a1 alone, never region B's b1."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    links = [(h, n) for h, n in linked_cells(html) if re.search(r"[?&](section|item_code|severity|facility_type|"
                                                                   r"agency)=", h)]
    kinds = {re.search(r"[?&](section|item_code|severity|facility_type|agency)=", h).group(1) for h, _n in links}
    assert kinds == {"section", "item_code", "severity", "facility_type", "agency"}
    for href, figure in links:
        assert "current=1" in href and "region=190000000" in href and f"date_from={dataset.date_from}" in href
        found, violations = listed(client, href)
        assert violations == figure, href
        if "item_code=" in href:
            assert found == figure, href  # an audit holds an item's violation once
    section = next(h for h, n in links if "section=safety" in h and n == 3)
    assert listed(client, section) == (2, 3)
    named = client.get(section).get_data(as_text=True)
    assert 'name="section" value="safety"' in named and "раздел «safety»" not in named  # its title, not its code
    item = client.get(next(h for h, _n in links if "item_code=safety.visitor_log" in h)).get_data(as_text=True)
    assert "(safety.visitor_log)" in item and "требование «safety.visitor_log»" not in item
    critical = next(h for h, _n in links if "severity=critical" in h)
    assert listed(client, critical) == (1, 1)
    assert "Школа Б" not in client.get(critical).get_data(as_text=True)
    assert listed(client, critical.replace("&current=1", "").replace("region=190000000", "region=")) == (1, 1)


def test_the_violation_filters_in_the_api(client, auth_headers, dataset: Dataset):
    """The audit API takes the same filters (in its OpenAPI spec), an unknown one is still refused with 422, a
    bad severity is named; region B's supervisor gets none of region A's audits through them."""
    query = {**dataset.query, "status": "submitted", "current": "true", "section": "safety"}
    body = client.get("/api/v1/audits/", query_string=query, headers=auth_headers("supervisor")).get_json()
    assert sorted(a["inspection_date"] for a in body) == sorted(
        (dataset.today - timedelta(days=d)).isoformat() for d in (100, 20))
    one = client.get("/api/v1/audits/", query_string={**query, "item_code": "safety.visitor_log"},
                     headers=auth_headers("supervisor")).get_json()
    assert [a["inspection_date"] for a in one] == [(dataset.today - timedelta(days=100)).isoformat()]
    other = client.get("/api/v1/audits/", query_string={**query, "region": "190000000"},
                       headers=auth_headers("supervisor_b")).get_json()
    assert other == []
    assert client.get("/api/v1/audits/", query_string={"sektion": "safety"},
                      headers=auth_headers("supervisor")).status_code == 422
    bad = client.get("/api/v1/audits/", query_string={"severity": "huge"}, headers=auth_headers("supervisor"))
    assert bad.status_code == 422 and "severity" in bad.get_data(as_text=True)
    spec = client.get("/api/openapi.json").get_json()
    names = {p["name"] for p in spec["paths"]["/api/v1/audits/"]["get"]["parameters"]}
    assert {"section", "item_code", "severity", "facility_type", "agency", "inspector_id", "visit_done",
            "returned"} <= names


def _writer(region, username: str, town: str):
    """A supervisor who also inspects (an inspector record of the namesake's name, living in `town`)."""
    user = UserFactory(username=username, role="supervisor", region=region)
    InspectorFactory(full_name=NAME, home_address=f"{town}, ул. Абая, 3", regions=[region], user=user)
    return user


def _audit(user, facility, day, visit=None, failing=()):
    data = {"client_uuid": new_uuid(), "facility_id": facility.id, "legal_basis": "planned", "inspection_date": day}
    if visit is not None:
        data["schedule_visit_id"] = visit.id
    audit, _created = drafts.create_draft(db.session, user, data)
    answers = answers_for(checklists.parsed(audit.template), facility.type, failing)
    return audits.submit(db.session, user, audit, {"client_uuid": new_uuid(), "answers": answers, **act_fields()})


@pytest.fixture
def namesakes(users, dataset: Dataset, region_a):
    """Two inspectors named Петрова Людмила Викторовна in region A, of Талгар and of Есик. Талгар's: visits at
    f1 (today-40) and f3 (today-15) done with their audits, one not done (closed, today-12), one tomorrow's
    (secret, never counted or listed), and an audit of no visit (f2, today-8): done 2, submitted 3. Есик's: a
    visit of f2 done (today-30), its audit returned in review, and an audit of no visit (f3, today-3): returned
    1, submitted 2."""
    today = dataset.today
    talgar, esik = _writer(region_a, "petrova_t", "Талгар"), _writer(region_a, "petrova_e", "Есик")
    schedule = Schedule(region_id=region_a.id, start_date=today - timedelta(days=60),
                        end_date=today + timedelta(days=30), seed=1, time_limit=1, status="published",
                        problem={"dates": [], "facilities": [], "inspectors": []},
                        problem_sha256="0" * 64, schedule={"routes": [], "unscheduled": []}, stats={})
    visits = {}
    for key, who, facility, days, status in (("t1", talgar, dataset.f1, -40, "planned"),
                                             ("t2", talgar, dataset.f3, -15, "planned"),
                                             ("t3", talgar, dataset.f1, -12, "not_done"),
                                             ("t4", talgar, dataset.f2, 1, "planned"),
                                             ("e1", esik, dataset.f2, -30, "planned")):
        visits[key] = ScheduleVisit(inspector=who.inspector, facility=facility, date=today + timedelta(days=days),
                                    start="09:00", end="10:00", order=0, status=status,
                                    not_done_reason="closed" if status == "not_done" else None)
        schedule.visits.append(visits[key])
    db.session.add(schedule)
    db.session.flush()
    _audit(talgar, dataset.f1, today - timedelta(days=40), visits["t1"])
    _audit(talgar, dataset.f3, today - timedelta(days=15), visits["t2"])
    _audit(talgar, dataset.f2, today - timedelta(days=8))
    returned = _audit(esik, dataset.f2, today - timedelta(days=30), visits["e1"])
    _audit(esik, dataset.f3, today - timedelta(days=3))
    db.session.add(ReviewDecision(audit_id=returned.id, reviewer_id=users["supervisor"].id,
                                  reviewer_name="Руководитель", outcome="returned", comment="см."))
    db.session.commit()
    return {"talgar": talgar.inspector, "esik": esik.inspector}


def _row(html: str, name: str) -> str:
    table = html.split('id="inspectors-table"', 1)[1].split("</table>", 1)[0]
    return next(row for row in table.split("<tr")[1:] if name in row)


def test_inspector_figures_open_that_inspectors_audits(client, login, dataset: Dataset, namesakes):
    """Талгар's row: done 2 opens the 2 audits of its done visits, the median the 3 audits it is taken over;
    Есик's: returned 1 opens the returned audit. The lists name the inspector told apart from the namesake, and
    never list tomorrow's visit (it has no audit) nor the other Петрова's audits."""
    login("supervisor")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    talgar, esik = _row(html, f"{NAME} (Талгар)"), _row(html, f"{NAME} (Есик)")
    done = next(h for h, _n in linked_cells(talgar) if "visit_done=1" in h)
    assert f"inspector_id={namesakes['talgar'].id}" in done and "current=1" in done
    assert re.search(r'<a href="[^"]*visit_done=1[^"]*">2</a>', talgar)
    page = client.get(done).get_data(as_text=True)
    assert FOUND.search(page).group(1) == "2" and f"{NAME} (Талгар)" in page
    median = next(h for h in hrefs(talgar, "/audits/") if "visit_done" not in h and "returned" not in h)
    assert listed(client, median)[0] == 3
    returned = next(h for h, n in linked_cells(esik) if "returned=1" in h and n == 1)
    assert listed(client, returned)[0] == 1
    assert f"inspector_id={namesakes['esik'].id}" in returned
    total = _row(html, "Итого")
    for href, figure in linked_cells(total):
        assert listed(client, href)[0] == figure, href


def test_the_country_rows_open_a_regions_audits(client, login, dataset: Dataset, namesakes):
    """The ministry's country table has a row per region: region A's done 3 (Талгар's 2, Есик's 1) and its
    returned 1 open region A's audits, as many as the figures."""
    login("ministry")
    html = client.get("/dashboard", query_string=dataset.query).get_data(as_text=True)
    cells = linked_cells(html, "inspectors-table")
    region_a = [(h, n) for h, n in cells if "region=190000000" in h]
    assert {n for h, n in region_a if "visit_done=1" in h} == {3}
    for href, figure in cells:
        assert listed(client, href)[0] == figure, href


def test_the_review_queue_tells_namesakes_apart(client, login, dataset: Dataset, namesakes):
    """The review queue's inspector filter lists the two Петрова by their towns, not twice the same name."""
    login("supervisor")
    page = client.get("/review/").get_data(as_text=True)
    assert f"{NAME} (Талгар)" in page and f"{NAME} (Есик)" in page


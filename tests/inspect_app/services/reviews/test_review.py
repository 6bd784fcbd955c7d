"""Does the supervisor's review work as a supervisor and an inspector would notice: the queue (scope, order,
filters, counts), accepting, returning with a comment naming items, the correction coming back, and the history?"""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Audit, ReviewDecision
from inspect_app.services import statistics
from tests.inspect_app.services.reviews.conftest import plain_items, submitted_in_own_template


@pytest.fixture
def two_audits(audit_api, facility, kindergarten, national):
    """The inspector's two submitted audits of region A: a school with a critical failure (checked in far from
    it), submitted first, then a passing kindergarten."""
    critical = plain_items(national, "school", "critical")[0]
    first = audit_api.submitted("inspector", facility, national, failing=[critical], gps_lat=43.40, gps_lon=77.10)
    second = audit_api.submitted("inspector", kindergarten, national)
    return first, second


def test_the_queue_holds_the_region_s_submitted_audits_oldest_first(review_api, audit_api, facility_b, national,
                                                                     two_audits):
    """Does a supervisor see their region's submitted audits oldest first, another region's supervisor not,
    and an admin all of them (or one region's with the filter)?"""
    first, second = two_audits
    other = submitted_in_own_template(audit_api, "inspector_b", facility_b)
    assert review_api.ids("supervisor") == [first["id"], second["id"]]
    assert review_api.ids("supervisor_b") == [other["id"]]
    assert review_api.ids("admin") == [first["id"], second["id"], other["id"]]
    assert review_api.ids("admin", region=facility_b.region.kato) == [other["id"]]


def test_other_roles_have_no_queue(review_api, two_audits):
    """Are inspectors and ministry analysts refused the queue, its counts and the decision (403)?"""
    for role in ("inspector", "ministry"):
        assert review_api.queue(role).status_code == 403
        assert review_api.counts(role).status_code == 403
        assert review_api.decide(role, two_audits[0]["id"], "accepted").status_code == 403


def test_nobody_reviews_their_own_audit(review_api, audit_api, facility, national, client, login):
    """Is a supervisor's own audit kept out of their queue and refused on its page (403), while an admin may
    review it?"""
    own = audit_api.submitted("supervisor", facility, national)
    assert own["id"] not in review_api.ids("supervisor")
    assert review_api.decide("supervisor", own["id"], "accepted").status_code == 403
    login("supervisor")
    assert client.get(f"/review/{own['id']}").status_code == 403
    assert own["id"] in review_api.ids("admin")


def test_another_region_s_audit_is_as_if_unknown(review_api, two_audits):
    """Does region B's supervisor get 404 for region A's audit, on reading and deciding?"""
    first, _ = two_audits
    assert review_api.get("supervisor_b", first["id"]).status_code == 404
    assert review_api.decide("supervisor_b", first["id"], "accepted").status_code == 404


def test_filters_and_counts(review_api, two_audits, users):
    """Do the filters (result, critical, far check-in, inspector, dates, facility type) narrow the queue, and do
    the counts say how many wait in all and by each filter?"""
    first, second = two_audits
    today = dt.date.fromisoformat(first["inspection_date"])
    assert review_api.ids("supervisor", critical="true") == [first["id"]]
    assert review_api.ids("supervisor", critical="false") == [second["id"]]
    assert review_api.ids("supervisor", checkin_far="true") == [first["id"]]
    assert review_api.ids("supervisor", result="pass") == [second["id"]]
    assert review_api.ids("supervisor", facility_type="kindergarten") == [second["id"]]
    assert review_api.ids("supervisor", inspector_id=first["inspector_id"]) == [first["id"], second["id"]]
    assert review_api.ids("supervisor", date_from=(today + dt.timedelta(days=1)).isoformat()) == []
    assert review_api.ids("supervisor", date_from=today.isoformat(), date_to=today.isoformat()) == \
        [first["id"], second["id"]]
    counts = review_api.counts("supervisor", facility_type="school").get_json()
    assert counts["total"] == 2 and counts["matching"] == 1
    assert counts["critical"] == 1 and counts["checkin_far"] == 1
    assert counts["by_facility_type"] == {"school": 1, "kindergarten": 1}
    assert counts["by_result"]["pass"] == 1
    bad = review_api.queue("supervisor", date_from=today.isoformat(), date_to="2000-01-01")
    assert bad.status_code == 422 and "date_from" in bad.get_json()["errors"]["query"]


def test_accepting_takes_it_off_the_queue_and_keeps_the_record(review_api, two_audits, users):
    """Does an acceptance leave the queue, keep the audit's hashed record as it was, and refuse a second
    decision with 409 naming the one that stands?"""
    first, second = two_audits
    response = review_api.decide("supervisor", first["id"], "accepted")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["outcome"] == "accepted"
    assert review_api.ids("supervisor") == [second["id"]]
    audit = db.session.get(Audit, first["id"])
    assert audit.record_hash == first["record_hash"] and audit.status == "submitted"
    again = review_api.decide("admin", first["id"], "returned", comment="Перепроверить")
    assert again.status_code == 409
    body = again.get_json()
    assert body["decision"]["outcome"] == "accepted"
    assert body["decision"]["reviewer_name"] == (users["supervisor"].full_name or "supervisor")
    assert body["decision"]["reviewer_name"] in body["message"]


def test_a_return_needs_a_comment(review_api, two_audits, client, login):
    """Is a return without a comment refused with 422 naming `comment` (API and page), nothing stored?"""
    first, _ = two_audits
    response = review_api.decide("supervisor", first["id"], "returned", comment="  ")
    assert response.status_code == 422
    assert "comment" in response.get_json()["errors"]["json"]
    login("supervisor")
    page = client.post(f"/review/{first['id']}/decision", data={"outcome": "returned", "comment": ""})
    assert page.status_code == 422
    assert 'aria-invalid="true"' in page.get_data(as_text=True)
    unknown = review_api.decide("supervisor", first["id"], "returned", comment="Что это?", item_codes=["no.such"])
    assert unknown.status_code == 422 and "item_codes" in unknown.get_json()["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewDecision)) == 0


def test_a_draft_is_not_reviewed(review_api, audit_api, facility):
    """Is a decision on a draft refused (409)?"""
    draft = audit_api.create("inspector", facility).get_json()
    assert review_api.decide("supervisor", draft["id"], "accepted").status_code == 409


def test_return_correction_and_the_queue_again(review_api, audit_api, two_audits, national, client, login):
    """Does a returned audit reach its inspector with the comment and items, does the correction they file
    enter the queue again (the returned version not), and does the audit's page show the decisions?"""
    first, _ = two_audits
    item = plain_items(national, "school")[1]
    response = review_api.decide("supervisor", first["id"], "returned", comment="Уточните ответ по выходам",
                                 item_codes=[item])
    assert response.status_code == 201
    assert first["id"] not in review_api.ids("supervisor")
    login("inspector")
    page = client.get("/audits/").get_data(as_text=True)
    assert "Уточните ответ по выходам" in page and item in page
    started = client.post(f"/review/{first['id']}/correct", data={"reason": "Уточните ответ по выходам"})
    assert started.status_code == 302
    correction_id = int(re.search(r"/audits/(\d+)/fill", started.headers["Location"]).group(1))
    assert db.session.get(Audit, correction_id).supersedes_id == first["id"]
    submitted = audit_api.submit("inspector", correction_id)
    assert submitted.status_code == 200, submitted.get_json()
    assert correction_id in review_api.ids("supervisor")
    assert first["id"] not in review_api.ids("supervisor")
    assert "Уточните ответ по выходам" not in client.get("/audits/").get_data(as_text=True)
    history = client.get(f"/audits/{correction_id}").get_data(as_text=True)
    assert "Возвращена на доработку" in history and "Уточните ответ по выходам" in history
    record = review_api.get("supervisor", correction_id).get_json()
    assert [d["outcome"] for d in record["history"]] == ["returned"] and record["decidable"]


def test_the_review_page_shows_what_the_supervisor_checks(two_audits, client, login, audit_api, facility, national):
    """Does the page show the check-in map's data, the route stop, the previous audit and the open items?"""
    first, _ = two_audits
    later = audit_api.submitted("inspector", facility, national)
    login("supervisor")
    page = client.get(f"/review/{later['id']}").get_data(as_text=True)
    assert 'id="checkin-map"' in page and 'data-checkin-lat="43.25"' in page
    assert f"/audits/{first['id']}" in page  # the previous audit of the facility (and its open violation)
    assert "/my/route/stops/" in page
    assert "Принять проверку" in page and "Вернуть инспектору" in page


def test_the_accept_form_sends_back_to_the_queue(two_audits, client, login):
    """Does the accept button record the decision and go back to the queue (303)?"""
    first, _ = two_audits
    login("supervisor")
    response = client.post(f"/review/{first['id']}/decision", data={"outcome": "accepted"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/review/")
    assert db.session.scalar(sa.select(ReviewDecision.outcome).where(ReviewDecision.audit_id == first["id"])) \
        == "accepted"
    again = client.post(f"/review/{first['id']}/decision", data={"outcome": "returned", "comment": "Поздно"})
    assert again.status_code == 409


def test_a_stored_decision_cannot_be_changed(review_api, two_audits):
    """Does the database refuse to rewrite or delete a decision (append-only)?"""
    first, _ = two_audits
    review_api.decide("supervisor", first["id"], "accepted")
    with pytest.raises(sa.exc.DatabaseError):
        with db.session.begin_nested():
            db.session.execute(sa.update(ReviewDecision).values(outcome="returned"))
    with pytest.raises(sa.exc.DatabaseError):
        with db.session.begin_nested():
            db.session.execute(sa.delete(ReviewDecision))


def test_the_dashboard_says_how_many_audits_are_reviewed(review_api, two_audits, users, client, login):
    """Does the inspections figure say how many of them a supervisor reviewed?"""
    first, _ = two_audits
    review_api.decide("supervisor", first["id"], "accepted")
    data = statistics.summary(db.session, users["supervisor"], {})
    assert (data.total.reviewed, data.total.inspections) == (1, 2)
    login("supervisor")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "рассмотрено руководителем: 1 из 2" in page

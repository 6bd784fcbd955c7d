"""Two supervisors deciding one audit at the same moment: does one decision stand and the other get 409 naming it?

Real concurrent requests at the served app (see conftest), on SQLite or on the PostgreSQL of TEST_DATABASE_URL.
"""

import uuid

import pytest
import sqlalchemy as sa

from tests.concurrency.conftest import race

ROUNDS = 5


@pytest.fixture(scope="module")
def second_supervisor(live):
    """Another supervisor of the region, `sue`, beside `sam`."""
    from inspect_app.extensions import db
    from inspect_app.models import User
    from inspect_app.services.users import create_user, issue_token

    with live.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "sue"))
        if user is None:
            user = create_user(db.session, "sue", "sue-password-1", "supervisor", region_kato="190000000")
            db.session.commit()
        live.tokens["sue"] = issue_token(db.session, user, "race")
        db.session.remove()
    return "sue"


def _submitted(live) -> int:
    from tests.answers import act_fields, answers_for

    payload = {"client_uuid": str(uuid.uuid4()), "facility_id": live.facility_id, "legal_basis": "planned",
               "schedule_visit_id": live.visit("alice")}
    audit = live.call("POST", "/api/v1/audits/", "alice", json=payload).json()
    response = live.call("POST", f"/api/v1/audits/{audit['id']}/submit", "alice",
                         json={"client_uuid": str(uuid.uuid4()), "answers": answers_for(live.template, "school"),
                               **act_fields()})
    assert response.status_code == 200, response.text
    return audit["id"]


def _decisions(live, audit_id) -> list[tuple[str, str]]:
    from inspect_app.extensions import db
    from inspect_app.models import ReviewDecision

    with live.app.app_context():
        rows = db.session.execute(sa.select(ReviewDecision.reviewer_name, ReviewDecision.outcome)
                                  .where(ReviewDecision.audit_id == audit_id)).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def test_two_supervisors_deciding_at_once(live, second_supervisor):
    """Of an acceptance and a return sent at the same moment, is exactly one stored (201) and the other refused
    with 409 naming who decided what?"""
    for _ in range(ROUNDS):
        audit_id = _submitted(live)
        accept, give_back = race(
            lambda a=audit_id: live.call("POST", f"/api/v1/reviews/{a}/decision", "sam",
                                         json={"outcome": "accepted"}),
            lambda a=audit_id: live.call("POST", f"/api/v1/reviews/{a}/decision", second_supervisor,
                                         json={"outcome": "returned", "comment": "Уточните пункт", "item_codes": []}),
        )
        assert sorted((accept.status_code, give_back.status_code)) == [201, 409], (accept.text, give_back.text)
        winner, loser = (accept, give_back) if accept.status_code == 201 else (give_back, accept)
        stored = _decisions(live, audit_id)
        assert stored == [(winner.json()["reviewer_name"], winner.json()["outcome"])]
        named = loser.json()["decision"]
        assert (named["reviewer_name"], named["outcome"], named["decided_at"]) == \
            (winner.json()["reviewer_name"], winner.json()["outcome"], winner.json()["decided_at"])
        assert winner.json()["reviewer_name"] in loser.json()["message"]


def test_two_supervisors_pressing_accept_on_the_page_at_once(live, second_supervisor):
    """Through the review page's form (a signed-in browser each): one 303 back to the queue, one 409 page that
    names the decision that won?"""
    import requests

    def browser(name):
        http = requests.Session()
        response = http.post(live.url + "/auth/login", data={"username": name, "password": f"{name}-password-1"},
                             allow_redirects=False, timeout=60)
        assert response.status_code == 302, response.text[:300]
        return http

    sam, sue = browser("sam"), browser("sue")
    for _ in range(ROUNDS):
        audit_id = _submitted(live)
        url = f"{live.url}/review/{audit_id}/decision"
        first, second = race(
            lambda u=url: sam.post(u, data={"outcome": "accepted"}, allow_redirects=False, timeout=60),
            lambda u=url: sue.post(u, data={"outcome": "returned", "comment": "Уточните"}, allow_redirects=False,
                                   timeout=60),
        )
        assert sorted((first.status_code, second.status_code)) == [303, 409]
        loser = first if first.status_code == 409 else second
        winner_name, _outcome = _decisions(live, audit_id)[0]
        assert winner_name in loser.text

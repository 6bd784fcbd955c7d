"""Do users create, list and revoke their own API tokens in the browser, through the service the CLI uses?"""

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import AdminEvent, ApiToken
from inspect_app.services.users import issue_token, list_tokens
from tests.inspect_app.auth.test_sessions_and_throttling import _fresh as fresh


def test_a_new_token_is_shown_once_and_works(client, login, users):
    """Is the created token on the answer, absent from the list page after, and accepted by the API?"""
    user = login("supervisor")
    response = client.post("/account/tokens", data={"name": "выгрузка", "days": "30"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = page.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert token.startswith("tks_")
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    api = client.application.test_client()
    assert api.get("/api/v1/facilities/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    (row,) = list_tokens(db.session, user)
    assert row.name == "выгрузка" and row.last_used_at is not None
    assert "не использовался" not in client.get("/account/tokens").get_data(as_text=True)


def test_a_token_beyond_a_year_or_without_a_name_is_refused_beside_the_field(client, login, users):
    """Are 366 days and an empty name refused on the page, no token written?"""
    user = login("inspector")
    too_long = client.post("/account/tokens", data={"name": "x", "days": "366"})
    assert too_long.status_code == 422 and 'id="days-error"' in too_long.get_data(as_text=True)
    nameless = client.post("/account/tokens", data={"name": "", "days": "10"})
    assert nameless.status_code == 422 and 'id="name-error"' in nameless.get_data(as_text=True)
    assert list_tokens(db.session, user) == []


def test_revoking_my_token_stops_it(client, login, users):
    """Does a revoked token stop working at once?"""
    user = login("inspector")
    token = issue_token(db.session, user, "phone")
    (row,) = list_tokens(db.session, user)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    api = client.application.test_client()
    assert api.get("/api/v1/audits/", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_nobody_revokes_anothers_token_from_their_own_page(client, login, users):
    """Is another user's token id on my revoke URL as if unknown (404), the token kept?"""
    issue_token(db.session, users["supervisor"], "theirs")
    (row,) = list_tokens(db.session, users["supervisor"])
    login("admin")
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, row.id) is not None


def test_an_admin_revokes_anyones_token_and_a_supervisor_cannot(client, login, users):
    """On the users page, does an admin revoke a supervisor's token, while a supervisor cannot revoke an inspector's?"""
    issue_token(db.session, users["supervisor"], "theirs")
    issue_token(db.session, users["inspector"], "phone")
    (theirs,) = list_tokens(db.session, users["supervisor"])
    (phone,) = list_tokens(db.session, users["inspector"])
    login("supervisor")
    refused = client.post(f"/users/{users['inspector'].id}/tokens/{phone.id}/revoke")
    assert refused.status_code == 404 and db.session.get(ApiToken, phone.id) is not None
    fresh(client.post)("/auth/logout")
    fresh(login)("admin")
    assert client.post(f"/users/{users['supervisor'].id}/tokens/{theirs.id}/revoke").status_code == 302
    assert db.session.get(ApiToken, theirs.id) is None
    event = db.session.scalar(sa.select(AdminEvent).where(AdminEvent.action == "token_revoked"))
    assert (event.actor_name, event.target_name, event.details["name"]) == ("admin", "supervisor", "theirs")


def test_the_cli_and_the_page_write_the_same_history(client, login, users, runner):
    """Do a token made on the command line and one made on the page both land in the history, by one service?"""
    assert runner.invoke(args=["users", "token", "inspector", "--name", "cli", "--days", "5"]).exit_code == 0
    login("inspector")
    client.post("/account/tokens", data={"name": "page", "days": "5"})
    events = db.session.scalars(sa.select(AdminEvent).where(AdminEvent.action == "token_created")
                                .order_by(AdminEvent.id)).all()
    assert [(e.actor_name, e.details["name"]) for e in events] == [("", "cli"), ("inspector", "page")]
    refused = runner.invoke(args=["users", "token", "inspector", "--days", "400"])
    assert refused.exit_code == 1 and "365" in refused.output

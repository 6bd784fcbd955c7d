"""Does every user change their own password and language in the browser, with errors beside the field?"""

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import AdminEvent, User
from tests.factories import PASSWORD
from tests.inspect_app.auth.test_sessions_and_throttling import _fresh as fresh

NEW = "Kokterek-Zhaima-2026!"


def _form(current=PASSWORD, new=NEW, repeat=None):
    return {"current_password": current, "password": new, "password_repeat": new if repeat is None else repeat}


def test_a_wrong_current_password_is_refused_beside_the_field(client, login, users):
    """Is a change with the wrong current password refused on the page, the old password kept?"""
    user = login("inspector")
    before = user.password_hash
    response = client.post("/account/password", data=_form(current="not my password"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="current_password-error"' in page and "Текущий пароль указан неверно" in page
    db.session.refresh(user)
    assert user.password_hash == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdminEvent)) == 0


def test_weak_or_mistyped_new_passwords_are_refused(client, login, users):
    """Are a common password and two different typings refused, each beside its field?"""
    login("supervisor")
    weak = client.post("/account/password", data=_form(new="password123"))
    assert weak.status_code == 422 and 'id="password-error"' in weak.get_data(as_text=True)
    differ = client.post("/account/password", data=_form(repeat=NEW + "x"))
    assert differ.status_code == 422
    assert 'id="password_repeat-error"' in differ.get_data(as_text=True)


def test_a_new_password_signs_in_and_ends_other_sessions(app, client, login, users):
    """After a change, does the old password stop working, this browser stay signed in and another end, and
    does the page say that the user's API tokens were revoked, as they are?"""
    from inspect_app.services.users import issue_token

    token = {"Authorization": f"Bearer {issue_token(db.session, users['inspector'], 'phone')}"}
    assert app.test_client().get("/api/v1/my/route", headers=token).status_code == 200
    other = app.test_client()
    other.post("/auth/login", data={"username": "inspector", "password": PASSWORD})
    login("inspector")
    response = client.post("/account/password", data=_form())
    assert response.status_code == 302
    told = fresh(client.get)("/account/")
    assert told.status_code == 200 and "ваши токены API отозваны" in told.get_data(as_text=True)
    assert fresh(app.test_client().get)("/api/v1/my/route", headers=token).status_code == 401
    assert "/auth/login" in fresh(other.get)("/account/").headers["Location"]
    newcomer = app.test_client()
    assert newcomer.post("/auth/login", data={"username": "inspector", "password": PASSWORD}).status_code == 200
    assert newcomer.post("/auth/login", data={"username": "inspector", "password": NEW}).status_code == 302
    event = db.session.scalar(sa.select(AdminEvent).where(AdminEvent.action != "token_created"))
    assert (event.action, event.actor_name, event.target_name) == ("password_changed", "inspector", "inspector")


def test_the_language_is_kept_in_the_profile(client, login, users):
    """Does a chosen language stick to the profile and speak on the next page?"""
    user = login("ministry")
    response = client.post("/account/", data={"locale": "kk"})
    assert response.status_code == 302
    assert db.session.get(User, user.id).locale == "kk"
    assert 'lang="kk"' in client.get("/account/").get_data(as_text=True)
    refused = client.post("/account/", data={"locale": "de"})
    assert refused.status_code == 422 and db.session.get(User, user.id).locale == "kk"


def test_account_forms_need_the_csrf_token(app, client, login, users, monkeypatch):
    """Is a password or language form without its CSRF token ignored, nothing changed?"""
    user = login("inspector")
    before = user.password_hash
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client.post("/account/password", data=_form())
    client.post("/account/", data={"locale": "en"})
    db.session.refresh(user)
    assert user.password_hash == before and user.locale is None

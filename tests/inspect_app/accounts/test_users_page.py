"""Do admins and supervisors manage accounts in the browser within their rights, nothing written on refusal?"""

import csv as csvlib
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import AdminEvent, Inspector, PasswordReset, User
from inspect_app.models.admin_event import AppendOnly
from tests.factories import PASSWORD, InspectorFactory, UserFactory
from tests.inspect_app.auth.test_sessions_and_throttling import _fresh as fresh

NEW = "Kokterek-Zhaima-2026!"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_supervisor_lists_only_their_regions_inspectors(client, login, users, region_a):
    """Does a supervisor's users page hold their region's inspectors only, and an admin's everyone?"""
    UserFactory(username="insp_b", role="inspector", region=users["supervisor_b"].region)
    login("supervisor")
    page = client.get("/users/").get_data(as_text=True)
    assert ">inspector<" in page and "insp_b" not in page and ">supervisor_b<" not in page and ">admin<" not in page
    fresh(client.post)("/auth/logout")
    fresh(login)("admin")
    page = client.get("/users/?role=supervisor").get_data(as_text=True)
    assert ">supervisor<" in page and ">supervisor_b<" in page and ">inspector<" not in page
    assert ">insp_b<" in client.get("/users/?q=insp_").get_data(as_text=True)
    assert ">inspector<" not in client.get("/users/?q=insp_").get_data(as_text=True)  # _ is literal


def test_an_admin_creates_an_account_with_a_temporary_password(app, client, login, users, region_a):
    """Is the temporary password shown once, and must the new user change it before anything else?"""
    inspector = InspectorFactory(regions=[region_a], user=None)
    login("admin")
    response = client.post("/users/new", data={"username": "a.nurova", "full_name": "Айгерим Нурова",
                                                "role": "inspector", "region_kato": region_a.kato, "locale": "kk",
                                                "inspector_id": str(inspector.id)})
    assert response.status_code == 200
    password = response.get_data(as_text=True).split('<code class="token">', 1)[1].split("<", 1)[0]
    created = db.session.scalar(sa.select(User).where(User.username == "a.nurova"))
    assert created.must_change_password and created.locale == "kk"
    assert db.session.get(Inspector, inspector.id).user_id == created.id
    newcomer = app.test_client()
    signed_in = fresh(newcomer.post)("/auth/login", data={"username": "a.nurova", "password": password})
    assert signed_in.headers["Location"].endswith("/account/password")
    assert fresh(newcomer.get)("/audits/").headers["Location"].endswith("/account/password")
    changed = fresh(newcomer.post)("/account/password", data={"current_password": password, "password": NEW,
                                                             "password_repeat": NEW})
    assert changed.status_code == 302
    assert fresh(newcomer.get)("/audits/").status_code == 200
    assert not db.session.get(User, created.id).must_change_password
    assert db.session.get(User, created.id).last_login_at is not None


@pytest.mark.parametrize("data, field", [
    ({"username": "admin", "role": "inspector"}, "username"),  # taken
    ({"username": "x y", "role": "inspector"}, "username"),
    ({"username": "new.one", "role": "inspector", "region_kato": "999999999"}, "region_kato"),
    ({"username": "new.one", "role": "inspector", "region_kato": ""}, "region_kato"),
    ({"username": "new.one", "role": "pope"}, "role"),
])
def test_bad_new_accounts_are_refused_beside_the_field(client, login, users, region_a, data, field):
    """Are a taken or malformed username, an unknown or missing region and an unknown role refused, nothing written?"""
    login("admin")
    before = (_count(User), _count(AdminEvent))
    data = {"region_kato": region_a.kato, **data}
    response = client.post("/users/new", data=data)
    assert response.status_code in (409, 422)
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert (_count(User), _count(AdminEvent)) == before


@pytest.mark.parametrize("role", ["admin", "ministry", "supervisor"])
def test_a_supervisor_cannot_create_anything_but_an_inspector(client, login, users, region_a, role):
    """Is a supervisor's attempt to create an admin, a ministry analyst or a supervisor refused, nothing written?"""
    login("supervisor")
    before = _count(User)
    response = client.post("/users/new", data={"username": "escalate", "role": role, "region_kato": region_a.kato})
    assert response.status_code == 403 and 'id="role-error"' in response.get_data(as_text=True)
    assert _count(User) == before


def test_a_supervisor_cannot_create_an_inspector_of_another_region(client, login, users, region_b):
    """Is another region refused to a supervisor, nothing written?"""
    login("supervisor")
    response = client.post("/users/new", data={"username": "elsewhere", "role": "inspector",
                                                "region_kato": region_b.kato})
    assert response.status_code == 403 and 'id="region_kato-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.username == "elsewhere")) is None


def test_a_supervisor_cannot_promote_an_inspector(client, login, users, region_a):
    """Is raising an inspector to supervisor refused to a supervisor, the role kept?"""
    login("supervisor")
    target = users["inspector"]
    response = client.post(f"/users/{target.id}/edit", data={"role": "supervisor", "region_kato": region_a.kato})
    assert response.status_code == 403
    assert db.session.get(User, target.id).role == "inspector"


def test_nobody_changes_their_own_role(client, login, users):
    """Is an admin's change of their own role refused, beside the role field?"""
    me = login("admin")
    UserFactory(username="admin2", role="admin", region=None)
    response = client.post(f"/users/{me.id}/edit", data={"role": "ministry", "region_kato": ""})
    assert response.status_code == 403 and 'id="role-error"' in response.get_data(as_text=True)
    assert db.session.get(User, me.id).role == "admin"


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(client, login, users):
    """With one active admin left, are its deactivation and demotion refused (409), and allowed once another is?"""
    other = UserFactory(username="admin2", role="admin", region=None)
    login("admin")
    assert client.post(f"/users/{other.id}/active", data={"active": "0"}).status_code == 302
    assert not db.session.get(User, other.id).active
    client.post(f"/users/{other.id}/active", data={"active": "1"})
    UserFactory(username="admin3", role="admin", region=None, active=False)
    # The signed-in admin and admin2 are active; deactivate admin2, then admin2 cannot demote... the last one:
    client.post(f"/users/{other.id}/active", data={"active": "0"})
    lone = users["admin"]
    from inspect_app.services import users as users_service
    from inspect_app.services.errors import Conflict

    with pytest.raises(Conflict):
        users_service.set_active(db.session, lone, False)
    db.session.rollback()
    assert db.session.get(User, lone.id).active
    client.post(f"/users/{other.id}/active", data={"active": "1"})
    fresh(client.post)("/auth/logout")
    fresh(client.post)("/auth/login", data={"username": "admin2", "password": PASSWORD})
    client.post(f"/users/{lone.id}/active", data={"active": "0"})
    assert not db.session.get(User, lone.id).active  # another admin remains: allowed
    refused = client.post(f"/users/{other.id}/active", data={"active": "0"})
    assert refused.status_code == 403  # one's own account
    demote = client.post(f"/users/{other.id}/edit", data={"role": "ministry"})
    assert demote.status_code == 403 and db.session.get(User, other.id).role == "admin"


def test_the_last_admin_cannot_be_demoted_by_the_cli_either(runner, users):
    """Does `flask users deactivate` refuse the only active admin?"""
    result = runner.invoke(args=["users", "deactivate", "admin"])
    assert result.exit_code == 1 and "last active admin" in result.output
    assert db.session.scalar(sa.select(User.active).where(User.username == "admin"))


def test_deactivation_ends_the_sessions_and_reactivation_lets_them_in(app, client, login, users):
    """Is a deactivated inspector signed out at once and refused at sign-in, and let in again after reactivation?"""
    target = users["inspector"]
    theirs = app.test_client()
    fresh(theirs.post)("/auth/login", data={"username": "inspector", "password": PASSWORD})
    fresh(login)("supervisor")
    assert fresh(client.post)(f"/users/{target.id}/active", data={"active": "0"}).status_code == 302
    assert "/auth/login" in fresh(theirs.get)("/audits/").headers["Location"]
    assert fresh(theirs.post)("/auth/login", data={"username": "inspector", "password": PASSWORD}).status_code == 200
    fresh(client.post)(f"/users/{target.id}/active", data={"active": "1"})
    assert fresh(theirs.post)("/auth/login", data={"username": "inspector", "password": PASSWORD}).status_code == 302
    actions = db.session.scalars(sa.select(AdminEvent.action).order_by(AdminEvent.id)).all()
    assert actions[-2:] == ["deactivated", "reactivated"]


def _reset_link(client, user) -> str:
    page = client.post(f"/users/{user.id}/password", data={"method": "link"}).get_data(as_text=True)
    return page.split('<code class="token">', 1)[1].split("<", 1)[0]


def test_a_reset_link_works_once(app, client, login, users):
    """Does a one-time link set a new password once, and answer 'invalid' the second time?"""
    login("supervisor")
    link = _reset_link(client, users["inspector"])
    path = link.split("localhost", 1)[1]
    stranger = app.test_client()
    stranger.get = fresh(stranger.get)
    stranger.post = fresh(stranger.post)
    assert stranger.get(path).status_code == 200
    weak = stranger.post(path, data={"password": "password123", "password_repeat": "password123"})
    assert weak.status_code == 422  # a weak password leaves the link usable
    assert stranger.post(path, data={"password": NEW, "password_repeat": NEW}).status_code == 302
    assert stranger.post("/auth/login", data={"username": "inspector", "password": NEW}).status_code == 302
    again = fresh(app.test_client().post)(path, data={"password": NEW + "2", "password_repeat": NEW + "2"})
    assert again.status_code == 404
    assert db.session.get(User, users["inspector"].id).check_password(NEW)


def test_a_reset_link_expires_and_a_newer_one_replaces_it(app, client, login, users):
    """Is a link past its 24 hours refused, and an older link refused once a newer one is made?"""
    login("admin")
    first = _reset_link(client, users["inspector"]).split("localhost", 1)[1]
    second = _reset_link(client, users["inspector"]).split("localhost", 1)[1]
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    db.session.execute(sa.update(PasswordReset).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    db.session.commit()
    assert app.test_client().get(second).status_code == 404


def test_guessing_reset_links_is_throttled(app, client, users, monkeypatch):
    """After 20 unknown links from one address, is even a valid link answered 429 for a while?"""
    from inspect_app.extensions import limiter

    monkeypatch.setitem(app.config, "THROTTLE_ENABLED", True)
    limiter.limiter.storage.reset()
    for n in range(20):
        assert client.get(f"/auth/reset/guess-{n}").status_code == 404
    response = client.get("/auth/reset/guess-21")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    limiter.limiter.storage.reset()


def test_a_temporary_password_from_the_users_page(app, client, login, users):
    """Does a temporary password work once given, and force a change at the next sign-in?"""
    login("supervisor")
    page = client.post(f"/users/{users['inspector'].id}/password", data={"method": "temporary"})
    password = page.get_data(as_text=True).split('<code class="token">', 1)[1].split("<", 1)[0]
    theirs = app.test_client()
    response = fresh(theirs.post)("/auth/login", data={"username": "inspector", "password": password})
    assert response.headers["Location"].endswith("/account/password")


def test_the_history_is_for_admins_append_only_and_exported_safely(client, login, users, runner):
    """Is the history page an admin's only, its CSV escaping a formula in a name, and a row never rewritten?"""
    created = runner.invoke(args=["users", "create", "=HYPERLINK(1)", "--role", "ministry", "--password", NEW])
    assert created.exit_code == 0, created.output
    login("admin")
    client.post("/users/new", data={"username": "eq.user", "role": "ministry"})
    client.post(f"/users/{users['inspector'].id}/password", data={"method": "link"})
    page = client.get("/users/history").get_data(as_text=True)
    assert "выдана ссылка для смены пароля" in page and "создана учётная запись" in page
    csv = client.get("/users/history.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    rows = list(csvlib.DictReader(io.StringIO(csv.data.decode("utf-8-sig"))))
    assert {r["Действие"] for r in rows} >= {"создана учётная запись", "выдана ссылка для смены пароля"}
    assert "'=HYPERLINK(1)" in {r["Пользователь"] for r in rows}  # the registry export's escaping
    event = db.session.scalar(sa.select(AdminEvent).where(AdminEvent.action == "user_created"))
    event.action = "deactivated"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    fresh(client.post)("/auth/logout")
    fresh(login)("supervisor")
    assert client.get("/users/history").status_code == 403
    assert client.get("/users/history.csv").status_code == 403


def test_the_pages_say_that_a_new_password_or_a_deactivation_revokes_the_tokens(app, client, login, users):
    """When a supervisor gives an inspector a temporary password, deactivates or reactivates them, or the
    inspector sets a password through a reset link, does the page say that the API tokens were revoked (and how
    many), and are they dead, with a reactivation bringing none back?"""
    from inspect_app.services.users import issue_token

    target = users["inspector"]

    def api(token):
        return fresh(app.test_client().get)("/api/v1/my/route", headers={"Authorization": f"Bearer {token}"})

    first, second = issue_token(db.session, target, "phone"), issue_token(db.session, target, "tablet")
    assert api(first).status_code == 200
    login("supervisor")
    shown = fresh(client.get)(f"/users/{target.id}").get_data(as_text=True)
    assert "Новый пароль отзывает все токены API пользователя." in shown
    assert "токены API отзываются навсегда" in shown
    page = fresh(client.post)(f"/users/{target.id}/password", data={"method": "temporary"}).get_data(as_text=True)
    assert "Новый пароль отозвал токены API пользователя (2)." in page
    assert api(first).status_code == 401 and api(second).status_code == 401

    third = issue_token(db.session, target, "phone")
    answer = fresh(client.post)(f"/users/{target.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "Учётная запись отключена; её сеансы завершены, токены API отозваны (1)." in answer.get_data(as_text=True)
    answer = fresh(client.post)(f"/users/{target.id}/active", data={"active": "1"}, follow_redirects=True)
    assert "прежние токены API не вернулись" in answer.get_data(as_text=True)
    assert api(third).status_code == 401

    fourth = issue_token(db.session, target, "phone")
    path = _reset_link(client, target).split("localhost", 1)[1]
    stranger = app.test_client()
    answer = fresh(stranger.post)(path, data={"password": NEW, "password_repeat": NEW}, follow_redirects=True)
    assert "Пароль изменён, ваши токены API отозваны." in answer.get_data(as_text=True)
    assert api(fourth).status_code == 401

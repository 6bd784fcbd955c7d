"""Do sign-in and API tokens resist guessing, and does signing out really end a session?"""

import time

import pytest
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from config import Config, ProductionConfig, weak_settings
from inspect_app import create_app
from inspect_app.extensions import db, limiter
from inspect_app.services import users as users_service
from inspect_app.services.errors import InvalidInput
from tests.factories import PASSWORD


@pytest.fixture
def throttled(app, monkeypatch):
    """Throttling on, with small limits and empty counters: (account, address) failures, tokens, requests."""
    monkeypatch.setitem(app.config, "THROTTLE_ENABLED", True)
    monkeypatch.setitem(app.config, "THROTTLE_LIMITS", {
        "login_failure": ("3 per 15 minutes", "5 per 15 minutes"),
        "known_device": ("1 per 2 seconds",),
        "bad_token": ("2 per 15 minutes", "3 per 15 minutes"),
        "api_request": ("4 per minute", "100 per minute"),
    })
    limiter.reset()
    yield
    limiter.reset()


def _sign_in(client, username, password, **extra):
    return client.post("/auth/login", data={"username": username, "password": password, **extra})


def test_wrong_passwords_for_one_account_are_throttled(client, users, throttled):
    """After 3 wrong passwords, is the 4th try from a browser that never signed in as that user, even with the
    right password, a 429 with a clear message?"""
    for _ in range(3):
        assert _sign_in(client, "supervisor", "wrong-password-1").status_code == 200
    refused = _sign_in(client, "supervisor", PASSWORD)
    assert refused.status_code == 429
    assert "Слишком много попыток" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert _sign_in(client, "admin", PASSWORD).status_code == 302


def test_a_locked_account_signs_in_slowly_from_its_known_device(app, client, users, throttled):
    """When someone else's wrong passwords lock an account, does the real user, on a phone they signed in on
    before, still get in with the right password, at one try per 2 seconds here, while a stranger's browser is
    refused and the slowed device is refused a second quick try?"""
    assert _sign_in(client, "supervisor", PASSWORD).status_code == 302
    _fresh(client.post)("/auth/logout")
    attacker = app.test_client()
    for _ in range(3):
        assert _fresh(_sign_in)(attacker, "supervisor", "wrong-password-1").status_code == 200
    assert _fresh(_sign_in)(attacker, "supervisor", PASSWORD).status_code == 429
    assert _fresh(_sign_in)(client, "supervisor", "wrong-password-2").status_code == 200
    quick = _fresh(_sign_in)(client, "supervisor", PASSWORD)
    assert quick.status_code == 429 and 0 < int(quick.headers["Retry-After"]) <= 2
    time.sleep(2.1)
    assert _fresh(_sign_in)(client, "supervisor", PASSWORD).status_code == 302


def test_guessing_many_accounts_from_one_address_is_throttled(client, users, throttled):
    """Do failures on different accounts from one address add up to the address's limit?"""
    for name in ("supervisor", "admin", "ministry", "inspector", "nobody"):
        assert _sign_in(client, name, "wrong-password-1").status_code == 200
    assert _sign_in(client, "supervisor_b", PASSWORD).status_code == 429


def test_kazakh_throttle_message(client, users, throttled):
    """Is the refusal in the language of the interface?"""
    client.get("/auth/login?lang=kk")
    for _ in range(3):
        _sign_in(client, "supervisor", "wrong-password-1")
    page = _sign_in(client, "supervisor", "wrong-password-1").get_data(as_text=True)
    assert "Слишком много" not in page and "Әрекет тым көп" in page


def test_bad_api_tokens_are_throttled_but_a_good_one_gets_through(client, auth_headers, throttled):
    """After 3 bad tokens from one address, is the next bad one a 429 with a JSON message, while a valid token
    from the same address (an office's or a carrier's shared address) still gets its answer?"""
    good = auth_headers("supervisor")
    for n in range(3):
        assert client.get("/api/v1/facilities/", headers={"Authorization": f"Bearer tks_bad{n}"}).status_code == 401
    refused = client.get("/api/v1/facilities/", headers={"Authorization": "Bearer tks_bad9"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert refused.get_json()["message"]
    assert client.get("/api/v1/facilities/", headers=good).status_code == 200


def test_one_bad_token_repeated_is_throttled_by_itself(client, auth_headers, throttled):
    """Is a misconfigured device that repeats one bad token throttled on that token (after 2), before the
    address's limit, so that it does not use up what its neighbours behind the address may send?"""
    stale = {"Authorization": "Bearer tks_revoked-long-ago"}
    assert [client.get("/api/v1/facilities/", headers=stale).status_code for _ in range(3)] == [401, 401, 429]
    assert client.get("/api/v1/facilities/", headers={"Authorization": "Bearer tks_typo"}).status_code == 401
    assert client.get("/api/v1/facilities/", headers=auth_headers("admin")).status_code == 200


def test_api_requests_are_throttled_per_account(client, auth_headers, throttled):
    """Does one account's token get 429 past its rate, while another account goes on?"""
    for _ in range(4):
        assert client.get("/api/v1/facilities/", headers=auth_headers("supervisor")).status_code == 200
    assert client.get("/api/v1/facilities/", headers=auth_headers("supervisor")).status_code == 429
    assert client.get("/api/v1/facilities/", headers=auth_headers("admin")).status_code == 200


def test_unknown_user_costs_one_password_hash_like_a_known_one(users, monkeypatch):
    """Is a password hashed for an unknown username too, so the answer's timing tells nothing?"""
    import werkzeug.security

    calls = []
    real = werkzeug.security._hash_internal
    monkeypatch.setattr(werkzeug.security, "_hash_internal", lambda *a: calls.append(a[0]) or real(*a))
    users_service._dummy_hash()
    calls.clear()
    assert users_service.authenticate(db.session, "no-such-user", "wrong-password-1") is None
    unknown = list(calls)
    calls.clear()
    assert users_service.authenticate(db.session, "supervisor", "wrong-password-1") is None
    assert len(unknown) == len(calls) == 1 and unknown[0].startswith("scrypt")


def _fresh(call):
    """`call`, as a request of its own: the test's app context (and so `g`) outlives each request, and
    Flask-Login keeps the signed-in user in `g`; forget it so each request loads its user from its cookies."""
    from flask import g

    def run(*args, **kwargs):
        g.pop("_login_user", None)
        return call(*args, **kwargs)

    return run


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


@pytest.mark.parametrize("replayed", ["session", "remember_token"])
def test_cookies_copied_before_sign_out_stop_working(app, client, users, replayed):
    """Does a session cookie, or a remember-me cookie, replayed after sign-out open nothing?"""
    assert _sign_in(client, "supervisor", PASSWORD, remember="y").status_code == 302
    copied = _cookie(client, replayed)
    before = app.test_client()
    before.set_cookie(replayed, copied)
    assert _fresh(before.get)("/facilities/").status_code == 200
    _fresh(client.post)("/auth/logout")
    thief = app.test_client()
    thief.set_cookie(replayed, copied)
    response = _fresh(thief.get)("/facilities/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_remember_cookie_is_same_site_and_http_only(client, users):
    """Is the remember-me cookie kept from scripts and from other sites' requests?"""
    response = _sign_in(client, "supervisor", PASSWORD, remember="y")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "SameSite=Lax" in header and "HttpOnly" in header


def test_production_cookies_travel_only_over_https():
    """Are the session and remember-me cookies Secure in production?"""
    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE


@pytest.mark.parametrize("password", ["password", "12345678", "qwertyuiop", "password123", "supervisor-1",
                                      "aaaaaaaaaaaa"])
def test_common_or_guessable_passwords_are_refused(db_session, region_a, password):
    """Are 'password', '12345678' and other common or short passwords refused, naming the field?"""
    with pytest.raises(InvalidInput) as refused:
        users_service.create_user(db.session, "supervisor", password, "supervisor", region_a.kato)
    assert "password" in refused.value.errors


def test_tokens_always_expire(db_session, users, runner):
    """Is a token that never expires (--days 0), or one of more than a year, refused?"""
    for days in (0, -1, users_service.TOKEN_MAX_DAYS + 1):
        with pytest.raises(InvalidInput):
            users_service.issue_token(db.session, users["admin"], "t", days)
    result = runner.invoke(args=["users", "token", "admin", "--days", "0"])
    assert result.exit_code == 1 and "expires" in result.output


@pytest.mark.parametrize("key, url, problem", [
    ("aaaaaaaaaaaaaaaa", "https://tekseru.example.kz", "SECRET_KEY"),
    ("a" * 40, "https://tekseru.example.kz", "SECRET_KEY"),
    ("ab" * 30, "https://tekseru.example.kz", "SECRET_KEY"),
    ("kT3v9Qm2Lp8Xz4Rw7Yb1Nc6Hd5Jf0Gs-Ue_Vi", "http://127.0.0.1:5000", "PUBLIC_BASE_URL"),
    ("kT3v9Qm2Lp8Xz4Rw7Yb1Nc6Hd5Jf0Gs-Ue_Vi", "http://localhost/", "PUBLIC_BASE_URL"),
])
def test_production_refuses_weak_settings(monkeypatch, key, url, problem):
    """Does production refuse a low-entropy SECRET_KEY and a PUBLIC_BASE_URL the public cannot reach?"""
    assert any(problem in p for p in weak_settings(key, url))
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_BASE_URL", url)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match=problem):
        create_app(ProductionConfig)


def test_production_accepts_strong_settings():
    """Does a random key and a real address pass?"""
    assert weak_settings("kT3v9Qm2Lp8Xz4Rw7Yb1Nc6Hd5Jf0Gs-Ue_Vi", "https://tekseru.example.kz") == []


def test_csrf_tokens_expire_after_a_working_day(app, monkeypatch):
    """Is a form token still good after 7 hours, and refused after 9?"""
    import itsdangerous.timed

    assert Config.WTF_CSRF_TIME_LIMIT == 8 * 3600
    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", Config.WTF_CSRF_TIME_LIMIT)
    with app.test_request_context():
        token = generate_csrf()
        later = time.time()

        class Clock:
            offset = 7 * 3600

            @classmethod
            def time(cls):
                return later + cls.offset

        monkeypatch.setattr(itsdangerous.timed, "time", Clock)
        validate_csrf(token)
        Clock.offset = 9 * 3600
        with pytest.raises(ValidationError):
            validate_csrf(token)


@pytest.mark.parametrize("target", ["/\\evil.example", "/\\/evil.example", "//evil.example", "https://evil.example"])
def test_sign_in_never_redirects_off_site(client, users, target):
    """Is a next= that a browser would read as another site (a backslash too) replaced by the home page?"""
    response = client.post(f"/auth/login?next={target}", data={"username": "supervisor", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_sign_in_follows_a_local_next(client, users):
    """Does a local next= still bring the user back where they were?"""
    response = client.post("/auth/login?next=/facilities/", data={"username": "supervisor", "password": PASSWORD})
    assert response.headers["Location"] == "/facilities/"

"""Can an operator manage accounts with `flask users`: passwords, deactivation, and tokens that always expire?"""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ApiToken
from tests.factories import PASSWORD


def _ok(runner, *args, input=None):
    result = runner.invoke(args=["users", *args], input=input)
    assert result.exit_code == 0, result.output
    return result.output


def _api(client, token):
    return client.get("/api/v1/registry/regions", headers={"Authorization": f"Bearer {token}"})


def test_password_command_sets_a_strong_password_and_refuses_a_common_one(runner, client, users):
    """Does `users password` change the password (the old one stops working) and refuse '12345678'?"""
    refused = runner.invoke(args=["users", "password", "supervisor", "--password", "12345678"])
    assert refused.exit_code == 1 and "password" in refused.output
    _ok(runner, "password", "supervisor", "--password", "Жаңа-құпия-сөз-2026")
    assert client.post("/auth/login", data={"username": "supervisor", "password": PASSWORD}).status_code == 200
    signed_in = client.post("/auth/login", data={"username": "supervisor", "password": "Жаңа-құпия-сөз-2026"})
    assert signed_in.status_code == 302


def test_new_password_revokes_the_api_tokens_and_says_so(runner, client, users):
    """Does a new password end the API tokens made under the old one (a leaked token dies with a leaked
    password), and does the command say how many it revoked?"""
    first = _ok(runner, "token", "supervisor").strip()
    second = _ok(runner, "token", "supervisor", "--name", "script").strip()
    assert _api(client, first).status_code == 200
    output = _ok(runner, "password", "supervisor", "--password", "Жаңа-құпия-сөз-2026")
    assert "2 API tokens revoked" in output
    assert _api(client, first).status_code == 401 and _api(client, second).status_code == 401
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_deactivated_user_can_neither_sign_in_nor_use_a_token(runner, client, users):
    """Does `users deactivate` stop both the web sign-in and the user's tokens for good: `reactivate` lets the
    user sign in again, but the old tokens stay revoked (a new one is issued on purpose)?"""
    token = _ok(runner, "token", "supervisor").strip()
    output = _ok(runner, "deactivate", "supervisor")
    assert "1 API token revoked" in output
    assert _api(client, token).status_code == 401
    assert client.post("/auth/login", data={"username": "supervisor", "password": PASSWORD}).status_code == 200
    _ok(runner, "reactivate", "supervisor")
    assert _api(client, token).status_code == 401
    assert client.post("/auth/login", data={"username": "supervisor", "password": PASSWORD}).status_code == 302
    assert _api(client, _ok(runner, "token", "supervisor").strip()).status_code == 200


def test_tokens_are_listed_and_revoked(runner, client, users):
    """Does `users tokens` list labels and expiry (never the token), and `users revoke` end one or all?"""
    first = _ok(runner, "token", "admin", "--name", "laptop").strip()
    second = _ok(runner, "token", "admin", "--name", "script", "--days", "7").strip()
    listing = _ok(runner, "tokens", "admin")
    assert "laptop" in listing and "script" in listing and first not in listing and second not in listing
    laptop = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "laptop"))
    _ok(runner, "revoke", "admin", str(laptop.id))
    assert _api(client, first).status_code == 401 and _api(client, second).status_code == 200
    _ok(runner, "revoke", "admin", "--all")
    assert _api(client, second).status_code == 401
    assert "no API tokens" in _ok(runner, "tokens", "admin")


@pytest.mark.parametrize("days", ["0", "-5", "366"])
def test_token_command_refuses_a_token_that_never_expires(runner, users, days):
    """Is `users token --days 0` (formerly a token for ever), or more than a year, refused?"""
    result = runner.invoke(args=["users", "token", "admin", "--days", days])
    assert result.exit_code == 1 and "expires" in result.output
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_issued_token_expires(runner, users):
    """Does a token issued with the defaults carry an expiry within the maximum?"""
    _ok(runner, "token", "admin")
    expires = db.session.scalar(sa.select(ApiToken.expires_at))
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert datetime.now(UTC) < expires <= datetime.now(UTC) + timedelta(days=366)


def test_revoking_another_users_token_is_refused(runner, users):
    """Can `users revoke` name a token of someone else? (It answers as for an unknown id.)"""
    _ok(runner, "token", "admin")
    token_id = db.session.scalar(sa.select(ApiToken.id))
    result = runner.invoke(args=["users", "revoke", "supervisor", str(token_id)])
    assert result.exit_code == 1 and "no token" in result.output

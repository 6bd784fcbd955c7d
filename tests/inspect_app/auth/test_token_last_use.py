"""Does an API token show when it was last used, without a write on every request?"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from inspect_app.models import ApiToken
from inspect_app.services.users import issue_token


def _token_row(db_session, user) -> ApiToken:
    db_session.expire_all()
    return db_session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user.id))


def test_a_token_records_its_last_use_at_most_once_a_minute(client, users, db_session):
    """Is last_used_at set by the first authenticated call, kept within the minute, and moved after it?"""
    user = users["supervisor"]
    headers = {"Authorization": f"Bearer {issue_token(db_session, user, 'ci')}"}
    assert _token_row(db_session, user).last_used_at is None

    before = datetime.now(UTC)
    assert client.get("/api/v1/facilities/", headers=headers).status_code == 200
    first = _token_row(db_session, user).last_used_at
    assert first is not None and first >= before - timedelta(seconds=1)

    assert client.get("/api/v1/facilities/", headers=headers).status_code == 200
    assert _token_row(db_session, user).last_used_at == first

    old = first - timedelta(minutes=5)
    db_session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id).values(last_used_at=old))
    db_session.commit()
    assert client.get("/api/v1/facilities/", headers=headers).status_code == 200
    assert _token_row(db_session, user).last_used_at > old + timedelta(minutes=4)


def test_a_refused_token_records_nothing(client, users, db_session):
    """Does a token of a deactivated user stay without a last use when it is refused?"""
    user = users["inspector"]
    headers = {"Authorization": f"Bearer {issue_token(db_session, user, 'ci')}"}
    user.active = False
    db_session.commit()
    assert client.get("/api/v1/facilities/", headers=headers).status_code == 401
    assert _token_row(db_session, user).last_used_at is None

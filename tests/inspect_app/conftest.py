"""Users of every role in two regions, and helpers to act as them through the API and the web."""

import pytest

from inspect_app.extensions import db
from inspect_app.services.users import issue_token
from tests.factories import PASSWORD, RegionFactory, UserFactory


@pytest.fixture(autouse=True)
def db_session(app):
    """Run the test in a transaction rolled back at the end; the app's commits become savepoints."""
    from inspect_app.extensions import db

    with app.app_context():
        engines = db._app_engines[app]
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection
        original = db.session
        db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            engines[None] = engine
            transaction.rollback()
            connection.close()


@pytest.fixture
def region_a():
    """The region the supervisor works in."""
    return RegionFactory(kato="190000000", name_ru="Алматинская область", name_kk="Алматы облысы")


@pytest.fixture
def region_b():
    """Another region, out of the supervisor's reach."""
    return RegionFactory(kato="750000000", name_ru="г. Алматы", name_kk="Алматы қ.")


@pytest.fixture
def users(region_a, region_b):
    """One user per role; `supervisor_b` works in region B."""
    return {
        "admin": UserFactory(username="admin", role="admin", region=None),
        "ministry": UserFactory(username="ministry", role="ministry", region=None),
        "supervisor": UserFactory(username="supervisor", role="supervisor", region=region_a),
        "supervisor_b": UserFactory(username="supervisor_b", role="supervisor", region=region_b),
        "inspector": UserFactory(username="inspector", role="inspector", region=region_a),
    }


@pytest.fixture
def auth_headers(users):
    """`auth_headers("supervisor")` gives the Authorization header of that user's fresh API token."""
    cache = {}

    def make(role: str) -> dict[str, str]:
        if role not in cache:
            cache[role] = {"Authorization": f"Bearer {issue_token(db.session, users[role], 'test')}"}
        return cache[role]

    return make


@pytest.fixture
def login(client, users):
    """`login("supervisor")` signs the test client in through the real login form."""

    def do(role: str):
        response = client.post("/auth/login", data={"username": users[role].username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return users[role]

    return do

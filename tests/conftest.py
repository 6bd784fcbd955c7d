"""Fixtures shared by the app's tests.

The test database is built once per run by the migrations (SQLite in a temporary file, or the PostgreSQL
of TEST_DATABASE_URL in a schema of its own so concurrent runs never meet), and every test runs inside a
transaction that is rolled back, with the app's commits turned into savepoints.
"""

import os
import tempfile
import uuid

import pytest
import sqlalchemy as sa

from config import TestingConfig


def _database_url() -> tuple[str, str | None]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        schema = f"test_{uuid.uuid4().hex[:10]}"
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}options=-csearch_path%3D{schema}", schema
    path = os.path.join(tempfile.mkdtemp(prefix="tekseru-test-"), "test.db")
    return f"sqlite:///{path}", None


@pytest.fixture(scope="session")
def _database():
    url, schema = _database_url()
    if schema:
        admin = sa.create_engine(os.environ["TEST_DATABASE_URL"])
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield url
    if schema:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(_database):
    """The app on a test database built once by running the migrations."""
    from flask_migrate import upgrade

    from inspect_app import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = _database

    app = create_app(Config)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for `flask` CLI commands."""
    return app.test_cli_runner()

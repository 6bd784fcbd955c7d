"""Fixtures shared by the app's tests.

The test database is built once per run by the migrations (SQLite in a temporary file, or the PostgreSQL
of TEST_DATABASE_URL in a schema of its own so concurrent runs never meet), and every test runs inside a
transaction that is rolled back, with the app's commits turned into savepoints.
"""

import pytest

from config import TestingConfig


@pytest.fixture(scope="session")
def _database():
    from tests.served import own_database

    with own_database("test") as url:
        yield url


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


def pytest_terminal_summary(terminalreporter):
    """After the run, say plainly which tests did not run because a service was down, and why (tests/services.py)."""
    from tests.services import SERVICE_SKIP

    by_reason: dict[str, list[str]] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if SERVICE_SKIP in reason:
            reason = reason.split(SERVICE_SKIP, 1)[1].strip()
            by_reason.setdefault(reason, []).append(report.nodeid.split("::")[0])
    if not by_reason:
        return
    terminalreporter.section("tests skipped: a service they need is not running", sep="=", yellow=True, bold=True)
    for reason, files in by_reason.items():
        terminalreporter.line(f"{len(files)} tests in {', '.join(sorted(set(files)))}")
        terminalreporter.line(f"  why: {reason}")
    terminalreporter.line("Under CI (CI=true) a missing service fails the run instead.")

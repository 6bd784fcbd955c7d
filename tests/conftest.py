"""Fixtures shared by the app's tests.

The test database is built once per run by the migrations (SQLite in a temporary file, or the PostgreSQL
of TEST_DATABASE_URL in a schema of its own so concurrent runs never meet), and every test runs inside a
transaction that is rolled back, with the app's commits turned into savepoints.
"""

import os
import tempfile
from pathlib import Path

import pytest

from config import TestingConfig

CATALOGS = Path(__file__).resolve().parents[1] / "inspect_app" / "translations"


def compile_stale_catalogs(root: Path = CATALOGS) -> list[Path]:
    """Compile each messages.po whose .mo is missing or older (a fresh clone has none: they are not in git).

    Written to a temporary file and renamed, so a reader never sees half a catalog. Returns the .mo files written.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=po.parents[1].name)
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
        written.append(mo)
    return written


def pytest_configure(config):
    """A bare `pytest` in a fresh clone translates pages: compile the catalogs once, in the controller."""
    if not hasattr(config, "workerinput"):
        compile_stale_catalogs()


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
    yield app
    # Its pooled connections closed before the database is dropped, not left to the garbage collector (psycopg
    # warns of an open connection deleted, an error under this suite's filterwarnings).
    from tests.served import dispose

    dispose(app)


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

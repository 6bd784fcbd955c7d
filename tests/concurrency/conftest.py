"""A served app on a database of its own, for races between real concurrent requests.

Unlike the rest of `tests/inspect_app/`, nothing here runs in a rolled-back transaction: requests race through
werkzeug's threaded server on 127.0.0.1 (a free port), each with its own connection and commits, on SQLite (a
temporary file) or on the PostgreSQL of TEST_DATABASE_URL (a schema of its own).
"""

import threading
from dataclasses import dataclass, field

import pytest
import requests
import sqlalchemy as sa

import forms
from tests.served import dispose, make_app, own_database, serve


@dataclass
class Live:
    """The served app, its URL, and the people and facility the races use."""

    app: object
    url: str
    facility_id: int
    tokens: dict[str, str] = field(default_factory=dict)
    template: forms.Template | None = None

    def headers(self, who: str) -> dict[str, str]:
        """The bearer header of one of the seeded users."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def visit(self, who: str) -> int:
        """A new released stop of the school on `who`'s route (inspectors open audits from their stops)."""
        from inspect_app.extensions import db
        from inspect_app.models import Facility, User
        from tests.factories import published_visit

        with self.app.app_context():
            user = db.session.scalar(sa.select(User).where(User.username == who))
            visit_id = published_visit(db.session, user, db.session.get(Facility, self.facility_id), commit=True)
            db.session.remove()
            return visit_id

    def call(self, method: str, path: str, who: str = "alice", http: requests.Session | None = None, **kwargs):
        """One request as that user (a fresh connection unless `http` is given)."""
        sender = http or requests
        return sender.request(method, self.url + path, headers=self.headers(who), timeout=60, **kwargs)


def race(*calls, timeout: float = 60):
    """Run the callables at the same moment in threads; return their results (an exception is re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(n, call):
        try:
            barrier.wait(timeout)
            results[n] = call()
        except Exception as exc:  # noqa: BLE001 - handed to the test's thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    return results


@pytest.fixture(scope="session")
def live_database():
    """A migrated database of its own (SQLite file or PostgreSQL schema); yields its URL."""
    with own_database("conc") as url:
        yield url


@pytest.fixture(scope="session")
def live(live_database):
    """The app served on 127.0.0.1 with two inspectors of one region, a supervisor, a school and the checklists."""
    from inspect_app.extensions import db
    from inspect_app.services import checklists
    from inspect_app.services.users import create_user, issue_token
    from tests.factories import FacilityFactory, almaty_region

    app = make_app(live_database, JOBS_INLINE=False)
    with app.app_context():
        region = almaty_region(db.session)
        school = FacilityFactory.build(region=region, type="school", name_ru="Школа гонок", lat=43.25, lon=76.95)
        db.session.add(school)
        db.session.commit()
        checklists.ensure_templates(db.session)
        tokens = {}
        for name, role in (("alice", "inspector"), ("bob", "inspector"), ("sam", "supervisor")):
            user = create_user(db.session, name, f"{name}-password-1", role, region_kato="190000000")
            db.session.commit()
            tokens[name] = issue_token(db.session, user, "race")
        template = checklists.parsed(checklists.latest_template(db.session, "national"))
        facility_id = school.id
    try:
        with serve(app) as url:
            yield Live(app=app, url=url, facility_id=facility_id, tokens=tokens, template=template)
    finally:
        dispose(app)

"""Does the demo seed give a new user a history of audits with failures, violations and a verifying chain?"""

from datetime import date

import sqlalchemy as sa

from inspect_app.demo.seed import seed_demo
from inspect_app.extensions import db
from inspect_app.models import Audit, Facility, Violation
from inspect_app.services.audits.chain import verify_chain


def test_demo_seed_creates_audits_that_verify(app):
    summary = seed_demo(db.session, seed=3, facilities=150, inspectors=6, today=date(2026, 3, 1))
    assert "30 audits" in summary
    audits = db.session.scalars(sa.select(Audit)).all()
    assert len(audits) == 30 and all(a.is_submitted for a in audits)
    assert {a.result for a in audits} >= {"pass_with_violations"}
    assert db.session.scalar(sa.select(sa.func.count(Violation.id))) > 0
    assert db.session.scalar(sa.select(sa.func.count(Violation.id)).where(Violation.status == "resolved")) > 0
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))
                             .where(Facility.last_inspection_date.is_not(None))) > 0
    assert verify_chain(db.session).ok
    again = seed_demo(db.session, seed=3, facilities=150, inspectors=6, today=date(2026, 3, 1))
    assert "0 audits" in again

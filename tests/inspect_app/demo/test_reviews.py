"""Does the demo give the supervisor a review queue, a history of accepted audits and one returned audit?"""

from datetime import date

import sqlalchemy as sa

from inspect_app.demo.seed import seed_demo
from inspect_app.extensions import db
from inspect_app.models import ReviewDecision, User
from inspect_app.services import reviews


def test_demo_seed_leaves_a_queue_and_decides_the_rest(app):
    """Are the last weeks' audits waiting in the supervisor's queue, the older ones accepted, and one of the demo
    inspector's returned to them with a comment naming items?"""
    summary = seed_demo(db.session, seed=3, facilities=150, inspectors=6, today=date(2026, 3, 1))
    assert "1 returned" in summary
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    inspector = db.session.scalar(sa.select(User).where(User.username == "inspector"))
    assert db.session.scalars(reviews.queue_query(supervisor, {})).first() is not None
    outcomes = list(db.session.scalars(sa.select(ReviewDecision.outcome)))
    assert outcomes.count("returned") == 1 and outcomes.count("accepted") > 0
    returned = reviews.returned_audits(db.session, inspector)
    assert len(returned) == 1 and returned[0].decision.comment and returned[0].decision.item_codes

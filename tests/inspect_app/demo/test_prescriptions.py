"""Does the demo seed show prescriptions in every state a list filters by, and a facility link that opens?"""

import sqlalchemy as sa

from inspect_app.demo.prescriptions import demo_facility_link
from inspect_app.demo.seed import DEFAULT_REGION, seed_demo
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import User
from inspect_app.services.prescriptions import queries


def test_demo_prescriptions_in_every_state_and_a_link(app, client):
    """Are there open, overdue, reported, verified and not-fixed items after the seed, and does the printed
    link open the page of a prescription with a reported item?"""
    seed_demo(db.session, seed=1, facilities=400, inspectors=12, today=today_almaty())
    admin = db.session.scalar(sa.select(User).where(User.role == "admin"))
    rows = queries.item_rows(db.session, queries.item_query(admin, {}))
    assert {str(r.shown) for r in rows} >= {"open", "overdue", "reported", "verified", "not_fixed"}
    number, token = demo_facility_link(db.session, DEFAULT_REGION)
    page = client.get(f"/p/{token}")
    assert page.status_code == 200 and number in page.get_data(as_text=True)

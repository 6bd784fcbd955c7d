"""Does a fresh demo show the demo inspector a real route today, on the home page?"""

import datetime as dt

from inspect_app.demo.seed import publish_demo_schedule, seed_demo
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services.access import day as release_rule
from inspect_app.services.schedules import route as routes
from tests.inspect_app.services.schedules.route.conftest import almaty

MONDAY = dt.date(2031, 3, 3)


def test_demo_seed_publishes_todays_route_for_the_demo_inspector(client, monkeypatch):
    """After the demo seed and its schedule, does the demo inspector's home page list today's stops?"""
    monkeypatch.setattr(release_rule, "now_utc", lambda: almaty(MONDAY, 9).astimezone(dt.UTC))
    seed_demo(db.session, facilities=120, inspectors=6, today=MONDAY)
    summary = publish_demo_schedule(db.session, days=3, time_limit=2, today=MONDAY)
    assert "published" in summary, summary
    response = client.post("/auth/login", data={"username": "inspector", "password": "inspector-demo-1"})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    route = routes.day_route(db.session, routes.inspector_of(db.session, _user()).user, MONDAY,
                             road_factor=current_runtime().road_factor)
    assert route.stops, "the demo inspector has stops today"
    for stop in route.stops:
        assert stop["facility"].name_ru in page
    assert "Реестр объектов" not in page


def _user():
    import sqlalchemy as sa

    from inspect_app.models import User

    return db.session.scalar(sa.select(User).where(User.username == "inspector"))

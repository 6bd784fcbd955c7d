"""Schedule pages: scoping, publishing from the page, the inspector's phone route."""

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Schedule
from tests.inspect_app.schedules.helpers import build


def test_supervisor_of_another_region_gets_404_on_pages(client, login, users, region_a, registry_a):
    """Are region A's schedule pages hidden from region B's supervisor?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor_b")
    for url in (f"/schedules/{schedule.id}", f"/schedules/{schedule.id}/export.json"):
        assert client.get(url).status_code == 404
    assert client.post(f"/schedules/{schedule.id}/publish").status_code == 404
    assert client.post(f"/schedules/{schedule.id}/edit", data={"action": "remove", "visit_id": "1"}).status_code == 404
    assert f'href="/schedules/{schedule.id}"' not in client.get("/schedules/").get_data(as_text=True)


def test_publish_from_the_page_shows_the_commitment(client, login, users, region_a, registry_a):
    """Does the publish button fix and show the commitment?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    response = client.post(f"/schedules/{schedule.id}/publish", follow_redirects=True)
    db.session.refresh(schedule)
    assert schedule.status == "published" and schedule.commitment in response.get_data(as_text=True)


def test_inspector_route_page(client, login, users, region_a, registry_a, inspector_user, monkeypatch):
    """Does /my/route list the inspector's stops in order with map and checklist links, and nothing else?"""
    from inspect_app.services.schedules import route as service

    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    client.post(f"/schedules/{schedule.id}/publish")
    own = sorted((v for v in schedule.visits if v.inspector_id == inspector_user.id), key=lambda v: (v.date, v.order))
    monkeypatch.setattr(service, "today_almaty", lambda: own[0].date)
    client.post("/auth/logout")
    login("inspector")
    text = client.get("/my/route").get_data(as_text=True)
    for visit in (v for v in own if v.date == own[0].date):
        assert f"/audits/new?facility={visit.facility_id}&amp;visit={visit.id}" in text
    others = [v for v in schedule.visits if v.inspector_id != inspector_user.id and v.date == own[0].date]
    for visit in others:
        assert f"visit={visit.id}\"" not in text
    assert client.get(f"/schedules/{schedule.id}").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Schedule.id))) == 1

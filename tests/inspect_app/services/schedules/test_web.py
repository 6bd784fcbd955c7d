"""Schedule pages: scoping, publishing from the page, the inspector's phone route."""


from inspect_app.extensions import db
from tests.inspect_app.services.schedules.helpers import build


def test_supervisor_of_another_region_gets_404_on_pages(client, login, users, region_a, registry_a):
    """Are region A's schedule pages hidden from region B's supervisor?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    link = f'href="/schedules/{schedule.id}"'
    login("supervisor")
    assert link in client.get("/schedules/").get_data(as_text=True)
    client.post("/auth/logout")
    login("supervisor_b")
    for url in (f"/schedules/{schedule.id}", f"/schedules/{schedule.id}/export.json"):
        assert client.get(url).status_code == 404
    assert client.post(f"/schedules/{schedule.id}/publish").status_code == 404
    assert client.post(f"/schedules/{schedule.id}/edit", data={"action": "remove", "visit_id": "1"}).status_code == 404
    assert link not in client.get("/schedules/").get_data(as_text=True)


def test_publish_from_the_page_shows_the_commitment(client, login, users, region_a, registry_a):
    """Does publishing ask first, saying what it does, and then fix and show the commitment?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    confirm = client.get(f"/schedules/{schedule.id}/publish").get_data(as_text=True)
    assert f"Посещений: {len(schedule.visits)}" in confirm and 'name="confirm" value="1"' in confirm
    # A route reaches its inspector on its own day only (or the evening before), never a day ahead.
    assert "увидит маршрут дня только в этот день" in confirm and "следующий рабочий день" not in confirm
    # A POST without the confirmation publishes nothing.
    client.post(f"/schedules/{schedule.id}/publish")
    db.session.refresh(schedule)
    assert schedule.status == "draft"
    response = client.post(f"/schedules/{schedule.id}/publish", data={"confirm": "1"}, follow_redirects=True)
    db.session.refresh(schedule)
    assert schedule.status == "published" and schedule.commitment in response.get_data(as_text=True)

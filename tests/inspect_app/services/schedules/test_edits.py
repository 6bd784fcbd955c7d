"""Hand edits of a draft: re-timed and re-validated, refused with the rule named, warned when predictable."""

import datetime as dt

from inspect_app.extensions import db
from inspect_app.services.schedules import engine as schedule_engine
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.conftest import START, absence
from tests.inspect_app.services.schedules.helpers import build


def _free_slot(schedule, visit):
    """An (inspector, date) other than the visit's own where nobody works yet."""
    busy = {(v.inspector_id, v.date) for v in schedule.visits}
    inspectors = sorted(int(i["id"][1:]) for i in schedule.problem["inspectors"])
    unavailable = {(int(i["id"][1:]), d) for i in schedule.problem["inspectors"] for d in i["unavailable_dates"]}
    for d in schedule.problem["dates"]:
        for ins in inspectors:
            day = dt.date.fromisoformat(d)
            if (ins, day) not in busy and (ins, d) not in unavailable:
                return ins, day
    raise AssertionError("no free inspector-day")


def test_valid_move_is_accepted_and_retimed(client, auth_headers, users, region_a, registry_a):
    """Is a move to a free inspector-day saved, re-timed and still valid?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    visit = schedule.visits[0]
    inspector, day = _free_slot(schedule, visit)
    response = client.post(f"/api/v1/schedules/{schedule.id}/edits", headers=auth_headers("supervisor"),
                           json={"action": "move", "visit_id": visit.id, "date": day.isoformat(),
                                 "inspector_id": inspector})
    assert response.status_code == 200, response.get_json()
    db.session.refresh(schedule)
    moved = next(v for v in schedule.visits if v.id == visit.id)
    assert (moved.inspector_id, moved.date, moved.order) == (inspector, day, 0)
    assert schedule.edited and schedule.original is not None
    assert schedule_engine.validate(schedule.problem, schedule.schedule) == []


def test_move_onto_an_absence_is_refused_with_the_rule(client, auth_headers, users, region_a, registry_a):
    """Is a move onto an inspector's absence refused, naming the rule, with nothing changed?"""
    away = registry_a[1][2]
    absence(away, START + dt.timedelta(days=2), START + dt.timedelta(days=2))
    _, (schedule,) = build(users["supervisor"], region_a)
    before = schedule.schedule
    visit = next(v for v in schedule.visits if v.inspector_id != away.id)
    response = client.post(f"/api/v1/schedules/{schedule.id}/edits", headers=auth_headers("supervisor"),
                           json={"action": "move", "visit_id": visit.id,
                                 "date": (START + dt.timedelta(days=2)).isoformat(), "inspector_id": away.id})
    assert response.status_code == 422
    assert "inspector_unavailable" in response.get_json()["errors"]["json"]["rules"]
    db.session.refresh(schedule)
    assert schedule.schedule == before and not schedule.edited


def test_remove_and_swap(client, auth_headers, users, region_a, registry_a):
    """Does removing a must-visit list it as unscheduled, and does a swap exchange two visits?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    first, second = schedule.visits[0], schedule.visits[-1]
    pair = ((first.id, first.inspector_id, first.date), (second.id, second.inspector_id, second.date))
    response = client.post(f"/api/v1/schedules/{schedule.id}/edits", headers=auth_headers("supervisor"),
                           json={"action": "swap", "visit_id": first.id, "other_visit_id": second.id})
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 200:
        db.session.refresh(schedule)
        now = {v.id: (v.inspector_id, v.date) for v in schedule.visits}
        assert now[pair[0][0]] == pair[1][1:] and now[pair[1][0]] == pair[0][1:]
    must = next(v for v in schedule.visits if v.must_visit)
    response = client.post(f"/api/v1/schedules/{schedule.id}/edits", headers=auth_headers("supervisor"),
                           json={"action": "remove", "visit_id": must.id})
    assert response.status_code == 200, response.get_json()
    db.session.refresh(schedule)
    assert f"F{must.facility_id}" in {u["facility"] for u in schedule.schedule["unscheduled"]}
    assert schedule_engine.validate(schedule.problem, schedule.schedule) == []


def test_pulling_visits_to_the_start_warns_in_the_ui(client, login, users, region_a):
    """Does the review page show the engine's predictability warning, in words, after visits are pulled early?"""
    for k in range(2):
        FacilityFactory(region=region_a, lat=43.25 + 0.003 * k, lon=76.95, type="sports_club")
    InspectorFactory(regions=[region_a], home_lat=43.24, home_lon=76.94, skills=["safety"])
    db.session.flush()
    for seed in range(40):
        _, (schedule,) = build(users["supervisor"], region_a, seed=seed)
        if all(v.date >= START + dt.timedelta(days=3) for v in schedule.visits):
            break
    else:
        raise AssertionError("no seed put both visits late")
    login("supervisor")
    for visit in list(schedule.visits):
        response = client.post(f"/schedules/{schedule.id}/edit", data={"action": "move", "visit_id": str(visit.id),
                                                                       "date": START.isoformat()},
                               follow_redirects=True)
        assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "посещения сдвинуты на более ранние даты" in text and "visits pulled earlier" not in text
    db.session.refresh(schedule)
    assert all(v.date == START for v in schedule.visits)

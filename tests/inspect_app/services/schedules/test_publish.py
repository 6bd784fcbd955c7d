"""After publishing: no horizon in the past, no silent overlap, explicit replacements, discarded drafts,
builds that hit the wall-clock cap, repeated commitments, and `fill` through the API and the CLI."""

import datetime as dt

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Schedule, ScheduleVisit
from inspect_app.services import schedules
from inspect_app.services.schedules.signals import live_visit_clause
from tests.inspect_app.services.schedules.conftest import START, TIME_LIMIT
from tests.inspect_app.services.schedules.helpers import build
from tests.runtime import set_runtime


def _publish(client, auth_headers, schedule, role="supervisor"):
    return client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers(role))


def test_a_horizon_in_the_past_is_refused_naming_start(client, auth_headers, users, region_a, registry_a,
                                                        monkeypatch):
    """Is a build for 06.01.2020 refused (422 naming start), and so is publishing a draft whose start has passed?"""
    response = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                           json={"start": "2020-01-06", "days": 5, "time_limit": TIME_LIMIT})
    assert response.status_code == 422 and "start" in response.get_json()["errors"]["json"]
    _, (draft,) = build(users["supervisor"], region_a)
    monkeypatch.setattr(schedules.publish, "today_almaty", lambda: START + dt.timedelta(days=1))
    late = _publish(client, auth_headers, draft)
    assert late.status_code == 422 and "start" in late.get_json()["errors"]["json"]
    db.session.refresh(draft)
    assert draft.status == "draft" and draft.commitment is None


def test_an_overlapping_publication_is_refused_naming_the_schedule(client, auth_headers, users, region_a,
                                                                    registry_a):
    """Does publishing a second schedule over a published one answer 409 naming it, and change nothing?"""
    _, (first,) = build(users["supervisor"], region_a, seed=7)
    assert _publish(client, auth_headers, first).status_code == 200
    _, (second,) = build(users["supervisor"], region_a, seed=8, days=3)
    response = _publish(client, auth_headers, second)
    assert response.status_code == 409 and f"график №{first.id}" in response.get_json()["message"]
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "published" and second.status == "draft"


def test_same_seed_twice_answers_409_not_500(client, auth_headers, users, region_a, registry_a):
    """Two builds with one seed give one commitment: is publishing the second a 409 that says so (was 500)?"""
    _, (first,) = build(users["supervisor"], region_a, seed=5)
    _, (second,) = build(users["supervisor"], region_a, seed=5)
    assert second.schedule["routes"] == first.schedule["routes"]
    assert _publish(client, auth_headers, first).status_code == 200
    response = _publish(client, auth_headers, second)
    assert response.status_code == 409
    assert f"График №{first.id} с теми же маршрутами" in response.get_json()["message"]
    db.session.refresh(second)
    assert second.status == "draft" and second.commitment is None


def test_replacement_from_a_date_names_the_superseded_schedule(client, auth_headers, users, region_a, registry_a):
    """Does a replacement apply from its date, keep the old days and both commitments, and hide the old later days?"""
    _, (old,) = build(users["supervisor"], region_a, seed=7)
    old_commitment = _publish(client, auth_headers, old).get_json()["commitment"]
    cut = START + dt.timedelta(days=2)
    kept_before = {v.facility_id for v in old.visits if v.date < cut}
    _, (new,) = build(users["supervisor"], region_a, seed=8, replaces=old.id, replace_from=cut)
    assert new.supersedes_id == old.id and new.effective_from == cut
    # Facilities the old schedule still visits before the cut are not planned again.
    planned = {e["facility_id"] for e in new.stats["excluded"] if e["reason"] == "planned"}
    assert planned == kept_before
    response = _publish(client, auth_headers, new)
    assert response.status_code == 200, response.get_json()
    db.session.refresh(old)
    assert old.status == "superseded" and old.superseded_from == cut and old.commitment == old_commitment
    live = db.session.execute(sa.select(ScheduleVisit.schedule_id, ScheduleVisit.date).join(Schedule)
                              .where(live_visit_clause(), Schedule.region_id == region_a.id)).all()
    assert {s for s, d in live if d < cut} <= {old.id} and {s for s, d in live if d >= cut} <= {new.id}
    assert any(s == old.id for s, _ in live) and any(s == new.id for s, _ in live)
    for commitment in (old_commitment, response.get_json()["commitment"]):
        assert client.get(f"/schedules/commitment/{commitment}").status_code == 200


def test_a_build_leaves_out_facilities_planned_in_a_published_schedule(users, region_a, registry_a, client,
                                                                        auth_headers):
    """Does next week's build skip the facilities this week's published schedule will visit?"""
    _, (week1,) = build(users["supervisor"], region_a, seed=7)
    assert _publish(client, auth_headers, week1).status_code == 200
    _, (week2,) = build(users["supervisor"], region_a, seed=9, start=START + dt.timedelta(days=7))
    planned = {e["facility_id"] for e in week2.stats["excluded"] if e["reason"] == "planned"}
    assert planned == {v.facility_id for v in week1.visits}
    assert not planned & {v.facility_id for v in week2.visits}


def test_a_discarded_draft_stays_on_record_and_cannot_be_published(client, auth_headers, users, region_a,
                                                                    registry_a, login):
    """Does discarding keep the row (status discarded) and refuse publishing it afterwards?"""
    _, (draft,) = build(users["supervisor"], region_a)
    login("supervisor")
    page = client.get(f"/schedules/{draft.id}/discard").get_data(as_text=True)
    assert "отклонён" in page
    client.post(f"/schedules/{draft.id}/discard", data={"confirm": "1"})
    db.session.refresh(draft)
    assert draft.status == "discarded" and draft.discarded_by_id == users["supervisor"].id and draft.visits
    assert _publish(client, auth_headers, draft).status_code == 409


def test_a_build_that_hit_the_cap_is_marked_and_cannot_be_published(client, auth_headers, users, region_a,
                                                                     registry_a, login):
    """Is a draft whose engine run stopped at the wall-clock cap marked, and refused with 409 until rebuilt?"""
    _, (draft,) = build(users["supervisor"], region_a)
    draft.schedule = {**draft.schedule, "stats": {**draft.schedule["stats"], "hit_wall_clock_cap": True}}
    db.session.commit()
    response = _publish(client, auth_headers, draft)
    assert response.status_code == 409 and "перестройте график" in response.get_json()["message"]
    login("supervisor")
    assert 'id="hit-cap"' in client.get(f"/schedules/{draft.id}").get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.status == "draft"


def test_builds_run_with_the_wall_clock_cap_only_as_a_safety_net(app, users, region_a, registry_a, monkeypatch):
    """Do builds pass the deployment's cap setting to the engine (production: on, as the engine's safety net)?"""
    seen = []
    real = schedules.engine.solve

    def spy(problem, seed, time_limit, wall_clock_cap=True, progress=None):
        seen.append(wall_clock_cap)
        return real(problem, seed, time_limit, wall_clock_cap, progress)

    monkeypatch.setattr(schedules.engine, "solve", spy)
    set_runtime(monkeypatch, app, schedule_wall_clock_cap=True)
    build(users["supervisor"], region_a)
    assert seen == [True]


def test_fill_goes_through_the_api_into_the_problem(client, auth_headers, users, region_a, registry_a):
    """Is fill bounded 0..1 by the API and passed to the problem as top-level fill?"""
    bad = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                      json={"start": START.isoformat(), "fill": 1.5, "time_limit": TIME_LIMIT})
    assert bad.status_code == 422 and "fill" in bad.get_json()["errors"]["json"]
    ok = client.post("/api/v1/schedules/", headers=auth_headers("supervisor"),
                     json={"start": START.isoformat(), "fill": 0.3, "seed": 3, "time_limit": TIME_LIMIT})
    assert ok.status_code == 202
    schedule = db.session.scalar(sa.select(Schedule).order_by(Schedule.id.desc()))
    assert schedule.problem["fill"] == 0.3 and schedule.fill == 0.3
    _, (default,) = build(users["supervisor"], region_a, seed=4)
    assert default.problem["fill"] == 0.5


def test_fill_on_the_cli(app, runner, region_a, registry_a):
    """Does `flask schedule build --fill` reach the problem, and is an out-of-range fill refused?"""
    args = ["schedule", "build", "--region", region_a.kato, "--start", START.isoformat(), "--seed", "2",
            "--time-limit", str(TIME_LIMIT)]
    assert runner.invoke(args=[*args, "--fill", "1.5"]).exit_code != 0
    result = runner.invoke(args=[*args, "--fill", "0.2"])
    assert result.exit_code == 0, result.output
    schedule = db.session.scalar(sa.select(Schedule).order_by(Schedule.id.desc()))
    assert schedule.problem["fill"] == 0.2

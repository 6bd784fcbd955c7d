"""Registry -> problem: who is due, when places are open, who may go, checked by the engine's parser and validator."""

import datetime as dt

from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.schedules import engine as schedule_engine
from inspect_app.services.schedules.problem import open_dates_and_windows, service_minutes
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.conftest import START, absence, conflict


def _problem(region, days=5):
    return schedules.region_problem(db.session, region, START, days, runtime=current_runtime())


def _facility(build, facility):
    return next((f for f in build.problem["facilities"] if f["id"] == f"F{facility.id}"), None)


def test_due_rules_by_interval_never_inspected_and_followup(app, region_a):
    """Is a facility must-visit exactly when never inspected, past its risk interval or due a follow-up?"""
    horizon_end = START + dt.timedelta(days=4)
    never = FacilityFactory(region=region_a, last_inspection_date=None)
    high_due = FacilityFactory(region=region_a, risk="high", last_inspection_date=horizon_end - dt.timedelta(days=90))
    high_fresh = FacilityFactory(region=region_a, risk="high", last_inspection_date=horizon_end - dt.timedelta(days=89))
    low_fresh = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=200))
    low_due = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=400))
    followup = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=10),
                               followup_due_date=START + dt.timedelta(days=2))
    later_followup = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=10),
                                     followup_due_date=START + dt.timedelta(days=30))
    InspectorFactory(regions=[region_a])
    build = _problem(region_a)
    must = {f["id"]: f["must_visit"] for f in build.problem["facilities"]}
    assert must[f"F{never.id}"] and must[f"F{high_due.id}"] and must[f"F{low_due.id}"] and must[f"F{followup.id}"]
    assert not must[f"F{high_fresh.id}"] and not must[f"F{low_fresh.id}"] and not must[f"F{later_followup.id}"]
    assert build.due[never.id] == "never_inspected" and build.due[followup.id] == "followup"
    # A follow-up is not checked before its own date.
    assert _facility(build, followup)["dates"] == [(START + dt.timedelta(days=k)).isoformat() for k in (2, 3, 4)]
    # Not-due facilities stay in the lottery, weighted by risk.
    assert _facility(build, high_fresh)["weight"] == 3.0 and _facility(build, low_fresh)["weight"] == 1.0
    schedule_engine.parse_problem(build.problem)


def test_interval_is_configurable(app, region_a, monkeypatch):
    """Does INSPECTION_INTERVAL_DAYS decide when a facility falls due?"""
    facility = FacilityFactory(region=region_a, risk="medium", last_inspection_date=START - dt.timedelta(days=100))
    InspectorFactory(regions=[region_a])
    assert not _facility(_problem(region_a), facility)["must_visit"]
    monkeypatch.setitem(app.config["INSPECTION_INTERVAL_DAYS"], "medium", 60)
    assert _facility(_problem(region_a), facility)["must_visit"]


def test_camp_season_archived_and_closed(app, region_a):
    """Are camps limited to their season, and archived or closed facilities left out?"""
    camp_in = FacilityFactory(region=region_a, type="summer_camp", season_start="03-05", season_end="08-31",
                              opening_hours={d: [["09:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri")})
    camp_out = FacilityFactory(region=region_a, type="summer_camp", season_start="06-01", season_end="08-31")
    archived = FacilityFactory(region=region_a, archived_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    closed = FacilityFactory(region=region_a, status="closed")
    InspectorFactory(regions=[region_a])
    build = _problem(region_a)
    assert _facility(build, camp_in)["dates"] == [(START + dt.timedelta(days=k)).isoformat() for k in (2, 3, 4)]
    assert _facility(build, camp_in)["skills"] == ["safety", "nutrition", "health"]
    assert all(_facility(build, f) is None for f in (camp_out, archived, closed))
    reasons = {e["facility_id"]: e["reason"] for e in build.excluded}
    assert reasons == {camp_out.id: "out_of_season", closed.id: "closed"}


def test_opening_hours_give_dates_and_common_windows(app):
    """Do opening hours become the open dates and the windows common to all of them?"""
    days = [START + dt.timedelta(days=k) for k in range(6)]  # Monday..Saturday
    hours = {"mon": [["08:00", "18:00"]], "wed": [["09:00", "13:00"], ["14:00", "17:00"]], "sat": [["10:00", "14:00"]]}
    dates, windows = open_dates_and_windows(hours, days, 60)
    assert dates == [days[0], days[2], days[5]]
    assert windows == [{"from": "10:00", "to": "13:00"}]
    # When the common part cannot hold the visit, the most frequent hours and their dates win.
    dates, windows = open_dates_and_windows(hours, days, 200)
    assert dates == [days[0]] and windows == [{"from": "08:00", "to": "18:00"}]
    assert service_minutes("school", 1200) == 150 and service_minutes("sports_club", 100) == 60


def test_absences_conflicts_and_archived_inspectors(app, region_a):
    """Do absences become unavailable dates, conflicts exclusions, and archived inspectors vanish?"""
    facility = FacilityFactory(region=region_a)
    present = InspectorFactory(regions=[region_a])
    away = InspectorFactory(regions=[region_a])
    gone = InspectorFactory(regions=[region_a], archived_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    absence(away, START + dt.timedelta(days=1), START + dt.timedelta(days=2))
    conflict(present, facility)
    build = _problem(region_a)
    inspectors = {i["id"]: i for i in build.problem["inspectors"]}
    assert f"I{gone.id}" not in inspectors
    away_dates = [(START + dt.timedelta(days=k)).isoformat() for k in (1, 2)]
    assert inspectors[f"I{away.id}"]["unavailable_dates"] == away_dates
    assert _facility(build, facility)["excluded_inspectors"] == [f"I{present.id}"]


def test_solved_problem_passes_the_engine_validator_and_breaking_it_is_caught(app, region_a, registry_a):
    """Does a solved conversion validate, and does the validator name a visit on a closed day?"""
    build = _problem(region_a)
    schedule = schedule_engine.solve(build.problem, 5, 2)
    assert schedule_engine.validate(build.problem, schedule) == []
    route = schedule["routes"][0]
    facility = next(f for f in build.problem["facilities"] if f["id"] == route["stops"][0]["facility"])
    facility["dates"] = [d for d in build.problem["dates"] if d != route["date"]]
    broken = dict(schedule, problem_sha256=schedule_engine.problem_sha256(build.problem))
    rules = {e["rule"] for e in schedule_engine.validate(build.problem, broken)}
    assert rules == {"facility_dates"}

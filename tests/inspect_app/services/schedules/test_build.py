"""Building schedules end to end: CLI, determinism, failures and cancellation leave nothing."""

import json

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Job, Schedule
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.schedules import engine as schedule_engine
from tests.inspect_app.services.schedules.conftest import START, TIME_LIMIT


def _build(user, region, seed=7):
    from inspect_app.services.jobs import submit

    params, _ = schedules.check_build(db.session, user, {"region": region.kato, "start": START, "days": 5,
                                                         "seed": seed, "time_limit": TIME_LIMIT}, current_runtime())
    return submit(db.session, user, "schedule_build", params.as_job_params(), region_id=region.id,
                  runtime=current_runtime())


def test_cli_build_produces_a_valid_schedule(runner, users, region_a, registry_a, tmp_path):
    """Does `flask schedule build` save a draft that the engine's validator accepts, and export it?"""
    result = runner.invoke(args=["schedule", "build", "--region", region_a.kato, "--start", START.isoformat(),
                                 "--days", "5", "--seed", "3", "--time-limit", str(TIME_LIMIT)])
    assert result.exit_code == 0, result.output
    schedule = db.session.scalar(sa.select(Schedule))
    assert schedule.status == "draft" and schedule.seed == 3
    assert schedule_engine.validate(schedule.problem, schedule.schedule) == []
    assert schedule.stats["must_visit_scheduled"] == schedule.stats["must_visit"] == 10
    assert len(schedule.visits) == sum(len(r["stops"]) for r in schedule.schedule["routes"])
    out = tmp_path / "s.json"
    result = runner.invoke(args=["schedule", "export", str(schedule.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == schedule.schedule
    out = tmp_path / "p.json"
    result = runner.invoke(args=["schedule", "problem", str(schedule.id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert schedule_engine.problem_sha256(json.loads(out.read_text())) == schedule.schedule["problem_sha256"]


def _visible_stats(schedule_json):
    return {**schedule_json, "stats": {k: v for k, v in schedule_json["stats"].items()
                                       if k not in ("solve_seconds", "hit_wall_clock_cap", "workers")}}


def test_same_seed_gives_the_same_schedule(users, region_a, registry_a):
    """Do two builds with one seed give the same routes and the same commitment?"""
    from tests.inspect_app.services.schedules.helpers import build

    _, (first,) = build(users["supervisor"], region_a, seed=42)
    _, (second,) = build(users["supervisor"], region_a, seed=42)
    assert _visible_stats(first.schedule) == _visible_stats(second.schedule)
    assert schedule_engine.commitment(first.schedule) == schedule_engine.commitment(second.schedule)


def test_failing_build_leaves_no_schedule(users, region_a, registry_a, monkeypatch):
    """Does a solver crash end the job as failed with nothing saved?"""
    from tests.inspect_app.services.schedules.helpers import build

    def explode(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(schedules.engine, "solve", explode)
    job, saved = build(users["supervisor"], region_a)
    assert job.status == "failed" and "solver exploded" in job.error and "solver exploded" not in job.message
    assert saved == [] and db.session.scalar(sa.select(sa.func.count(Schedule.id))) == 0


def test_cancelled_build_leaves_no_schedule(users, region_a, registry_a, monkeypatch):
    """Does a cancel requested while solving end the job as cancelled with nothing saved?"""
    from sqlalchemy.orm import Session

    from tests.inspect_app.services.schedules.helpers import build

    real = schedules.engine.solve

    def solve_then_cancel(*args, **kwargs):
        result = real(*args, **kwargs)
        with Session(db.engine) as side:
            side.execute(sa.update(Job).values(cancel_requested=True))
            side.commit()
        return result

    monkeypatch.setattr(schedules.engine, "solve", solve_then_cancel)
    job, saved = build(users["supervisor"], region_a)
    assert job.status == "cancelled"
    assert saved == [] and db.session.scalar(sa.select(sa.func.count(Schedule.id))) == 0


def test_national_build_equals_per_region_builds_with_derived_seeds(users, region_a, region_b):
    """Does a national build give each region what a one-region build with the derived seed gives?"""
    from tests.factories import RegionFactory
    from tests.inspect_app.services.schedules.conftest import make_region_registry
    from tests.inspect_app.services.schedules.helpers import build

    region_c = RegionFactory(kato="550000000")
    make_region_registry(region_a, n_facilities=8, n_inspectors=2, seed=1, centre=(43.25, 76.95))
    make_region_registry(region_b, n_facilities=8, n_inspectors=2, seed=2, centre=(43.30, 76.90))
    make_region_registry(region_c, n_facilities=8, n_inspectors=2, seed=3, centre=(52.28, 76.96))
    job, national = build(users["admin"], None, seed=2024)
    assert job.status == "finished", job.message
    assert sorted(s.region.kato for s in national) == sorted([region_a.kato, region_b.kato, region_c.kato])
    assert len({s.batch for s in national}) == 1 and national[0].national_seed == 2024
    for schedule in national:
        seed = schedules.derive_seed(2024, schedule.region.kato)
        assert schedule.seed == seed
        _, (alone,) = build(users["admin"], schedule.region, seed=seed)
        assert alone.problem == schedule.problem
        assert _visible_stats(alone.schedule) == _visible_stats(schedule.schedule)


def test_ui_build_redirects_to_the_job_and_saves_a_valid_draft(client, login, region_a, registry_a):
    """Does the build form start a job, redirect to its page, and leave a schedule to review?"""
    login("supervisor")
    response = client.post("/schedules/build", data={"start": START.isoformat(), "days": "5", "seed": "9",
                                                     "time_limit": str(TIME_LIMIT)})
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    schedule = db.session.scalar(sa.select(Schedule))
    assert schedule.seed == 9 and schedule.region_id == region_a.id
    assert schedule_engine.validate(schedule.problem, schedule.schedule) == []
    page = client.get(f"/schedules/{schedule.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="schedule-map"' in text and "/vendor/leaflet/leaflet.js" in text
    assert schedule.visits[0].facility.name_ru in text
    assert client.get("/schedules/").status_code == 200

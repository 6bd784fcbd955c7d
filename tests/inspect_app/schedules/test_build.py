"""Building schedules end to end: CLI, determinism, failures and cancellation leave nothing."""

import json

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Schedule
from inspect_app.services import schedule_engine, schedules
from tests.inspect_app.schedules.conftest import START, TIME_LIMIT


def _build(user, region, seed=7):
    from inspect_app.services.jobs import submit

    params, _ = schedules.check_build(db.session, user, {"region": region.kato, "start": START, "days": 5,
                                                         "seed": seed, "time_limit": TIME_LIMIT})
    return submit(db.session, user, "schedule_build", params.as_job_params(), region_id=region.id)


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

"""Does the app start the way its README says, with safe configuration and working jobs?"""

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import ProductionConfig
from inspect_app import create_app
from inspect_app.extensions import db
from inspect_app.models import Facility, Job, User
from inspect_app.runtime import current_runtime
from inspect_app.services import jobs
from tests.factories import FacilityFactory

ROOT = Path(__file__).resolve().parents[2]


def test_production_refuses_the_development_secret_key(monkeypatch):
    """Would production start with the secret key that is in the repository?"""
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "dev-only-not-secret")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_plain_flask_command_finds_the_app_from_the_repository_root():
    """Does `flask routes` work without --app (through wsgi.py), as the README promises?"""
    flask = Path(sys.executable).with_name("flask")
    result = subprocess.run([str(flask), "routes"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": str(flask.parent), "DATABASE_URL": "sqlite://"})
    assert result.returncode == 0, result.stderr
    assert "/api/v1/facilities/" in result.stdout


def test_kazakh_interface_on_request(client):
    """Does ?lang=kk switch the interface to Kazakh and keep it for the session?"""
    client.get("/auth/login?lang=kk")
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="kk"' in page


def test_demo_seed_builds_a_registry_and_prints_logins(runner):
    """Does `flask demo seed` load facilities, inspectors and demo users, and tell how to log in?"""
    result = runner.invoke(args=["demo", "seed", "--facilities", "60", "--inspectors", "4", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Demo logins" in result.output and "supervisor-demo-1" in result.output
    # The capacity page has a what-if to show beside today's figures.
    assert "Demo what-if (medium risk every 120 days" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) >= 60
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    assert supervisor.region.kato == "190000000"
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "skipped" in again.output


@jobs.task("test_write")
def _write_task(session, job, params, report, runtime):
    report(0.5, "writing")
    FacilityFactory(name_ru=params["name"])
    if params.get("fail"):
        raise RuntimeError("boom")
    return {"written": params["name"]}


@jobs.task("test_cancel")
def _cancel_task(session, job, params, report, runtime):
    FacilityFactory(name_ru="never saved")
    session.execute(sa.update(Job).where(Job.id == job.id).values(cancel_requested=True))
    report(0.1, "checking for cancellation")
    return {}


def _names():
    return set(db.session.scalars(sa.select(Facility.name_ru)))


def test_finished_job_keeps_its_result_and_progress(app):
    """Does a finished job report 100 % and keep what its task wrote?"""
    with app.test_request_context():
        job = jobs.submit(db.session, None, "test_write", {"name": "Школа из задания"}, runtime=current_runtime())
    assert job.status == "finished" and job.progress == 1.0
    assert job.result == {"written": "Школа из задания"}
    assert "Школа из задания" in _names()


def test_failed_job_leaves_nothing_half_written(app):
    """When a task fails midway, is its partial work rolled back and the failure shown?"""
    with app.test_request_context():
        job = jobs.submit(db.session, None, "test_write", {"name": "Полузаписанная", "fail": True},
                          runtime=current_runtime())
    assert job.status == "failed" and "boom" not in job.message and "boom" in job.error
    assert "Полузаписанная" not in _names()


def test_cancelled_job_saves_nothing(app):
    """Does cancelling a running job stop it at its next progress report and discard its work?"""
    with app.test_request_context():
        job = jobs.submit(db.session, None, "test_cancel", {}, runtime=current_runtime())
    assert job.status == "cancelled"
    assert "never saved" not in _names()


def test_migrations_build_the_schema_the_models_describe(tmp_path):
    """Does `flask db upgrade` on an empty database leave nothing for autogenerate to add?"""
    flask = Path(sys.executable).with_name("flask")
    env = {"PATH": str(flask.parent), "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "FLASK_APP": "inspect_app"}
    upgrade = subprocess.run([str(flask), "db", "upgrade"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                             env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    check = subprocess.run([str(flask), "db", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env=env)
    assert check.returncode == 0, check.stdout + check.stderr

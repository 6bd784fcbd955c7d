"""`flask schedule`: build, list, export and publish surprise-inspection schedules."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.cli.common import reading_user, service_errors, system_user, write_json
from inspect_app.extensions import db
from inspect_app.models import Job, JobStatus
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.schedules import read_log

schedule_cli = AppGroup("schedule", help="Build, export and publish surprise-inspection schedules.")


@schedule_cli.command("build")
@click.option("--region", help="Region KATO code; without it, a national build of every region.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="First date, YYYY-MM-DD.")
@click.option("--days", type=int, default=5, show_default=True, help="Working days in the horizon.")
@click.option("--seed", type=int, help="Random seed (default: a fresh random one, printed).")
@click.option("--time-limit", type=float, help="Solver seconds per region.")
@click.option("--fill", type=click.FloatRange(0, 1), help="Share of spare capacity for extra unannounced visits "
                                                          "(default SCHEDULE_FILL, 0.5).")
def schedule_build(region: str | None, start, days: int, seed: int | None, time_limit: float | None,
                   fill: float | None):
    """Build a draft schedule as a job and wait for it here."""
    data = {"region": region, "start": start.date(), "days": days, "seed": seed, "time_limit": time_limit,
            "fill": fill}
    if not current_app.config.get("REDIS_URL"):
        # Without workers the command itself runs the job and waits, instead of a thread it would outlive.
        current_app.config["JOBS_INLINE"] = True
    user = system_user()
    with service_errors():
        job = schedules.submit_build(db.session, user, data, current_runtime())
    params = schedules.BuildParams.from_job_params(job.params)
    click.echo(f"Job {job.id}: region {params.region or 'all'}, seed {params.seed}, "
               f"time limit {params.time_limit:g} s, fill {params.fill:g}", err=True)
    if current_app.config.get("REDIS_URL"):
        click.echo("Queued for the RQ workers (`flask jobs worker`); follow it at /jobs/" + job.id, err=True)
        return
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    if job.status != JobStatus.FINISHED:
        raise click.ClickException(f"the build {job.status}: {job.message}")
    for schedule_id in job.result["schedule_ids"]:
        s = schedules.get_schedule(db.session, user, schedule_id)
        click.echo(f"Schedule {s.id}: region {s.region.kato}, {s.start_date}..{s.end_date}, seed {s.seed}, "
                   f"must-visit {s.stats.get('must_visit_scheduled')}/{s.stats.get('must_visit')}, "
                   f"{len(s.visits)} visits, {s.stats.get('travel_km')} km")


@schedule_cli.command("export")
@click.argument("schedule_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout).")
def schedule_export(schedule_id: int, output: Path | None):
    """Write a schedule in the engine's JSON format (`python -m scheduler validate` reads it)."""
    _write_schedule_json(schedule_id, output, "export", schedules.export_schedule)


@schedule_cli.command("problem")
@click.argument("schedule_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout).")
def schedule_problem(schedule_id: int, output: Path | None):
    """Write the problem a schedule was built from, for an auditor to re-solve."""
    _write_schedule_json(schedule_id, output, "problem", schedules.export_problem)


def _write_schedule_json(schedule_id: int, output: Path | None, command: str, render) -> None:
    """Write `render(schedule)` as JSON; the read goes into the access log like a download from the page."""
    with service_errors():
        s = schedules.get_schedule(db.session, reading_user(), schedule_id)
    read_log.record(db.session, None, "export", schedule=s, what=f"flask schedule {command}")
    write_json(render(s), output)


@schedule_cli.command("publish")
@click.argument("schedule_id", type=int)
def schedule_publish(schedule_id: int):
    """Publish a draft schedule and print its commitment."""
    user = system_user()
    with service_errors():
        s = schedules.publish_schedule(db.session, user, schedules.get_schedule(db.session, user, schedule_id))
    click.echo(s.commitment)


@schedule_cli.command("discard")
@click.argument("schedule_id", type=int)
def schedule_discard(schedule_id: int):
    """Mark a draft discarded (kept on record, never published)."""
    user = system_user()
    with service_errors():
        s = schedules.discard_schedule(db.session, user, schedules.get_schedule(db.session, user, schedule_id))
    click.echo(f"Schedule {s.id} discarded")


@schedule_cli.command("list")
@click.option("--region", help="Region KATO code.")
def schedule_list(region: str | None):
    """List schedules, newest first."""
    for s in db.session.scalars(schedules.schedule_query(reading_user(), {"region": region})):
        click.echo(f"{s.id}\t{s.region.kato}\t{s.start_date}..{s.end_date}\t{s.status}\tseed {s.seed}"
                   f"\t{s.commitment or ''}")

"""`flask jobs`: RQ workers for background jobs."""

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--queue", help="Queue name (default: RQ_QUEUE).")
def jobs_worker(burst: bool, queue: str | None):
    """Run an RQ worker on the configured queue (needs REDIS_URL)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("set REDIS_URL to run workers.")
    from redis import Redis
    from rq import Queue

    from inspect_app.worker import JobWorker

    connection = Redis.from_url(url)
    # RQ's maintenance (and with it the app's sweep of jobs whose runner died) as often as a job can be declared
    # dead, rather than RQ's ten minutes: a killed worker's job is failed by the workers still alive. An idle
    # worker wakes from its wait for the queue every worker_ttl - 15 s, so that is set to match.
    every = max(10, int(current_app.config.get("JOB_DEAD_AFTER_SECONDS") or 60))
    worker = JobWorker([Queue(queue or current_app.config["RQ_QUEUE"], connection=connection)], connection=connection,
                       maintenance_interval=every, worker_ttl=every + 15)
    if current_app.config.get("NOTIFY_PUMP"):
        from inspect_app import notify_pump

        notify_pump.start(current_app._get_current_object())  # retries, digests, weekly summaries
    worker.work(burst=burst)


@jobs_cli.command("sweep")
def jobs_sweep():
    """End jobs whose worker died (no heartbeat, or RQ gave up on them) as failed; for cron, besides the
    sweeps that running workers and job reads already do."""
    from inspect_app.extensions import db
    from inspect_app.runtime import current_runtime
    from inspect_app.services.jobs import sweep_dead_jobs

    click.echo(f"{sweep_dead_jobs(db.session, current_runtime())} job(s) ended as failed or cancelled")

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
    from rq import Queue, Worker

    connection = Redis.from_url(url)
    worker = Worker([Queue(queue or current_app.config["RQ_QUEUE"], connection=connection)], connection=connection)
    worker.work(burst=burst)

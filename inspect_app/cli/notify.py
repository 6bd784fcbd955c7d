"""`flask notify run`: send the outbox once (e-mails, webhook deliveries, due digests and weekly summaries)."""

import click
from flask import current_app
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="E-mail and webhook notifications.")


@notify_cli.command("run")
def notify_run():
    """Send everything due now, then exit (the app's thread or the workers do this on their own)."""
    from inspect_app.notify_pump import run_once

    counts = run_once(current_app._get_current_object())
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))

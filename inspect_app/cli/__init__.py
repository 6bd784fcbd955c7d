"""`flask` commands: thin wrappers over the same services the views use, one module per command group."""

from flask import Flask

from inspect_app.cli.audit import audit_cli
from inspect_app.cli.calendar import calendar_cli
from inspect_app.cli.capacity import capacity_cli
from inspect_app.cli.checklists import checklists_cli
from inspect_app.cli.demo import demo_cli
from inspect_app.cli.jobs import jobs_cli
from inspect_app.cli.notify import notify_cli
from inspect_app.cli.registry import registry_cli
from inspect_app.cli.report import report_cli
from inspect_app.cli.schedule import schedule_cli
from inspect_app.cli.stats import stats_cli
from inspect_app.cli.users import users_cli

GROUPS = (registry_cli, demo_cli, users_cli, schedule_cli, jobs_cli, notify_cli, stats_cli, checklists_cli, audit_cli,
          report_cli, calendar_cli, capacity_cli)


def init_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    for group in GROUPS:
        app.cli.add_command(group)

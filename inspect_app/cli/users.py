"""`flask users`: create users and issue API tokens."""

import click
from flask.cli import AppGroup

from inspect_app.cli.common import service_errors
from inspect_app.extensions import db
from inspect_app.services.users import create_user, get_user_by_username, issue_token

users_cli = AppGroup("users", help="Users and API tokens.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "ministry", "supervisor", "inspector"]), required=True)
@click.option("--region", help="Region KATO code (supervisors and inspectors).")
@click.option("--name", default="", help="Full name.")
@click.password_option()
def users_create(username: str, role: str, region: str | None, name: str, password: str):
    """Create a user."""
    with service_errors():
        create_user(db.session, username, password, role, region, name)
    click.echo(f"Created {role} {username}.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="A label for the token.")
@click.option("--days", default=365, show_default=True, help="Validity in days (0: never expires).")
def users_token(username: str, name: str, days: int):
    """Issue an API token for a user and print it once."""
    with service_errors():
        user = get_user_by_username(db.session, username)
    click.echo(issue_token(db.session, user, name, days or None))

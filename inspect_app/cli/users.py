"""`flask users`: create users, set passwords, (de)activate them, and issue, list and revoke API tokens."""

import click
from flask.cli import AppGroup

from inspect_app.cli.common import service_errors
from inspect_app.extensions import db
from inspect_app.i18n import to_almaty
from inspect_app.services import users as service

users_cli = AppGroup("users", help="Users and API tokens.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "ministry", "supervisor", "inspector"]), required=True)
@click.option("--region", help="Region KATO code (supervisors and inspectors).")
@click.option("--name", default="", help="Full name.")
@click.password_option()
def users_create(username: str, role: str, region: str | None, name: str, password: str):
    """Create a user (the password: 10+ characters, not a common or guessable one)."""
    with service_errors():
        service.create_user(db.session, username, password, role, region, name)
    click.echo(f"Created {role} {username}.")


@users_cli.command("password")
@click.argument("username")
@click.password_option()
def users_password(username: str, password: str):
    """Set a user's password; every session they had ends and their API tokens are revoked."""
    with service_errors():
        revoked = service.set_password(db.session, service.get_user_by_username(db.session, username), password)
    click.echo(f"Password of {username} changed; their sessions have ended; {_tokens(revoked)} revoked.")


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username: str):
    """Stop a user from signing in or using the API (sessions end; API tokens are revoked, also for a reactivation)."""
    revoked = _set_active(username, False)
    click.echo(f"Deactivated {username}; their sessions have ended; {_tokens(revoked)} revoked.")


@users_cli.command("reactivate")
@click.argument("username")
def users_reactivate(username: str):
    """Let a deactivated user sign in again (their old API tokens stay revoked; issue new ones)."""
    _set_active(username, True)
    click.echo(f"Reactivated {username}.")


def _set_active(username: str, active: bool) -> int:
    with service_errors():
        return service.set_active(db.session, service.get_user_by_username(db.session, username), active)


def _tokens(count: int) -> str:
    return f"{count} API token{'' if count == 1 else 's'}"


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="A label for the token.")
@click.option("--days", default=service.TOKEN_DEFAULT_DAYS, show_default=True,
              help=f"Validity in days, 1..{service.TOKEN_MAX_DAYS} (every token expires).")
def users_token(username: str, name: str, days: int):
    """Issue an API token for a user and print it once."""
    with service_errors():
        user = service.get_user_by_username(db.session, username)
        token = service.issue_token(db.session, user, name, days)
    click.echo(token)


@users_cli.command("tokens")
@click.argument("username")
def users_tokens(username: str):
    """List a user's API tokens: id, label, created and expiry (Asia/Almaty); the tokens themselves are not kept."""
    with service_errors():
        tokens = service.list_tokens(db.session, service.get_user_by_username(db.session, username))
    if not tokens:
        click.echo(f"{username} has no API tokens.")
    for token in tokens:
        click.echo(f"{token.id:>6}  {token.name or '-':<20} created {_when(token.created_at)}  "
                   f"expires {_when(token.expires_at)}")


@users_cli.command("revoke")
@click.argument("username")
@click.argument("token_id", type=int, required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the user.")
def users_revoke(username: str, token_id: int | None, revoke_all: bool):
    """Revoke one API token by its id (see `flask users tokens`), or all of them with --all."""
    if (token_id is None) == (not revoke_all):
        raise click.UsageError("Give either a TOKEN_ID or --all.")
    with service_errors():
        user = service.get_user_by_username(db.session, username)
        if revoke_all:
            count = service.revoke_all_tokens(db.session, user)
            click.echo(f"Revoked {count} token(s) of {username}.")
        else:
            service.revoke_token(db.session, user, token_id)
            click.echo(f"Revoked token {token_id} of {username}.")


def _when(value) -> str:
    return to_almaty(value).strftime("%Y-%m-%d %H:%M") if value else "never"

"""`flask` commands: thin wrappers over the same services the views use."""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from inspect_app.extensions import db
from inspect_app.models import User
from inspect_app.services.errors import ServiceError

registry_cli = AppGroup("registry", help="Import, export and de-duplicate the facility registry.")
demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="Users and API tokens.")


def init_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    from inspect_app.cli_audits import GROUPS as audit_groups
    from inspect_app.cli_schedules import jobs_cli, schedule_cli
    from inspect_app.cli_stats import stats_cli

    for group in (registry_cli, demo_cli, users_cli, schedule_cli, jobs_cli, stats_cli, *audit_groups):
        app.cli.add_command(group)


def system_user() -> User:
    """The acting user of CLI commands: the first admin (the CLI is run by whoever runs the server)."""
    user = db.session.scalar(sa.select(User).where(User.role == "admin").order_by(User.id))
    if user is None:
        user = User(username="system", role="admin", full_name="System (CLI)", active=False)
        user.set_password(__import__("secrets").token_urlsafe(24))
        db.session.add(user)
        db.session.commit()
    return user


def fail(error: ServiceError) -> None:
    """Print a service error the way a person reads it and exit 1."""
    fields = "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in error.errors.items()) if error.errors else ""
    click.echo(f"Error: {error.message}" + (f" ({fields})" if fields and fields not in error.message else ""),
               err=True)
    sys.exit(1)


@registry_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partial", is_flag=True, help="Import the valid rows and write the others to a rejects file.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help="Where to write rejected rows.")
def registry_import(path: Path, partial: bool, rejects: Path | None):
    """Import facilities from a CSV, XLSX, JSON or GeoJSON file (updates by BIN)."""
    from exports.tabular import write_csv
    from inspect_app.services.registry_io import import_registry

    try:
        with path.open("rb") as fp:
            result = import_registry(db.session, system_user(), fp, path.name, partial=partial,
                                     max_rows=current_app.config["IMPORT_MAX_ROWS"])
    except ServiceError as exc:
        fail(exc)
    for error in result.errors[:200]:
        click.echo(str(error), err=True)
    if len(result.errors) > 200:
        click.echo(f"... and {len(result.errors) - 200} more errors", err=True)
    if result.rejects:
        target = rejects or path.with_name(path.stem + ".rejects.csv")
        columns = list(dict.fromkeys(k for row in result.rejects for k in row))
        with target.open("wb") as fp:
            write_csv(iter(result.rejects), [(c, c) for c in columns], fp)
        click.echo(f"{len(result.rejects)} rejected rows written to {target}", err=True)
    if not result.committed:
        click.echo(f"Nothing imported: {len(result.errors)} error(s) in {result.rows} rows.", err=True)
        sys.exit(1)
    click.echo(f"Imported {result.rows} rows: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged, {result.rejected} rejected.")


@registry_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson", "json"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@click.option("--region", help="Region KATO code.")
@click.option("--type", "type_", help="Facility type.")
def registry_export(fmt: str, output: Path | None, region: str | None, type_: str | None):
    """Export the registry, filtered, as CSV, XLSX, GeoJSON or JSON."""
    from inspect_app.services.registry_io import export_registry

    args = {"region": region, "type": type_}
    try:
        if output is None:
            export_registry(db.session, system_user(), fmt, sys.stdout.buffer, args)
        else:
            with output.open("wb") as fp:
                export_registry(db.session, system_user(), fmt, fp, args)
            click.echo(f"Wrote {output}", err=True)
    except ServiceError as exc:
        fail(exc)


@registry_cli.command("duplicates")
def registry_duplicates():
    """Scan the registry for likely duplicates and list the open candidates."""
    from inspect_app.services.duplicates import candidate_query, find_duplicates

    user = system_user()
    added = find_duplicates(db.session, user)
    click.echo(f"{added} new candidate pair(s).")
    for c in db.session.scalars(candidate_query(user)):
        click.echo(f"#{c.id}: {c.facility_a.bin} {c.facility_a.name_ru} ~ {c.facility_b.bin} {c.facility_b.name_ru}"
                   f" ({c.reason})")


@demo_cli.command("seed")
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed builds the same registry.")
@click.option("--facilities", default=1500, show_default=True)
@click.option("--inspectors", default=40, show_default=True)
@click.option("--national", is_flag=True, help="About 30,000 facilities and 700 inspectors in 20 regions.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the registry already has facilities.")
@click.option("--schedule/--no-schedule", default=True, show_default=True,
              help="Publish a schedule of the demo region for the working days from today.")
def demo_seed(seed: int, facilities: int, inspectors: int, national: bool, if_empty: bool, schedule: bool):
    """Build a realistic demo registry offline and print the demo logins."""
    from inspect_app.services.demo import DEMO_LOGINS, registry_is_empty, seed_demo

    if if_empty and not registry_is_empty(db.session):
        click.echo("The registry already has data; demo seed skipped.")
    else:
        summary = seed_demo(db.session, seed=seed, facilities=facilities, inspectors=inspectors, national=national)
        click.echo(summary)
        if schedule and not national:
            from inspect_app.services.demo import publish_demo_schedule

            click.echo(publish_demo_schedule(db.session, seed=seed))
    click.echo("Demo logins (username / password):")
    for username, password, role in DEMO_LOGINS:
        click.echo(f"  {username:<14} {password:<14} {role}")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "ministry", "supervisor", "inspector"]), required=True)
@click.option("--region", help="Region KATO code (supervisors and inspectors).")
@click.option("--name", default="", help="Full name.")
@click.password_option()
def users_create(username: str, role: str, region: str | None, name: str, password: str):
    """Create a user."""
    from inspect_app.services.users import create_user

    try:
        create_user(db.session, username, password, role, region, name)
    except ServiceError as exc:
        fail(exc)
    click.echo(f"Created {role} {username}.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="cli", help="A label for the token.")
@click.option("--days", default=365, show_default=True, help="Validity in days (0: never expires).")
def users_token(username: str, name: str, days: int):
    """Issue an API token for a user and print it once."""
    from inspect_app.services.users import issue_token

    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        click.echo(f"Error: no user {username!r}.", err=True)
        sys.exit(1)
    click.echo(issue_token(db.session, user, name, days or None))

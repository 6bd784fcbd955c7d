"""`flask demo`: a realistic demo registry built offline."""

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.demo.prescriptions import demo_facility_link
from inspect_app.demo.seed import (
    DEFAULT_REGION,
    DEMO_LOGINS,
    publish_demo_schedule,
    registry_is_empty,
    run_demo_whatif,
    seed_demo,
)
from inspect_app.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


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
    if if_empty and not registry_is_empty(db.session):
        click.echo("The registry already has data; demo seed skipped.")
    else:
        summary = seed_demo(db.session, seed=seed, facilities=facilities, inspectors=inspectors, national=national)
        click.echo(summary)
        if schedule and not national:
            click.echo(publish_demo_schedule(db.session, seed=seed))
            click.echo(run_demo_whatif(db.session))
    click.echo("Demo logins (username / password):")
    for username, password, role in DEMO_LOGINS:
        click.echo(f"  {username:<14} {password:<14} {role}")
    link = demo_facility_link(db.session, DEFAULT_REGION)
    if link is not None:
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        click.echo(f"Facility link of prescription {link[0]} (no account; a new one each run): {base}/p/{link[1]}")

"""`flask capacity`: inspector-days needed against available for a year, as the page and the API show them."""

import click
from flask.cli import AppGroup

from inspect_app.cli.common import reading_user, service_errors
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services.capacity.plan import capacity_plan, plan_rows

capacity_cli = AppGroup("capacity", help="Capacity planning: inspector-days needed and available.")


@capacity_cli.command("plan")
@click.option("--year", type=int, required=True)
@click.option("--region", help="Region KATO code (default: the whole country, by region).")
def capacity_plan_command(year: int, region: str | None):
    """Print a year's plan: by district of a region, or by region of the country; the gap last."""
    with service_errors():
        plan = capacity_plan(db.session, reading_user(), year, region, runtime=current_runtime())
    click.echo(f"{plan.scope_name} {year}: {plan.working_days} working days, fill {plan.fill}")
    click.echo(f"{'area':32} {'visits':>7} {'needed':>8} {'inspectors':>10} {'available':>9} {'gap days':>9} "
               f"{'gap FTE':>7}")
    for row in plan_rows(plan):
        visits = row["routine_visits"] + row["followup_visits"] + row["urgent_visits"]
        name = ("= " if row["total"] else "") + row["name_ru"]
        click.echo(f"{name[:32]:32} {visits:7.1f} {row['needed_days']:8.1f} {row['inspectors']:10d} "
                   f"{row['available_days']:9.1f} {row['gap_days']:9.1f} {row['gap_inspectors']:7.1f}")

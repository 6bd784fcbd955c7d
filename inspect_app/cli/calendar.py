"""`flask calendar`: keep Kazakhstan's calendar current (the repo's published years into the database)."""

import click
from flask.cli import AppGroup

from inspect_app.cli.common import service_errors, system_user
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services.calendar import store

calendar_cli = AppGroup("calendar", help="Working days: transfers of days off and school breaks.")


@calendar_cli.command("load")
def calendar_load():
    """Add the years of services/calendar/published.json the database does not hold yet (never overwrites)."""
    with service_errors():
        added = store.load_published(db.session, system_user())
    click.echo(f"transfers: {added['transfers'] or 'none added'}; "
               f"school years: {added['school_years'] or 'none added'}")


@calendar_cli.command("show")
@click.option("--year", type=int, required=True)
def calendar_show(year: int):
    """Print a year's working days, holidays, transfers and the school year's breaks."""
    with service_errors():
        view = store.year_view(db.session, store.check_year(year), current_runtime().workdays)
    click.echo(f"{year}: {view['working_days']} working days")
    for h in view["holidays"]:
        click.echo(f"  holiday {h['date']} {h['name']}")
    for t in view["transfers"]:
        click.echo(f"  transfer: day off {t.day_off or '-'}, working day {t.working_day or '-'} {t.note}".rstrip())
    assumed = " (assumed: the nearest entered year, moved)" if view["breaks_assumed"] else ""
    for b in view["breaks"]:
        click.echo(f"  break {b['start_date']}..{b['end_date']} {b['note']}{assumed}".rstrip())

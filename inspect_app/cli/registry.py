"""`flask registry`: import, export and de-duplicate the facility registry."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from exports.tabular import write_csv
from inspect_app.cli.common import reading_user, service_errors, system_user
from inspect_app.extensions import db
from inspect_app.models.vocab import EXPORT_FORMATS
from inspect_app.services.registry.duplicates import candidate_query, find_duplicates
from inspect_app.services.registry.import_export import export_registry, import_registry

registry_cli = AppGroup("registry", help="Import, export and de-duplicate the facility registry.")


@registry_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partial", is_flag=True, help="Import the valid rows and write the others to a rejects file.")
@click.option("--rejects", type=click.Path(dir_okay=False, path_type=Path), help="Where to write rejected rows.")
def registry_import(path: Path, partial: bool, rejects: Path | None):
    """Import facilities from a CSV, XLSX, JSON or GeoJSON file (updates by BIN)."""
    with service_errors(), path.open("rb") as fp:
        result = import_registry(db.session, system_user(), fp, path.name, partial=partial,
                                 max_rows=current_app.config["IMPORT_MAX_ROWS"])
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
        raise click.ClickException(f"Nothing imported: {len(result.errors)} error(s) in {result.rows} rows.")
    click.echo(f"Imported {result.rows} rows: {result.created} created, {result.updated} updated, "
               f"{result.unchanged} unchanged, {result.rejected} rejected.")


@registry_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
@click.option("--region", help="Region KATO code.")
@click.option("--type", "type_", help="Facility type.")
def registry_export(fmt: str, output: Path | None, region: str | None, type_: str | None):
    """Export the registry, filtered, as CSV, XLSX, GeoJSON or JSON."""
    args = {"region": region, "type": type_}
    with service_errors():
        if output is None:
            export_registry(db.session, reading_user(), fmt, sys.stdout.buffer, args)
        else:
            with output.open("wb") as fp:
                export_registry(db.session, reading_user(), fmt, fp, args)
            click.echo(f"Wrote {output}", err=True)


@registry_cli.command("duplicates")
def registry_duplicates():
    """Scan the registry for likely duplicates and list the open candidates."""
    user = system_user()
    added = find_duplicates(db.session, user)
    click.echo(f"{added} new candidate pair(s).")
    for c in db.session.scalars(candidate_query(user)):
        click.echo(f"#{c.id}: {c.facility_a.bin} {c.facility_a.name_ru} ~ {c.facility_b.bin} {c.facility_b.name_ru}"
                   f" ({c.reason})")

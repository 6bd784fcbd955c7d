"""`flask checklists`: checklist templates stored as versions in the database."""

from pathlib import Path

import click
from flask.cli import AppGroup

from inspect_app.extensions import db
from inspect_app.services.checklists import list_templates, load_templates

checklists_cli = AppGroup("checklists", help="Checklist templates stored as versions in the database.")


@checklists_cli.command("load")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of YAML templates (default: the builtin forms/templates).")
def checklists_load(directory: Path | None):
    """Store every template file that changed as a new version."""
    result = load_templates(db.session, directory)
    for code, version in result.created:
        click.echo(f"Stored {code} v{version}.")
    for code in result.unchanged:
        click.echo(f"{code}: unchanged.")
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    if result.errors:
        raise click.ClickException(f"{len(result.errors)} template file(s) were not stored.")


@checklists_cli.command("list")
def checklists_list():
    """List the stored template versions."""
    for row in list_templates(db.session):
        click.echo(f"{row.id:>4}  {row.code:<24} v{row.version:<3} {row.checksum[:12]}  {row.source}")

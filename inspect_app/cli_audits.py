"""`flask checklists`, `flask audit` and `flask report`: thin wrappers over the audit and report services."""

import sys
from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask.cli import AppGroup

from inspect_app.extensions import db
from inspect_app.models import Audit
from inspect_app.services.errors import ServiceError

checklists_cli = AppGroup("checklists", help="Checklist templates stored as versions in the database.")
audit_cli = AppGroup("audit", help="Audits and their hash chain.")
report_cli = AppGroup("report", help="PDF audit reports.")

GROUPS = (checklists_cli, audit_cli, report_cli)


def _fail(error: ServiceError) -> None:
    from inspect_app.cli import fail

    fail(error)


def _system_user():
    from inspect_app.cli import system_user

    return system_user()


@checklists_cli.command("load")
@click.option("--dir", "directory", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of YAML templates (default: the builtin forms/templates).")
def checklists_load(directory: Path | None):
    """Store every template file that changed as a new version."""
    from inspect_app.services.checklists import load_templates

    result = load_templates(db.session, directory)
    for code, version in result.created:
        click.echo(f"Stored {code} v{version}.")
    for code in result.unchanged:
        click.echo(f"{code}: unchanged.")
    for error in result.errors:
        click.echo(f"Error: {error}", err=True)
    if result.errors:
        sys.exit(1)


@checklists_cli.command("list")
def checklists_list():
    """List the stored template versions."""
    from inspect_app.services.checklists import list_templates

    for row in list_templates(db.session):
        click.echo(f"{row.id:>4}  {row.code:<24} v{row.version:<3} {row.checksum[:12]}  {row.source}")


@audit_cli.command("list")
@click.option("--limit", default=50, show_default=True)
@click.option("--status", type=click.Choice(["draft", "submitted"]))
def audit_list(limit: int, status: str | None):
    """Print audit ids with facility, date and result, newest first."""
    query = (sa.select(Audit).options(so.joinedload(Audit.facility))
             .order_by(Audit.inspection_date.desc(), Audit.id.desc()).limit(limit))
    if status:
        query = query.where(Audit.status == status)
    for audit in db.session.scalars(query):
        click.echo(f"{audit.id:>6}  {audit.inspection_date.isoformat()}  {audit.status:<9} "
                   f"{audit.result or '-':<20} {audit.facility.bin}  {audit.facility.name_ru}")


@audit_cli.command("verify")
def audit_verify():
    """Recompute every hash of the chain from the stored records; exit 1 at the first broken link."""
    from inspect_app.services.audit_chain import verify_chain

    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"OK: {report.checked} submitted audit(s), the chain is intact.")
        return
    where = f"audit {report.broken_audit_id} (link {report.broken_seq})" if report.broken_audit_id else \
        f"link {report.broken_seq}"
    click.echo(f"BROKEN at {where}: {report.reason}. {report.checked} link(s) before it verified.", err=True)
    sys.exit(1)


@report_cli.command("pdf")
@click.argument("audit_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["ru", "kk", "en"]), default="ru", show_default=True)
def report_pdf(audit_id: int, output: Path, lang: str):
    """Write the PDF report of a submitted audit."""
    from inspect_app.services.reports import audit_pdf

    try:
        pdf, _name = audit_pdf(db.session, _system_user(), audit_id, lang)
    except ServiceError as exc:
        _fail(exc)
    output.write_bytes(pdf)
    click.echo(f"Wrote {output} ({len(pdf)} bytes).", err=True)


@report_cli.command("batch")
@click.option("--region", required=True, help="Region KATO code.")
@click.option("--from", "date_from", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "date_to", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["ru", "kk", "en"]), default="ru", show_default=True)
def report_batch(region: str, date_from, date_to, output: Path, lang: str):
    """Write every report of a region and period into one ZIP (built here, not by a worker)."""
    from inspect_app.services.reports import validate_batch_params, write_batch_zip

    start: date = date_from.date()
    end: date = date_to.date()
    try:
        validate_batch_params(db.session, {"region": region, "date_from": start, "date_to": end, "lang": lang})
        count = write_batch_zip(db.session, _system_user(), region, start, end, lang, output.resolve())
    except ServiceError as exc:
        _fail(exc)
    click.echo(f"Wrote {count} report(s) to {output}.", err=True)

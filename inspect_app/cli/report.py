"""`flask report`: PDF audit reports, one or a region's period in a ZIP."""

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

from inspect_app.cli.common import reading_user, service_errors
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services.audits.reports import audit_pdf, validate_batch_params, write_batch_zip

report_cli = AppGroup("report", help="PDF audit reports.")


@report_cli.command("pdf")
@click.argument("audit_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["ru", "kk", "en"]), default="ru", show_default=True)
def report_pdf(audit_id: int, output: Path, lang: str):
    """Write the PDF report of a submitted audit."""
    with service_errors():
        pdf, _name = audit_pdf(db.session, reading_user(), audit_id, lang,
                                 public_base_url=current_runtime().public_base_url)
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
    start: date = date_from.date()
    end: date = date_to.date()
    with service_errors():
        validate_batch_params(db.session, {"region": region, "date_from": start, "date_to": end, "lang": lang})
        count = write_batch_zip(db.session, reading_user(), region, start, end, lang, output.resolve(),
                                public_base_url=current_runtime().public_base_url)
    click.echo(f"Wrote {count} report(s) to {output}.", err=True)

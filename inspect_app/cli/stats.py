"""`flask stats`: the dashboard's statistics tables for ministry analysts, as the web and API export them."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from inspect_app.cli.common import reading_user, service_errors
from inspect_app.extensions import db
from inspect_app.schemas.statistics import (
    STAT_FORMATS,
    STAT_TABLES,
    StatisticsExportArgsSchema,
    StatisticsQueryArgsSchema,
)
from inspect_app.services.statistics import export_all, export_table, tally
from inspect_app.services.statistics.index import IndexWeights
from inspect_app.services.statistics.summary_pdf import summary_pdf

stats_cli = AppGroup("stats", help="Compliance statistics.")


@stats_cli.command("export")
@click.option("--table", type=click.Choice(STAT_TABLES), default="regions", show_default=True,
              help="regions: a row per region (per district with --region); violations: by section and "
                   "severity; items: failed checklist items, most frequent first.")
@click.option("--format", "fmt", type=click.Choice((*STAT_FORMATS, "pdf")), default="csv", show_default=True,
              help="pdf: the dashboard's summary (figures, charts and tables; --table is ignored).")
@click.option("--lang", type=click.Choice(("ru", "kk", "en")), default="ru", show_default=True,
              help="The PDF summary's language.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--region", help="Region KATO code (default: the whole country).")
@click.option("--from", "date_from", help="First inspection date, YYYY-MM-DD (default: 1 January).")
@click.option("--to", "date_to", help="Last inspection date, YYYY-MM-DD (default: 31 December).")
def stats_export(table: str, fmt: str, lang: str, output: Path, region: str | None, date_from: str | None,
                 date_to: str | None):
    """Write one statistics table as CSV or XLSX, or the dashboard's summary as PDF."""
    if fmt == "pdf":
        _export_pdf(output, lang, region, date_from, date_to)
        return
    raw = {"table": table, "format": fmt, "region": region, "date_from": date_from, "date_to": date_to}
    try:
        args = StatisticsExportArgsSchema().load({k: v for k, v in raw.items() if v})
    except ValidationError as exc:
        raise click.UsageError("; ".join(f"{name}: {'; '.join(map(str, messages))}"
                                         for name, messages in exc.normalized_messages().items())) from exc
    with service_errors():
        try:
            with output.open("wb") as fp:
                rows = export_table(db.session, reading_user(), table, fmt, fp, args)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    click.echo(f"Wrote {rows} rows to {output}", err=True)


def _scope_args(region: str | None, date_from: str | None, date_to: str | None) -> dict:
    """The options given, checked as the API checks its query (a usage error naming each bad option)."""
    raw = {"region": region, "date_from": date_from, "date_to": date_to}
    try:
        return StatisticsQueryArgsSchema().load({k: v for k, v in raw.items() if v})
    except ValidationError as exc:
        raise click.UsageError("; ".join(f"{name}: {'; '.join(map(str, messages))}"
                                         for name, messages in exc.normalized_messages().items())) from exc


def _export_pdf(output: Path, lang: str, region: str | None, date_from: str | None, date_to: str | None) -> None:
    args = _scope_args(region, date_from, date_to)
    with service_errors():
        body = summary_pdf(db.session, reading_user(), args, lang)
    output.write_bytes(body)
    click.echo(f"Wrote the {lang} summary ({len(body)} bytes) to {output}", err=True)


@stats_cli.command("export-all")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="XLSX file to write.")
@click.option("--region", help="Region KATO code (default: the whole country).")
@click.option("--from", "date_from", help="First inspection date, YYYY-MM-DD (default: 1 January).")
@click.option("--to", "date_to", help="Last inspection date, YYYY-MM-DD (default: 31 December).")
def stats_export_all(output: Path, region: str | None, date_from: str | None, date_to: str | None):
    """Write every statistics table (areas, violations, items, months, index and its trend) as one XLSX."""
    args = _scope_args(region, date_from, date_to)
    weights = IndexWeights.from_config(current_app.config["COMPLIANCE_INDEX_WEIGHTS"])
    with service_errors():
        try:
            with output.open("wb") as fp:
                counts = export_all(db.session, reading_user(), args, weights, fp)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
    click.echo(f"Wrote {len(counts)} sheets ({sum(counts)} rows) to {output}", err=True)


@stats_cli.command("rebuild")
def stats_rebuild():
    """Recount the monthly inspection and violation counts and each facility's open critical items (after moving
    facilities between districts, or to check them)."""
    rows = tally.rebuild(db.session)
    db.session.commit()
    click.echo(f"{rows} monthly counts", err=True)

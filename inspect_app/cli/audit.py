"""`flask audit`: audits and their hash chain."""

import click
from flask.cli import AppGroup

from inspect_app.cli.common import reading_user
from inspect_app.extensions import db
from inspect_app.models import AuditStatus
from inspect_app.services.audits import audit_query
from inspect_app.services.audits.chain import verify_chain

audit_cli = AppGroup("audit", help="Audits and their hash chain.")


@audit_cli.command("list")
@click.option("--limit", default=50, show_default=True)
@click.option("--status", type=click.Choice([AuditStatus.DRAFT, AuditStatus.SUBMITTED]))
def audit_list(limit: int, status: str | None):
    """Print audit ids with facility, date and result, newest first."""
    for audit in db.session.scalars(audit_query(reading_user(), {"status": status}).limit(limit)):
        click.echo(f"{audit.id:>6}  {audit.inspection_date.isoformat()}  {audit.status:<9} "
                   f"{audit.result or '-':<20} {audit.facility.bin}  {audit.facility.name_ru}")


@audit_cli.command("verify")
def audit_verify():
    """Recompute every hash of the chain from the stored records; exit 1 at the first broken link."""
    report = verify_chain(db.session)
    if report.ok:
        click.echo(f"OK: {report.checked} submitted audit(s), the chain is intact.")
        return
    where = f"audit {report.broken_audit_id} (link {report.broken_seq})" if report.broken_audit_id else \
        f"link {report.broken_seq}"
    raise click.ClickException(f"BROKEN at {where}: {report.reason}. "
                               f"{report.checked} link(s) before it verified.")

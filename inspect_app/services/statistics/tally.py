"""The inspections counted by month and area (`AuditMonthCount`), kept current by the submit.

The dashboard's period and trend figures read these few rows instead of every audit of two years, so a
national view costs the same however many audits the country has made.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspect_app.models import Audit, AuditMonthCount, AuditStatus, Facility
from inspect_app.models.tally import NO_DISTRICT


def _key(audit: Audit, facility: Facility) -> dict:
    return {"month": audit.inspection_date.replace(day=1), "region_id": facility.region_id,
            "district_id": facility.district_id or NO_DISTRICT, "legal_basis": audit.legal_basis,
            "result": audit.result or ""}


def _add(session: Session, key: dict, change: int) -> None:
    """Add `change` to the key's count in one statement, so concurrent submits never lose each other's."""
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(
        AuditMonthCount).values(**key, audits=change)
    session.execute(insert.on_conflict_do_update(
        index_elements=["month", "region_id", "district_id", "legal_basis", "result"],
        set_={"audits": AuditMonthCount.audits + change}))


def count_submitted(session: Session, audit: Audit, facility: Facility) -> None:
    """Count a just-submitted audit in its facility's area; a correction takes the place of its original."""
    _add(session, _key(audit, facility), 1)
    if audit.supersedes is not None:
        _add(session, _key(audit.supersedes, facility), -1)


def rebuild(session: Session) -> int:
    """Recount every month from the audits, in the areas the facilities (merge survivors) have now; flushes.

    Returns the number of rows. Run after moving facilities between districts, or to check the counts.
    """
    session.execute(sa.delete(AuditMonthCount))
    own = so.aliased(Facility)
    correction = so.aliased(Audit)
    replaced = sa.exists().where(correction.supersedes_id.is_not(None), correction.supersedes_id == Audit.id,
                                 correction.status == AuditStatus.SUBMITTED)
    month = (sa.cast(sa.func.date_trunc("month", Audit.inspection_date), sa.Date)
             if session.get_bind().dialect.name == "postgresql"
             else sa.func.date(Audit.inspection_date, "start of month"))
    district = sa.func.coalesce(Facility.district_id, NO_DISTRICT)
    result = sa.func.coalesce(Audit.result, "")
    select = (sa.select(month, Facility.region_id, district, Audit.legal_basis, result, sa.func.count(Audit.id))
              .join(own, own.id == Audit.facility_id)
              .join(Facility, Facility.id == sa.func.coalesce(own.merged_into_id, own.id))
              .where(Audit.status == AuditStatus.SUBMITTED, ~replaced)
              .group_by(month, Facility.region_id, district, Audit.legal_basis, result))
    session.execute(sa.insert(AuditMonthCount).from_select(
        ["month", "region_id", "district_id", "legal_basis", "result", "audits"], select))
    session.flush()
    return session.scalar(sa.select(sa.func.count(AuditMonthCount.id))) or 0


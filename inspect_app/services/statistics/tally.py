"""The inspections (`AuditMonthCount`) and violations (`ViolationMonthCount`) counted by month and area, and each
facility's open critical violations (`Facility.open_critical`, `open_critical_due`), kept current by the writes
that change them: the submit, a correction, a violation's resolution and a merge.

The dashboard's period and trend figures read these few rows instead of every audit and violation of two
years, so a national view costs the same however many audits the country has made.
"""

from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspect_app.models import (
    Audit,
    AuditMonthCount,
    AuditStatus,
    Facility,
    TallyKind,
    Violation,
    ViolationMonthCount,
    ViolationStatus,
)
from inspect_app.models.tally import NO_DISTRICT


def _key(audit: Audit, facility: Facility) -> dict:
    return {"month": audit.inspection_date.replace(day=1), "region_id": facility.region_id,
            "district_id": facility.district_id or NO_DISTRICT, "legal_basis": audit.legal_basis,
            "result": audit.result or ""}


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _add(session: Session, key: dict, change: int) -> None:
    """Add `change` to the key's count in one statement, so concurrent submits never lose each other's."""
    insert = _insert(session)(AuditMonthCount).values(**key, audits=change)
    session.execute(insert.on_conflict_do_update(
        index_elements=["month", "region_id", "district_id", "legal_basis", "result"],
        set_={"audits": AuditMonthCount.audits + change}))


def count_submitted(session: Session, audit: Audit, facility: Facility) -> None:
    """Count a just-submitted audit in its facility's area; a correction takes the place of its original."""
    _add(session, _key(audit, facility), 1)
    if audit.supersedes is not None:
        _add(session, _key(audit.supersedes, facility), -1)


VIOLATION_KEY = ["kind", "month", "region_id", "district_id", "key", "section", "severity", "due_month"]


def _violation_keys(violation: Violation, inspection_date: date, facility: Facility) -> list[dict]:
    """The violation's key in each `TallyKind` of grouping."""
    month, due_month = inspection_date.replace(day=1), violation.due_date.replace(day=1)
    common = {"month": month, "region_id": facility.region_id, "district_id": NO_DISTRICT, "due_month": due_month,
              "section": "", "severity": ""}
    return [
        {**common, "kind": TallyKind.CELL, "district_id": facility.district_id or NO_DISTRICT, "key": "",
         "section": violation.section, "severity": violation.severity},
        {**common, "kind": TallyKind.REGION_CELL, "key": "", "section": violation.section,
         "severity": violation.severity},
        {**common, "kind": TallyKind.TYPE, "key": facility.type or ""},
        {**common, "kind": TallyKind.AGENCY, "key": facility.agency or ""},
        {**common, "kind": TallyKind.ITEM, "key": violation.item_code, "section": violation.section,
         "severity": violation.severity, "due_month": month},
    ]


def _add_violation(session: Session, violation: Violation, inspection_date: date, facility: Facility, *,
                   total: int = 0, open_: int = 0, resolved: int = 0) -> None:
    """Add to the violation's counts in one statement per grouping (concurrent writes never lose each other's)."""
    table = ViolationMonthCount.__table__
    for key in _violation_keys(violation, inspection_date, facility):
        insert = _insert(session)(ViolationMonthCount).values(**key, violations=total, open=open_,
                                                              resolved=resolved, first_id=violation.id)
        session.execute(insert.on_conflict_do_update(
            index_elements=VIOLATION_KEY,
            set_={"violations": table.c.violations + total, "open": table.c.open + open_,
                  "resolved": table.c.resolved + resolved,
                  "first_id": sa.case((table.c.first_id < violation.id, table.c.first_id), else_=violation.id)}))


def count_violations(session: Session, audit: Audit, facility: Facility) -> None:
    """Count a just-submitted (and flushed) audit's violations, all open, in its facility's area."""
    for violation in audit.violations:
        _add_violation(session, violation, audit.inspection_date, facility, total=1,
                       open_=int(violation.status == ViolationStatus.OPEN),
                       resolved=int(violation.status == ViolationStatus.RESOLVED))


def violation_status_changed(session: Session, violation: Violation, before: str) -> None:
    """Move a violation's count from its status `before` to its status now (superseded ones are not counted)."""
    after = violation.status
    if after == before:
        return
    def counts(status: str, sign: int) -> dict:
        if status == ViolationStatus.SUPERSEDED:
            return {}
        return {"total": sign, "open_": sign * (status == ViolationStatus.OPEN),
                "resolved": sign * (status == ViolationStatus.RESOLVED)}
    change = {"total": 0, "open_": 0, "resolved": 0}
    for part in (counts(before, -1), counts(after, 1)):
        for key, value in part.items():
            change[key] += int(value)
    if any(change.values()):
        _add_violation(session, violation, violation.audit.inspection_date, violation.facility, **change)


def _open_critical_of(facility: type[Facility] | so.util.AliasedClass) -> tuple[sa.ScalarSelect, sa.ScalarSelect]:
    """(count, earliest deadline) of the facility's open critical violations, as correlated subqueries."""
    where = (Violation.facility_id == facility.id, Violation.status == ViolationStatus.OPEN,
             Violation.severity == "critical")
    return (sa.select(sa.func.count(Violation.id)).where(*where).scalar_subquery(),
            sa.select(sa.func.min(Violation.due_date)).where(*where).scalar_subquery())


def recount_open_critical(session: Session, facility_ids: set[int | None] | None = None) -> None:
    """Recount, in the database, the open critical violations of the given facilities (every facility when
    None) after flushing the write that changed them; only rows whose figures changed are written.

    The caller holds the facilities' row locks (the submit and a merge lock them; a resolution locks its
    facility first), so a concurrent write to the same facility cannot be counted on a stale snapshot.
    """
    ids = None if facility_ids is None else sorted(i for i in facility_ids if i is not None)
    if ids == []:
        return
    session.flush()
    count, due = _open_critical_of(Facility)
    changed = sa.or_(Facility.open_critical != count, Facility.open_critical_due.is_distinct_from(due))
    statement = (sa.update(Facility).where(changed if ids is None else sa.and_(Facility.id.in_(ids), changed))
                 # A summary, not an edit: neither the facility's version nor its "updated" time moves.
                 .values(open_critical=count, open_critical_due=due, updated_at=Facility.updated_at)
                 .execution_options(synchronize_session=False))
    session.execute(statement)
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Facility) and (ids is None or loaded.id in ids):
            session.expire(loaded, ["open_critical", "open_critical_due"])


def lock_facility(session: Session, facility_id: int) -> None:
    """Lock a facility's row until the commit, before a write that changes its open critical violations."""
    session.execute(sa.select(Facility.id).where(Facility.id == facility_id).with_for_update())


def _month(session: Session, column: sa.ColumnElement) -> sa.ColumnElement:
    return (sa.cast(sa.func.date_trunc("month", column), sa.Date) if session.get_bind().dialect.name == "postgresql"
            else sa.func.date(column, "start of month"))


def rebuild_violations(session: Session) -> int:
    """Recount the violations of every month from the violations, in the areas, types and agencies their
    facilities have now; flushes and returns the number of rows."""
    session.execute(sa.delete(ViolationMonthCount))
    month, due_month = _month(session, Audit.inspection_date), _month(session, Violation.due_date)
    none, no_district = sa.literal(""), sa.literal(NO_DISTRICT)
    groupings = {
        TallyKind.CELL: (sa.func.coalesce(Facility.district_id, NO_DISTRICT), none, Violation.section,
                         Violation.severity, due_month),
        TallyKind.REGION_CELL: (no_district, none, Violation.section, Violation.severity, due_month),
        TallyKind.TYPE: (no_district, sa.func.coalesce(Facility.type, ""), none, none, due_month),
        TallyKind.AGENCY: (no_district, sa.func.coalesce(Facility.agency, ""), none, none, due_month),
        TallyKind.ITEM: (no_district, Violation.item_code, Violation.section, Violation.severity, month),
    }
    for kind, columns in groupings.items():
        keys = [sa.literal(str(kind)), month, Facility.region_id, *columns]
        select = (sa.select(*keys, sa.func.count(Violation.id),
                            sa.func.sum(sa.case((Violation.status == ViolationStatus.OPEN, 1), else_=0)),
                            sa.func.sum(sa.case((Violation.status == ViolationStatus.RESOLVED, 1), else_=0)),
                            sa.func.min(Violation.id))
                  .select_from(Violation)
                  .join(Audit, Violation.audit_id == Audit.id)
                  .join(Facility, Violation.facility_id == Facility.id)
                  .where(Violation.status != ViolationStatus.SUPERSEDED, Audit.status == AuditStatus.SUBMITTED)
                  .group_by(*[key for key in keys if not isinstance(key, sa.BindParameter)]))
        session.execute(sa.insert(ViolationMonthCount).from_select(
            [*VIOLATION_KEY, "violations", "open", "resolved", "first_id"], select))
    session.flush()
    return session.scalar(sa.select(sa.func.count(ViolationMonthCount.id))) or 0


def rebuild(session: Session) -> int:
    """Recount every month from the audits, in the areas the facilities (merge survivors) have now; flushes.

    Returns the number of inspection rows. Run after moving facilities between districts (or changing their
    type or agency), or to check the counts; the violations' counts and each facility's open critical
    violations are recounted too.
    """
    session.execute(sa.delete(AuditMonthCount))
    own = so.aliased(Facility)
    correction = so.aliased(Audit)
    replaced = sa.exists().where(correction.supersedes_id.is_not(None), correction.supersedes_id == Audit.id,
                                 correction.status == AuditStatus.SUBMITTED)
    month = _month(session, Audit.inspection_date)
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
    rebuild_violations(session)
    recount_open_critical(session)
    return session.scalar(sa.select(sa.func.count(AuditMonthCount.id))) or 0


"""Violation figures: the period's violations by area, section, severity, facility type, agency and item, and by
month, from the monthly counts the writes keep (`ViolationMonthCount`) for whole months and from the violations
themselves for the part-months at either end."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import (
    Audit,
    AuditStatus,
    Facility,
    TallyKind,
    User,
    Violation,
    ViolationMonthCount,
    ViolationStatus,
)
from inspect_app.models.tally import NO_DISTRICT
from inspect_app.services.access import sees_all_regions
from inspect_app.services.statistics.queries import area_column, as_date, facility_scope, next_month
from inspect_app.services.statistics.results import (
    TOP_ITEMS,
    ItemStats,
    StatsScope,
    ViolationCell,
    ViolationCounts,
)


def period_violations(user: User, scope: StatsScope) -> sa.Select:
    """Violations raised by the period's inspections (superseded ones left out), joined to their facility."""
    return (sa.select().select_from(Violation)
            .join(Audit, Violation.audit_id == Audit.id)
            .join(Facility, Violation.facility_id == Facility.id)
            .where(facility_scope(user, scope), Violation.status != ViolationStatus.SUPERSEDED,
                   Audit.status == AuditStatus.SUBMITTED, Audit.inspection_date >= scope.date_from,
                   Audit.inspection_date <= scope.date_to))


def _whole_months(start: date, end: date) -> tuple[date, date, list[tuple[date, date]]]:
    """The whole months from `start` to `end` as [first, until) and the part-months at either end (first, last)."""
    whole_from = start if start.day == 1 else next_month(start)
    whole_until = next_month(end) if next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    if whole_from >= whole_until:
        return whole_from, whole_from, [(start, end)]
    return whole_from, whole_until, [(start, whole_from - timedelta(days=1)), (whole_until, end)]


def _tally_scope(user: User, scope: StatsScope) -> sa.ColumnElement[bool]:
    """The scope's condition on a summary table keyed by region (as `_facility_scope` on the facilities)."""
    table = ViolationMonthCount
    return (table.region_id == scope.region.id if scope.region is not None
            else sa.true() if sees_all_regions(user) else sa.false())


def monthly_violations(session: Session, user: User, scope: StatsScope, start: date) -> dict[str, dict[tuple, int]]:
    """Violations raised by the inspections of each month from `start` to the period's end, by section and
    severity: {"YYYY-MM": {(section, severity): count}}; whole months from the monthly counts the writes keep
    (`ViolationMonthCount`), part-months at either end from the violations."""
    whole_from, whole_until, edges = _whole_months(start, scope.date_to)
    months: dict[str, dict[tuple, int]] = {}

    def add(y: int, m: int, section: str, severity: str, count: int) -> None:
        cell = months.setdefault(f"{int(y):04d}-{int(m):02d}", {})
        cell[section, severity] = cell.get((section, severity), 0) + int(count)

    if whole_from < whole_until:
        table = ViolationMonthCount
        query = (sa.select(table.month, table.section, table.severity, sa.func.sum(table.violations))
                 .where(table.kind == TallyKind.REGION_CELL, _tally_scope(user, scope), table.month >= whole_from,
                        table.month < whole_until)
                 .group_by(table.month, table.section, table.severity))
        for month, section, severity, count in session.execute(query):
            if count:
                month = as_date(month)
                add(month.year, month.month, section, severity, count)
    year = sa.extract("year", Audit.inspection_date)
    month = sa.extract("month", Audit.inspection_date)
    for first, last in edges:
        if first > last:
            continue
        query = (period_violations(user, replace(scope, date_from=first, date_to=last))
                 .add_columns(year, month, Violation.section, Violation.severity, sa.func.count(Violation.id))
                 .group_by(year, month, Violation.section, Violation.severity))
        for y, m, section, severity, count in session.execute(query):
            add(y, m, section, severity, count)
    return months


@dataclass
class ViolationGroups:
    """The period's violations counted once, then summed by the dashboard's views of them."""

    cells: list[ViolationCell]
    by_type: dict[str, ViolationCounts]
    by_agency: dict[str, ViolationCounts]
    top_items: list[ItemStats]


def violation_groups(session: Session, user: User, scope: StatsScope, inspections: int) -> ViolationGroups:
    """Violations of the period by area x section x severity, facility type, agency and item (the most failed).

    Whole months come from the monthly counts the writes keep (`ViolationMonthCount`, one query): overdue there
    are the open ones whose deadline month is before today's, and the open ones due earlier this month are counted
    from the violations; the part-months at either end of the period are counted from the violations (one GROUP
    BY each), summed here into the same groupings.
    """
    sums = _Sums()
    whole_from, whole_until, edges = _whole_months(scope.date_from, scope.date_to)
    if whole_from < whole_until:
        _add_whole_months(session, user, scope, whole_from, whole_until, sums)
        _add_due_this_month(session, user, scope, whole_from, whole_until, sums)
    for first_day, last_day in edges:
        if first_day <= last_day:
            _add_part_month(session, user, replace(scope, date_from=first_day, date_to=last_day), sums)
    return sums.groups(session, inspections)


@dataclass
class _Sums:
    """The groupings being summed: cells (area, section, severity), facility types, agencies and items."""

    cells: dict[tuple, ViolationCounts] = field(default_factory=dict)
    by_type: dict[str, ViolationCounts] = field(default_factory=dict)
    by_agency: dict[str, ViolationCounts] = field(default_factory=dict)
    items: dict[str, list] = field(default_factory=dict)

    def cell(self, area_id, section: str, severity: str) -> ViolationCounts:
        return self.cells.setdefault((area_id, section, severity), ViolationCounts())

    def of_type(self, type_: str) -> ViolationCounts:
        return self.by_type.setdefault(type_, ViolationCounts())

    def of_agency(self, agency: str) -> ViolationCounts:
        return self.by_agency.setdefault(agency, ViolationCounts())

    def item(self, code: str, section: str, severity: str, total: int, first: int) -> None:
        item = self.items.setdefault(code, [section, severity, 0, first])
        item[2] += int(total)
        item[3] = min(item[3], first)

    def groups(self, session: Session, inspections: int) -> ViolationGroups:
        """The sums as the dashboard reads them, the most failed items with their texts."""
        ranked = sorted(self.items.items(), key=lambda kv: (-kv[1][2], kv[0]))[:TOP_ITEMS]
        firsts = [row[3] for _code, row in ranked]
        texts = {vid: text for vid, text in session.execute(
            sa.select(Violation.id, Violation.item_text).where(Violation.id.in_(firsts)))} if firsts else {}
        top = [ItemStats(rank=n, item_code=code, section=section, severity=severity, text=texts.get(first) or {},
                         failures=failures, share=round(100.0 * failures / inspections, 1) if inspections else None)
               for n, (code, (section, severity, failures, first)) in enumerate(ranked, start=1)]
        ordered = sorted(self.cells.items(), key=lambda kv: (kv[0][0] is None, kv[0][0] or 0, kv[0][1], kv[0][2]))
        return ViolationGroups(
            cells=[ViolationCell(area_id=a, section=sec, severity=sev, counts=c) for (a, sec, sev), c in ordered],
            by_type=self.by_type, by_agency=self.by_agency, top_items=top)


def _add_whole_months(session: Session, user: User, scope: StatsScope, whole_from: date, whole_until: date,
                      sums: _Sums) -> None:
    """The whole months' groupings from the monthly counts (one query)."""
    table = ViolationMonthCount
    this_month = scope.today.replace(day=1)
    area = sa.func.nullif(table.district_id, NO_DISTRICT) if scope.level == "district" else table.region_id
    cell = TallyKind.CELL if scope.level == "district" else TallyKind.REGION_CELL
    keys = [table.kind, area, table.key, table.section, table.severity]
    query = (sa.select(*keys, sa.func.sum(table.violations), sa.func.sum(table.open), sa.func.sum(table.resolved),
                       sa.func.sum(sa.case((table.due_month < this_month, table.open), else_=0)),
                       sa.func.min(table.first_id))
             .where(table.kind.in_([cell, TallyKind.TYPE, TallyKind.AGENCY, TallyKind.ITEM]),
                    _tally_scope(user, scope), table.month >= whole_from, table.month < whole_until)
             .group_by(*keys))
    for kind, area_id, key, section, severity, total, open_, resolved, overdue, first in session.execute(query):
        counts = ViolationCounts(total=int(total or 0), open=int(open_ or 0), resolved=int(resolved or 0),
                                 overdue=int(overdue or 0))
        if not counts.total:
            continue  # only superseded ones were counted here
        if kind == cell:
            sums.cell(area_id, section, severity).add(counts)
        elif kind == TallyKind.TYPE:
            sums.of_type(key).add(counts)
        elif kind == TallyKind.AGENCY:
            sums.of_agency(key).add(counts)
        else:
            sums.item(key, section, severity, counts.total, first)


def _add_due_this_month(session: Session, user: User, scope: StatsScope, whole_from: date, whole_until: date,
                        sums: _Sums) -> None:
    """Open ones of the whole months due earlier this month are overdue too: a few, read over the deadline
    index (the monthly counts know deadlines by month only)."""
    this_month = scope.today.replace(day=1)
    facility_area = area_column(scope)
    due_now = (period_violations(user, replace(scope, date_from=whole_from, date_to=whole_until - timedelta(days=1)))
               .add_columns(facility_area, Violation.section, Violation.severity, Facility.type, Facility.agency,
                            sa.func.count(Violation.id))
               .where(Violation.status == ViolationStatus.OPEN, Violation.due_date >= this_month,
                      Violation.due_date < scope.today)
               .group_by(facility_area, Violation.section, Violation.severity, Facility.type, Facility.agency))
    for area_id, section, severity, type_, agency, count in session.execute(due_now):
        sums.cell(area_id, section, severity).overdue += count
        sums.of_type(type_).overdue += count
        sums.of_agency(agency).overdue += count


def _add_part_month(session: Session, user: User, scope: StatsScope, sums: _Sums) -> None:
    """A part-month at either end of the period, counted from the violations (one GROUP BY)."""
    is_open = Violation.status == ViolationStatus.OPEN
    area = area_column(scope)
    query = period_violations(user, scope).add_columns(
        area, Violation.section, Violation.severity, Violation.item_code, Facility.type, Facility.agency,
        sa.func.count(Violation.id),
        sa.func.sum(sa.case((is_open, 1), else_=0)),
        sa.func.sum(sa.case((Violation.status == ViolationStatus.RESOLVED, 1), else_=0)),
        sa.func.sum(sa.case((sa.and_(is_open, Violation.due_date < scope.today), 1), else_=0)),
        sa.func.min(Violation.id),
    ).group_by(area, Violation.section, Violation.severity, Violation.item_code, Facility.type, Facility.agency)
    for area_id, section, severity, code, type_, agency, total, open_, resolved, overdue, first in \
            session.execute(query):
        counts = ViolationCounts(total=total, open=int(open_ or 0), resolved=int(resolved or 0),
                                 overdue=int(overdue or 0))
        sums.cell(area_id, section, severity).add(counts)
        sums.of_type(type_).add(counts)
        sums.of_agency(agency).add(counts)
        sums.item(code, section, severity, total, first)


def failed_items(session: Session, user: User, scope: StatsScope, limit: int | None = TOP_ITEMS,
                 inspections: int | None = None) -> list[ItemStats]:
    """Checklist items by how often they failed in the period, most frequent first (all with `limit=None`).

    `share` is the failures as a percentage of `inspections` (the period's inspection count) when given.
    """
    count = sa.func.count(Violation.id)
    query = (period_violations(user, scope)
             .add_columns(Violation.item_code, sa.func.min(Violation.section), sa.func.min(Violation.severity),
                          count, sa.func.min(Violation.id))
             .group_by(Violation.item_code).order_by(count.desc(), Violation.item_code))
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    texts = {vid: text for vid, text in session.execute(
        sa.select(Violation.id, Violation.item_text).where(Violation.id.in_([r[4] for r in rows])))} if rows else {}
    return [ItemStats(rank=n, item_code=code, section=section, severity=severity, text=texts.get(first) or {},
                      failures=failures,
                      share=round(100.0 * failures / inspections, 1) if inspections else None)
            for n, (code, section, severity, failures, first) in enumerate(rows, start=1)]

"""The dashboard summary: every figure of a scope, summed by area."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from forms import SEVERITIES
from inspect_app.models import User
from inspect_app.services.statistics.queries import (
    area_stats,
    areas_of,
    count_audits,
    count_registry,
    count_reviewed,
    critical_facilities,
    resolve_scope,
    section_titles,
)
from inspect_app.services.statistics.results import AreaStats, StatsScope, Summary, ViolationCounts
from inspect_app.services.statistics.violations import violation_groups


def summary(session: Session, user: User, args: dict[str, Any], today: date | None = None) -> Summary:
    """Every dashboard figure for the user and `StatisticsQueryArgsSchema` arguments; reads only.

    Raises Forbidden for inspectors and for a supervisor asking about another region.
    """
    scope = resolve_scope(session, user, args, today)
    areas = areas_of(session, user, scope)
    count_registry(session, user, scope, areas)
    months = count_audits(session, user, scope, areas)
    inspections = sum(area.inspections for area in areas.values())
    groups = violation_groups(session, user, scope, inspections)
    cells = groups.cells
    count_reviewed(session, user, scope, areas)
    by_severity = {s: ViolationCounts() for s in SEVERITIES}
    by_section: dict[str, ViolationCounts] = {}
    for cell in cells:
        area_stats(areas, cell.area_id).violations.add(cell.counts)
        by_severity.setdefault(cell.severity, ViolationCounts()).add(cell.counts)
        by_section.setdefault(cell.section, ViolationCounts()).add(cell.counts)
    rows = [areas[k] for k in areas if k is not None] + ([areas[None]] if None in areas else [])
    total = _sum_areas(rows, scope)
    critical, critical_total = critical_facilities(session, user, scope)
    return Summary(
        scope=scope, areas=rows, total=total, violations_by_severity=by_severity,
        violations_by_section=dict(sorted(by_section.items(), key=lambda kv: -kv[1].total)),
        violation_cells=cells, section_titles=section_titles(session),
        top_items=groups.top_items, violations_by_type=groups.by_type,
        violations_by_agency=groups.by_agency,
        monthly=months, critical_facilities=critical,
        critical_facilities_total=critical_total)


def _sum_areas(rows: Iterable[AreaStats], scope: StatsScope) -> AreaStats:
    region = scope.region
    total = AreaStats(area_id=None, kato=region.kato if region else None,
                      name_ru=region.name_ru if region else "Казахстан",
                      name_kk=region.name_kk if region else "Қазақстан", name_en="" if region else "Kazakhstan")
    for row in rows:
        total.facilities += row.facilities
        total.inspections += row.inspections
        total.reviewed += row.reviewed
        total.due += row.due
        total.in_time += row.in_time
        total.never_inspected += row.never_inspected
        for key, value in row.overdue_by.items():
            total.overdue_by[key] = total.overdue_by.get(key, 0) + value
        total.violations.add(row.violations)
        for mine, theirs in ((total.by_risk, row.by_risk), (total.by_type, row.by_type),
                             (total.by_basis, row.by_basis), (total.by_result, row.by_result)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
    return total

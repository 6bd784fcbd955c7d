"""The child-safety compliance index of each region or district, and its month-by-month trend.

For an area and a period, with the weights of the configuration (`COMPLIANCE_INDEX_WEIGHTS`):

    penalty(s)    = sum over the period's violations of section s of weight(severity) / inspections of the area
    compliance(s) = 100 / (1 + penalty(s))                   (100: no violation; 50: one weighted failure a visit)
    index         = w_in_time * in_time_share + (1 - w_in_time) * sum_s w_s * compliance(s) / sum_s w_s

`in_time_share` is the percentage of due facilities inspected within their risk interval at the period's end
(100 when none is due). An area without an inspection in the period has no index (None). The trend is the
scope's index month by month: each month's inspections and violations, with the period's in-time share.
Every part comes from the dashboard's figures (the summary), so the index is what the dashboard shows, summed
differently; no row is loaded one by one.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.models import User
from inspect_app.services.statistics.results import AreaStats, Summary
from inspect_app.services.statistics.summary import summary
from inspect_app.services.statistics.violations import monthly_violations

TREND_MONTHS = 12


@dataclass(frozen=True)
class IndexWeights:
    """The configured weights: of each section, of a violation by severity, and of the in-time share."""

    sections: dict[str, float]
    severity: dict[str, float]
    in_time: float

    @classmethod
    def from_config(cls, value: dict[str, Any]) -> "IndexWeights":
        """The weights from `COMPLIANCE_INDEX_WEIGHTS`."""
        return cls(sections=dict(value["sections"]), severity=dict(value["severity"]),
                   in_time=float(value["in_time"]))


@dataclass
class AreaIndex:
    """One area's index and its parts (percentages, one decimal; None without inspections)."""

    area: AreaStats
    index: float | None
    in_time_share: float | None
    compliance: dict[str, float | None] = field(default_factory=dict)
    rank: int | None = None


@dataclass
class IndexTable:
    """The ranking of a scope's areas, the scope's own index, and the trend (month, index) of the scope."""

    data: Summary
    weights: IndexWeights
    rows: list[AreaIndex]
    total: AreaIndex
    trend: list[tuple[str, float | None]]


def _index(area: AreaStats, penalties: dict[str, float], weights: IndexWeights) -> AreaIndex:
    if not area.inspections:
        return AreaIndex(area=area, index=None, in_time_share=area.in_time_share,
                         compliance=dict.fromkeys(weights.sections))
    compliance = {s: round(100.0 / (1.0 + penalties.get(s, 0.0) / area.inspections), 1) for s in weights.sections}
    total_weight = sum(weights.sections.values()) or 1.0
    sections = sum(w * compliance[s] for s, w in weights.sections.items()) / total_weight
    in_time = area.in_time_share if area.in_time_share is not None else 100.0
    value = weights.in_time * in_time + (1.0 - weights.in_time) * sections
    return AreaIndex(area=area, index=round(value, 1), in_time_share=area.in_time_share, compliance=compliance)


def area_indexes(data: Summary, weights: IndexWeights) -> tuple[list[AreaIndex], AreaIndex]:
    """Each area's index from a summary's figures, ranked best first, and the whole scope's."""
    penalties: dict[Any, dict[str, float]] = {}
    overall: dict[str, float] = {}
    for cell in data.violation_cells:
        weight = weights.severity.get(cell.severity, 1.0) * cell.counts.total
        by_area = penalties.setdefault(cell.area_id, {})
        by_area[cell.section] = by_area.get(cell.section, 0.0) + weight
        overall[cell.section] = overall.get(cell.section, 0.0) + weight
    rows = [_index(area, penalties.get(area.area_id, {}), weights) for area in data.areas]
    ranked = sorted((r for r in rows if r.index is not None), key=lambda r: -r.index)
    for n, row in enumerate(ranked, start=1):
        row.rank = n
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.area.kato or ""))
    return rows, _index(data.total, overall, weights)


def compliance_index(session: Session, user: User, args: dict[str, Any], weights: IndexWeights,
                     today: date | None = None) -> IndexTable:
    """The index of every area in the user's scope for the period, and the scope's index month by month.

    Scoped and refused as the dashboard is (supervisors their region, inspectors none). A trend month is the
    index of that month's inspections and violations, with the in-time share of the period's end.
    """
    data = summary(session, user, args, today)
    rows, total = area_indexes(data, weights)
    months = data.monthly[-TREND_MONTHS:]
    violations = monthly_violations(session, user, data.scope, date.fromisoformat(months[0].month + "-01"))
    trend = []
    for month in months:
        area = AreaStats(area_id=None, kato=None, name_ru="", name_kk="", inspections=month.total,
                         due=data.total.due, in_time=data.total.in_time)
        penalties: dict[str, float] = {}
        for (section, severity), count in violations.get(month.month, {}).items():
            penalties[section] = penalties.get(section, 0.0) + weights.severity.get(severity, 1.0) * count
        trend.append((month.month, _index(area, penalties, weights).index))
    return IndexTable(data=data, weights=weights, rows=rows, total=total, trend=trend)


@dataclass(frozen=True)
class IndexChange:
    """An area's index in an earlier period and the change since (None when either has no index)."""

    earlier: float | None
    change: float | None


def index_changes(table: IndexTable, earlier: IndexTable) -> dict[str | None, IndexChange]:
    """Each area's (by KATO; None: without district) and the total's (key "total") index in `earlier` and the
    change to `table`'s: a negative change is an area that got worse. Both tables are of the same scope."""
    before = {row.area.kato: row.index for row in earlier.rows}
    before["total"] = earlier.total.index
    now = {row.area.kato: row.index for row in table.rows}
    now["total"] = table.total.index
    return {key: IndexChange(before.get(key), None if value is None or before.get(key) is None
                             else round(value - before[key], 1)) for key, value in now.items()}

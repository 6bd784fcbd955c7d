"""The statistics tables (regions, violations, items) as rows, CSV and XLSX."""

from collections.abc import Iterator
from datetime import date
from typing import IO, TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from exports.tabular import write_xlsx_sheets
from inspect_app.models import Audit, User
from inspect_app.models.audit import AUDIT_RESULTS, LEGAL_BASES
from inspect_app.models.vocab import FACILITY_TYPES, RISKS
from inspect_app.services.errors import InvalidInput
from inspect_app.services.statistics.files import column_spec, write_table
from inspect_app.services.statistics.queries import (
    audits_with_facility,
    counted_audits,
    resolve_scope,
)
from inspect_app.services.statistics.results import FORMATS, TABLES, ItemStats, StatsScope, Summary
from inspect_app.services.statistics.summary import summary
from inspect_app.services.statistics.violations import failed_items

if TYPE_CHECKING:
    from inspect_app.services.statistics.index import IndexTable, IndexWeights


def _period_columns(scope: StatsScope) -> dict[str, Any]:
    return {"date_from": scope.date_from, "date_to": scope.date_to}


REGION_COLUMNS = (
    ["level", "kato", "name_ru", "name_kk", "facilities"]
    + [f"risk_{r}" for r in RISKS] + [f"type_{t}" for t in FACILITY_TYPES]
    + ["inspections", "inspections_reviewed"] + [f"basis_{b}" for b in LEGAL_BASES]
    + [f"result_{r}" for r in AUDIT_RESULTS]
    + ["due_facilities", "inspected_in_time", "overdue_facilities", "never_inspected", "in_time_share",
       "violations_total", "violations_open", "violations_resolved", "violations_overdue", "date_from", "date_to"]
)

VIOLATION_COLUMNS = ["level", "kato", "name_ru", "section", "severity", "total", "open", "resolved", "overdue",
                     "date_from", "date_to"]
ITEM_COLUMNS = ["rank", "item_code", "section", "severity", "text_ru", "text_kk", "text_en", "failures",
                "share_of_inspections", "date_from", "date_to"]


def _region_rows(data: Summary) -> Iterator[dict[str, Any]]:
    for area in data.areas:
        yield {
            "level": data.level, "kato": area.kato or "", "name_ru": area.name_ru, "name_kk": area.name_kk,
            "facilities": area.facilities,
            **{f"risk_{r}": area.by_risk.get(r, 0) for r in RISKS},
            **{f"type_{t}": area.by_type.get(t, 0) for t in FACILITY_TYPES},
            "inspections": area.inspections, "inspections_reviewed": area.reviewed,
            **{f"basis_{b}": area.by_basis.get(b, 0) for b in LEGAL_BASES},
            **{f"result_{r}": area.by_result.get(r, 0) for r in AUDIT_RESULTS},
            "due_facilities": area.due, "inspected_in_time": area.in_time,
            "overdue_facilities": area.overdue_facilities, "never_inspected": area.never_inspected,
            "in_time_share": area.in_time_share, "violations_total": area.violations.total,
            "violations_open": area.violations.open, "violations_resolved": area.violations.resolved,
            "violations_overdue": area.violations.overdue, **_period_columns(data.scope),
        }


def _violation_rows(data: Summary) -> Iterator[dict[str, Any]]:
    names = {area.area_id: area for area in data.areas}
    for cell in data.violation_cells:
        area = names.get(cell.area_id)
        yield {"level": data.level, "kato": (area.kato if area else "") or "", "name_ru": area.name_ru if area else "",
               "section": cell.section, "severity": cell.severity, "total": cell.counts.total,
               "open": cell.counts.open, "resolved": cell.counts.resolved, "overdue": cell.counts.overdue,
               **_period_columns(data.scope)}


def _item_rows(items: list[ItemStats], scope: StatsScope) -> Iterator[dict[str, Any]]:
    for item in items:
        yield {"rank": item.rank, "item_code": item.item_code, "section": item.section, "severity": item.severity,
               "text_ru": item.text.get("ru", ""), "text_kk": item.text.get("kk", ""),
               "text_en": item.text.get("en", ""), "failures": item.failures,
               "share_of_inspections": item.share, **_period_columns(scope)}


def table_rows(session: Session, user: User, table: str, args: dict[str, Any],
               today: date | None = None) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The columns and rows of one statistics table: `regions` (a row per region or district),
    `violations` (area x section x severity) or `items` (every failed item, most frequent first)."""
    if table not in TABLES:
        raise InvalidInput(f"Unknown table; use one of {', '.join(TABLES)}.", "table")
    if table == "items":
        scope = resolve_scope(session, user, args, today)
        inspections = session.scalar(audits_with_facility(sa.select(sa.func.count(Audit.id)).select_from(Audit))
                                     .where(*counted_audits(user, scope)))
        return ITEM_COLUMNS, _item_rows(failed_items(session, user, scope, None, inspections), scope)
    data = summary(session, user, args, today)
    if table == "regions":
        return REGION_COLUMNS, _region_rows(data)
    return VIOLATION_COLUMNS, _violation_rows(data)


def export_table(session: Session, user: User, table: str, fmt: str, fp: IO[bytes], args: dict[str, Any],
                 today: date | None = None, *, for_people: bool = False) -> int:
    """Write one statistics table as CSV or XLSX to a binary file object; returns the row count.

    `for_people` heads the columns in the UI language (the dashboard's XLSX) instead of their keys.
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format; use one of {', '.join(FORMATS)}.", "format")
    columns, rows = table_rows(session, user, table, args, today)
    return write_table(rows, columns, fmt, fp, table, for_people=for_people)


def export_filename(table: str, fmt: str, args: dict[str, Any]) -> str:
    """A download name that says what the file holds, e.g. `statistics-regions-190000000.xlsx`."""
    parts = ["statistics", table]
    if args.get("region"):
        parts.append(str(args["region"]))
    if args.get("date_from") or args.get("date_to"):
        parts.append(f"{args.get('date_from') or ''}_{args.get('date_to') or ''}")
    return "-".join(parts) + "." + FORMATS[fmt][1]


MONTH_COLUMNS = ["month"] + [f"result_{r}" for r in AUDIT_RESULTS] + ["inspections", "inspections_year_before"]
INDEX_COLUMNS = ["rank", "kato", "name_ru", "name_kk", "index", "in_time_share"] + [
    "compliance_safety", "compliance_nutrition", "compliance_health", "inspections", "date_from", "date_to"]
INDEX_TREND_COLUMNS = ["month", "index"]


def _month_rows(data: Summary) -> Iterator[dict[str, Any]]:
    for month in data.monthly:
        yield {"month": month.month, **{f"result_{r}": month.by_result.get(r, 0) for r in AUDIT_RESULTS},
               "inspections": month.total,
               "inspections_year_before": sum(month.year_before.values()) if month.year_before is not None else None}


def _index_rows(table: "IndexTable") -> Iterator[dict[str, Any]]:
    for row in [*table.rows, table.total]:
        yield {"rank": row.rank, "kato": row.area.kato or "", "name_ru": row.area.name_ru,
               "name_kk": row.area.name_kk, "index": row.index, "in_time_share": row.in_time_share,
               **{f"compliance_{s}": row.compliance.get(s) for s in ("safety", "nutrition", "health")},
               "inspections": row.area.inspections, **_period_columns(table.data.scope)}


def index_table_rows(table: "IndexTable") -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The ranking of the compliance index (the scope's own row last) as export columns and rows."""
    return INDEX_COLUMNS, _index_rows(table)


def export_index(table: "IndexTable", fmt: str, fp: IO[bytes], *, for_people: bool = False) -> int:
    """Write the index ranking as CSV, or the ranking and its trend as two XLSX sheets; returns the ranking rows."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format; use one of {', '.join(FORMATS)}.", "format")
    if fmt == "csv":
        return write_table(_index_rows(table), INDEX_COLUMNS, fmt, fp, "index", for_people=for_people)
    trend = ({"month": month, "index": value} for month, value in table.trend)
    return write_xlsx_sheets([("index", _index_rows(table), column_spec(INDEX_COLUMNS, for_people)),
                              ("index_trend", trend, column_spec(INDEX_TREND_COLUMNS, for_people))], fp)[0]


def export_all(session: Session, user: User, args: dict[str, Any], weights: "IndexWeights", fp: IO[bytes],
               today: date | None = None, *, for_people: bool = False) -> list[int]:
    """Every statistics table of the scope in one XLSX workbook, a sheet per table: areas, violations, failed
    items, months, the index ranking and its trend, prescription items, the inspectors' figures.
    Returns the row count of each sheet."""
    from inspect_app.services.statistics.index import compliance_index
    from inspect_app.services.statistics.inspectors import INSPECTOR_COLUMNS, inspector_figures, inspector_rows
    from inspect_app.services.statistics.remedies import PRESCRIPTION_COLUMNS, remedy_figures, remedy_rows

    table = compliance_index(session, user, args, weights, today)
    data = table.data
    inspections = data.total.inspections
    items = failed_items(session, user, data.scope, None, inspections)

    def spec(columns: list[str]) -> list[tuple[str, str]]:
        return column_spec(columns, for_people)

    trend = ({"month": month, "index": value} for month, value in table.trend)
    return write_xlsx_sheets([
        ("regions", _region_rows(data), spec(REGION_COLUMNS)),
        ("violations", _violation_rows(data), spec(VIOLATION_COLUMNS)),
        ("items", _item_rows(items, data.scope), spec(ITEM_COLUMNS)),
        ("months", _month_rows(data), spec(MONTH_COLUMNS)),
        ("index", _index_rows(table), spec(INDEX_COLUMNS)),
        ("index_trend", trend, spec(INDEX_TREND_COLUMNS)),
        ("prescriptions", remedy_rows(remedy_figures(session, user, args, today)), spec(PRESCRIPTION_COLUMNS)),
        ("inspectors", inspector_rows(inspector_figures(session, user, args, today)), spec(INSPECTOR_COLUMNS)),
    ], fp)

"""Compliance statistics for supervisors and the ministry: the dashboard's figures and their exports.

Modules: results (dataclasses), queries (scope and one GROUP BY per figure), summary, tables (rows, CSV, XLSX).

Every figure is an aggregate computed in SQL (GROUP BY), so a national view over 30,000 facilities and
hundreds of thousands of audits never loads rows one by one. Everything is keyed by the facility's region
(and district, when one region is selected): a supervisor always sees their own region by district, the
ministry and admins the country by region or any single region by district. Inspectors get 403.

What the figures mean, for a period `date_from`..`date_to` (default: the current year in Asia/Almaty):

- Facilities: the registry as it is now (archived records left out), by risk and by type.
- Inspections: submitted audits with an inspection date in the period; an audit replaced by a submitted
  correction is not counted twice (the correction counts instead).
- In time: active (not closed) facilities whose newest inspection on or before the reference date
  (`as_of`, the period's end or today, whichever is earlier) is no older than the interval of their risk
  category (`INSPECTION_INTERVAL_DAYS`); the rest, never-inspected ones included, are overdue.
- Violations: those raised by the period's inspections, with their current status; superseded ones (of
  a corrected audit) are left out. Overdue = still open and the deadline is before today.
- Facilities with an open critical violation: now, whatever the period.
"""

from inspect_app.services.statistics.queries import resolve_scope, section_titles
from inspect_app.services.statistics.results import (
    CRITICAL_LIST_LIMIT,
    FORMATS,
    TABLES,
    TOP_ITEMS,
    AreaStats,
    CriticalFacility,
    ItemStats,
    MonthStats,
    StatsScope,
    Summary,
    ViolationCell,
    ViolationCounts,
)
from inspect_app.services.statistics.summary import summary
from inspect_app.services.statistics.tables import (
    export_all,
    export_filename,
    export_index,
    export_table,
    table_rows,
)
from inspect_app.services.statistics.violations import failed_items

__all__ = [
    "CRITICAL_LIST_LIMIT", "FORMATS", "TABLES", "TOP_ITEMS",
    "AreaStats", "CriticalFacility", "ItemStats", "MonthStats", "StatsScope", "Summary", "ViolationCell",
    "ViolationCounts",
    "export_all", "export_filename", "export_index", "export_table",
    "failed_items", "resolve_scope", "section_titles", "summary", "table_rows",
]

"""A capacity plan as CSV or XLSX (the page's table, one row per district or region, then the total)."""

import io
from typing import IO

from exports.tabular import write_csv, write_xlsx
from inspect_app.labels import stat_column_label
from inspect_app.services.capacity.plan import CapacityPlan, plan_rows

FIELDS = ["kato", "name_ru", "name_kk", "facilities", "routine_visits", "followup_visits", "urgent_visits",
           "visit_minutes", "needed_days", "inspectors", "absence_days", "available_days", "gap_days",
           "gap_inspectors"]
COLUMNS = [(name, name) for name in FIELDS]
FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}


def write_plan(plan: CapacityPlan, fmt: str, fp: IO[bytes], *, for_people: bool = False) -> int:
    """Write the plan's rows (the total last, named "итого") to `fp`; returns the row count. For people (the page's
    XLSX) the columns are headed in the UI language; the API and the CLI keep the keys."""
    columns = [(name, stat_column_label(name)) for name in FIELDS] if for_people else COLUMNS
    rows = []
    for row in plan_rows(plan):
        if row.pop("total"):
            row["name_ru"], row["name_kk"] = f"итого: {row['name_ru']}", f"барлығы: {row['name_kk']}"
        rows.append(row)
    if fmt == "xlsx":
        return write_xlsx(rows, columns, fp, sheet_title=f"Capacity {plan.year}")
    return write_csv(rows, columns, fp)


def plan_download(plan: CapacityPlan, fmt: str, *, for_people: bool = False) -> tuple[bytes, str, str]:
    """The plan's table as a file to download: (content, media type, file name); the API and the page send it."""
    buffer = io.BytesIO()
    write_plan(plan, fmt, buffer, for_people=for_people)
    mimetype, suffix = FORMATS[fmt]
    return buffer.getvalue(), mimetype, f"capacity-{plan.scope_kato or 'kz'}-{plan.year}.{suffix}"

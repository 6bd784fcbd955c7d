"""The dashboard's PDF summary: the key figures, the monthly and by-section charts and the tables of areas,
prescription items and inspectors, in ru, kk or en (exports/stats_summary.py draws it)."""

from datetime import date
from typing import Any

from flask_babel import force_locale
from sqlalchemy.orm import Session

from exports.i18n import fmt_decimal
from exports.stats_summary import Chart, StatsSummary, SummaryTable, write_stats_summary
from inspect_app.labels import reviewed_of, stat_column_label, stats_summary_labels
from inspect_app.models import User
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.services.statistics.inspectors import inspector_figures
from inspect_app.services.statistics.remedies import remedy_figures
from inspect_app.services.statistics.summary import summary

RESULT_COLOURS = {"pass": "#2e7d32", "pass_with_violations": "#ef8f00", "fail": "#c62828"}


def summary_pdf(session: Session, user: User, args: dict[str, Any], lang: str = "ru",
                today: date | None = None) -> bytes:
    """The PDF summary of the dashboard for the user's scope and the period, in `lang` (403 for inspectors)."""
    data = summary(session, user, args, today)
    remedies = remedy_figures(session, user, args, today)
    inspectors = inspector_figures(session, user, args, today)
    with force_locale(lang):
        words = stats_summary_labels()
        scope = data.region.name(lang) if data.region else words["country"]
        doc = StatsSummary(
            title=words["title"],
            scope=f"{scope} · {words['period']}: {data.date_from:%d.%m.%Y} – {data.date_to:%d.%m.%Y}",
            figures=_figures(data, remedies, words, lang), charts=_charts(data, words, lang),
            tables=[*_chart_tables(data, words, lang), _areas(data, words, lang), _remedies(remedies, words, lang),
                    _inspectors(inspectors, words, lang)],
            footer=f"{words['generated']}: {data.scope.today:%d.%m.%Y}")
    return write_stats_summary(doc, lang)


def _figures(data, remedies, words: dict[str, str], lang: str) -> list[tuple[str, str]]:
    """The key figures at the top."""
    total = data.total

    def pct(value: float | None) -> str:
        return "—" if value is None else fmt_decimal(value, lang) + "%"

    return [
        (words["facilities"], str(total.facilities)),
        (words["inspections"], f"{total.inspections} ({reviewed_of(total.reviewed, total.inspections)})"),
        (words["in_time"], pct(total.in_time_share)), (words["overdue"], str(total.overdue_facilities)),
        (words["violations_open"], str(total.violations.open)),
        (words["violations_overdue"], str(total.violations.overdue)),
        (words["items_open"], str(remedies.total.open + remedies.total.not_fixed)),
    ]


def _charts(data, words: dict[str, str], lang: str) -> list[Chart]:
    """Inspections by month and result (the last 24 months), violations by section and state."""
    months = [m.month for m in data.monthly][-24:]
    monthly = [m for m in data.monthly if m.month in months]
    charts = [Chart(words["monthly"], months,
                    [(words[f"result.{r}"], RESULT_COLOURS[r], [m.by_result.get(r, 0) for m in monthly])
                     for r in AUDIT_RESULTS])]
    sections = list(data.violations_by_section.items())
    if sections:
        charts.append(Chart(words["sections"], [data.section_title(code, lang) for code, _c in sections], [
            (words["overdue_open"], "#c62828", [c.overdue for _code, c in sections]),
            (words["open_in_time"], "#ef8f00", [c.open - c.overdue for _code, c in sections]),
            (words["resolved"], "#2e7d32", [c.resolved for _code, c in sections])]))
    return charts


def _chart_tables(data, words: dict[str, str], lang: str) -> list[SummaryTable]:
    """The two charts' numbers as tables, so that a printed or read-aloud summary need not measure bars."""
    months = data.monthly[-24:]
    tables = [SummaryTable(
        words["monthly"],
        [stat_column_label("month")] + [words[f"result.{r}"] for r in AUDIT_RESULTS]
        + [stat_column_label("total"), stat_column_label("inspections_year_before")],
        [[m.month, *(m.by_result.get(r, 0) for r in AUDIT_RESULTS), m.total,
          None if m.year_before is None else sum(m.year_before.values())] for m in months])]
    if data.violations_by_section:
        tables.append(SummaryTable(
            words["sections"], [words["section"], words["overdue_open"], words["open_in_time"], words["resolved"]],
            [[data.section_title(code, lang), c.overdue, c.open - c.overdue, c.resolved]
             for code, c in data.violations_by_section.items()]))
    return tables


def _areas(data, words: dict[str, str], lang: str) -> SummaryTable:
    """The region's districts (or the country's regions) and the total."""
    cols = ["facilities", "inspections", "inspected_in_time", "overdue_facilities", "violations_open",
            "violations_overdue", "violations_resolved"]
    table = SummaryTable(
        words["areas_district" if data.level == "district" else "areas_region"],
        [stat_column_label("name")] + [stat_column_label(c) for c in cols],
        [[a.name(lang) if a.kato else words["no_district"], a.facilities, a.inspections, a.in_time,
          a.overdue_facilities, a.violations.open, a.violations.overdue, a.violations.resolved]
         for a in [*data.areas, data.total]])
    table.rows[-1][0] = words["total"]
    return table


def _remedies(remedies, words: dict[str, str], lang: str) -> SummaryTable:
    """Prescription items by area and the total."""
    cols = ["items", "items_open", "items_overdue", "items_verified", "items_not_fixed", "median_days_to_fix"]
    total = remedies.total
    return SummaryTable(
        words["prescriptions"], [stat_column_label("name")] + [stat_column_label(c) for c in cols],
        [[r.name(lang) if r.kato else words["no_district"], r.items, r.open, r.overdue, r.verified,
          r.not_fixed, r.median_days] for r in remedies.rows]
        + [[words["total"], total.items, total.open, total.overdue, total.verified, total.not_fixed,
            total.median_days]])


def _inspectors(inspectors, words: dict[str, str], lang: str) -> SummaryTable:
    """Inspectors' (or regions') visits, returned audits and days to submit, and the total."""
    cols = ["visits_planned", "visits_done", "visits_not_done", "visits_open", "audits_returned",
            "median_days_to_submit"]
    total = inspectors.total
    return SummaryTable(
        words["inspectors"], [stat_column_label("name")] + [stat_column_label(c) for c in cols],
        [[r.label(lang) if r.key is not None else words["no_inspector"], r.planned, r.done, r.not_done_total,
          r.open, r.returned, r.median_days] for r in inspectors.rows]
        + [[words["total"], total.planned, total.done, total.not_done_total, total.open, total.returned,
            total.median_days]])


def summary_filename(lang: str, args: dict[str, Any]) -> str:
    """A download name that says what the PDF holds, e.g. `statistics-summary-kk-190000000.pdf`."""
    parts = ["statistics", "summary", lang]
    if args.get("region"):
        parts.append(str(args["region"]))
    if args.get("date_from") or args.get("date_to"):
        parts.append(f"{args.get('date_from') or ''}_{args.get('date_to') or ''}")
    return "-".join(parts) + ".pdf"

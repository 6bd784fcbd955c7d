"""The compliance dashboard and its CSV/XLSX downloads."""

import io
from datetime import date

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from marshmallow import ValidationError

from inspect_app.extensions import db
from inspect_app.labels import BASIS_LABELS, LABELS, RESULT_LABELS, SEVERITY_LABELS
from inspect_app.messages import ui_message
from inspect_app.models.vocab import FACILITY_TYPES
from inspect_app.runtime import current_runtime
from inspect_app.schemas.statistics import (
    STAT_FORMATS,
    STAT_TABLES,
    StatisticsCompareArgsSchema,
    StatisticsQueryArgsSchema,
)
from inspect_app.services import access, statistics
from inspect_app.services.access import readable_regions, require_registry_reader
from inspect_app.services.errors import InvalidInput, NotFound
from inspect_app.services.statistics.cache import aged_summary, cached_fragment
from inspect_app.services.statistics.exports_job import export_file, start_export
from inspect_app.services.statistics.index import IndexWeights, compliance_index, index_changes
from inspect_app.services.statistics.inspectors import export_inspectors, inspector_figures
from inspect_app.services.statistics.map import facility_detail, map_json
from inspect_app.services.statistics.remedies import export_remedies, remedy_figures
from inspect_app.services.statistics.summary_pdf import summary_filename
from inspect_app.services.statistics.summary_pdf import summary_pdf as pdf_summary
from inspect_app.web.downloads import exact_type
from inspect_app.web.forms_io import flatten_errors

bp = Blueprint("dashboard", __name__)
FILTERS = ("region", "date_from", "date_to")
COMPARE = ("compare_from", "compare_to")


def _args() -> tuple[dict, dict[str, list[str]]]:
    """The filters of the query string, validated; invalid ones are dropped and reported."""
    return _args_from(request.args)


def _args_from(source, schema=StatisticsQueryArgsSchema, names=FILTERS) -> tuple[dict, dict[str, list[str]]]:
    raw = {k: source[k] for k in names if source.get(k)}
    try:
        return schema().load(raw), {}
    except ValidationError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        errors = flatten_errors(exc.normalized_messages())
        return {k: v for k, v in valid.items() if k not in errors}, errors


def _download(kind: str, fmt: str, args: dict, write):
    """A statistics file written by `write(buffer)`, named for what it holds and the scope asked."""
    buffer = io.BytesIO()
    write(buffer)
    buffer.seek(0)
    mimetype = statistics.FORMATS[fmt][0]
    return exact_type(send_file(buffer, mimetype=mimetype, as_attachment=True,
                                download_name=statistics.export_filename(kind, fmt, args)), mimetype)


@bp.route("/dashboard")
@login_required
def index():
    """Compliance figures of the user's region (supervisor) or of the country or one region (ministry, admin)."""
    require_registry_reader(current_user)
    args, errors = _args()
    scope = statistics.resolve_scope(db.session, current_user, args)  # 403 for another region, before any cache
    regions = readable_regions(db.session, current_user) if access.sees_all_regions(current_user) else []
    raw = {k: request.args[k] for k in FILTERS if request.args.get(k) and k not in errors}
    runtime = current_runtime()
    locale = str(get_locale() or "ru")

    def figures() -> tuple[str, float]:
        data, age = aged_summary(db.session, current_user, args, ttl=runtime.stats_cache_seconds,
                                 redis_url=runtime.redis_url)
        inspectors = inspector_figures(db.session, current_user, args)
        remedies = remedy_figures(db.session, current_user, args)
        return render_template("dashboard/_figures.html", data=data, regions=regions, args=raw,
                               inspectors=inspectors, remedies=remedies,
                               charts=_chart_data(data), tables=STAT_TABLES, formats=STAT_FORMATS,
                               RESULT_LABELS=RESULT_LABELS, BASIS_LABELS=BASIS_LABELS,
                               SEVERITY_LABELS=SEVERITY_LABELS), age

    # The figures' part of the page is the same for everyone of this role and region asking the same: rendered
    # once per language and query string, kept as long as the figures (the page around it has the user's name
    # and CSRF token).
    html = cached_fragment(current_user, args, (locale, repr(sorted(raw.items()))), ttl=runtime.stats_cache_seconds,
                           redis_url=runtime.redis_url, render=figures)
    return render_template("dashboard/index.html", figures=Markup(html), scope=scope, regions=regions, args=raw,
                           errors=errors), 422 if errors else 200


@bp.route("/dashboard/export/<table>.<fmt>")
@login_required
def export(table: str, fmt: str):
    """Download one statistics table, for the dashboard's region and period, as CSV or XLSX."""
    if table not in STAT_TABLES or fmt not in STAT_FORMATS:
        raise NotFound(_("Неизвестная таблица или формат."))
    args, _errors = _args()
    # A person opens the XLSX: its columns are headed in the UI language (the CSV keeps the keys for programs).
    return _download(table, fmt, args, lambda out: statistics.export_table(
        db.session, current_user, table, fmt, out, args, for_people=fmt == "xlsx"))


@bp.route("/dashboard/inspectors.<fmt>")
@login_required
def inspectors_export(fmt: str):
    """The inspectors' figures (a row per inspector, or per region for the country) as CSV or XLSX."""
    if fmt not in STAT_FORMATS:
        raise NotFound(_("Неизвестная таблица или формат."))
    args, _errors = _args()
    figures = inspector_figures(db.session, current_user, args)
    return _download("inspectors", fmt, args,
                     lambda out: export_inspectors(figures, fmt, out, for_people=fmt == "xlsx"))


@bp.route("/dashboard/prescriptions.<fmt>")
@login_required
def remedies_export(fmt: str):
    """The prescription items' figures by area as CSV or XLSX."""
    if fmt not in STAT_FORMATS:
        raise NotFound(_("Неизвестная таблица или формат."))
    args, _errors = _args()
    figures = remedy_figures(db.session, current_user, args)
    return _download("prescriptions", fmt, args,
                     lambda out: export_remedies(figures, fmt, out, for_people=fmt == "xlsx"))


@bp.route("/dashboard/summary.pdf")
@login_required
def summary_pdf():
    """The dashboard as a PDF summary (figures, charts drawn on the server, tables) in the page's language."""
    args, _errors = _args()
    lang = str(get_locale() or "ru")
    body = pdf_summary(db.session, current_user, args, lang)
    return exact_type(send_file(io.BytesIO(body), mimetype="application/pdf", as_attachment=True,
                                download_name=summary_filename(lang, args)),
                      "application/pdf")


@bp.route("/dashboard/exports", methods=["POST"])
@login_required
def national_export():
    """Start the workbook or the PDF summary of the dashboard's scope as a background job; show its progress."""
    args, errors = _args_from(request.form)
    if errors:
        flash("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()), "error")
        return redirect(url_for("dashboard.index"))
    args["format"] = request.form.get("format", "")
    args["lang"] = str(get_locale() or "ru")
    try:
        job = start_export(db.session, current_user, args, current_app.config["COMPLIANCE_INDEX_WEIGHTS"],
                           current_runtime())
    except InvalidInput as exc:
        flash(ui_message(exc.message), "error")
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/dashboard/exports/<job_id>")
@login_required
def national_download(job_id: str):
    """The finished workbook or summary of an export the user started."""
    path, name, mimetype = export_file(db.session, current_user, job_id, current_runtime())
    return exact_type(send_file(path, mimetype=mimetype, as_attachment=True, download_name=name), mimetype)


@bp.route("/dashboard/map")
@login_required
def map_page():
    """The results map of the facilities in scope: one request for every marker, details on a click."""
    require_registry_reader(current_user)
    regions = readable_regions(db.session, current_user) if access.sees_all_regions(current_user) else []
    labels = {
        "types": {t: str(LABELS["type"][t]) for t in FACILITY_TYPES},
        "results": {r: str(RESULT_LABELS[r]) for r in RESULT_LABELS},
        "severities": {s: str(SEVERITY_LABELS[s]) for s in SEVERITY_LABELS},
        "never": _("Не проверялся"), "critical": _("Открытых критических нарушений"),
        "overdue": _("Проверка просрочена"), "last_audit": _("Последняя проверка"),
        "open_items": _("Неустранённые нарушения"), "none_open": _("Неустранённых нарушений нет"),
        "due": _("срок"), "open_audit": _("Открыть акт"), "open_facility": _("Карточка объекта"),
        "shown": _("Показано объектов"), "loading": _("Загрузка…"), "failed": _("Не удалось загрузить данные карты"),
    }
    return render_template("dashboard/map.html", regions=regions, region=request.args.get("region", ""),
                           labels=labels)


@bp.route("/dashboard/map.json")
@login_required
def map_data():
    """Every marker of the map in one compact answer (parallel arrays; see services/statistics/map.py)."""
    region_id = None
    if request.args.get("region"):
        scope = statistics.resolve_scope(db.session, current_user, {"region": request.args["region"]})
        region_id = scope.region.id if scope.region is not None else None
    return current_app.response_class(map_json(db.session, current_user, region_id), mimetype="application/json")


@bp.route("/dashboard/map/facility/<int:facility_id>.json")
@login_required
def map_facility(facility_id: int):
    """One marker's popup: the facility's newest audit and its open items."""
    return jsonify(facility_detail(db.session, current_user, facility_id))


def _weights() -> IndexWeights:
    return IndexWeights.from_config(current_app.config["COMPLIANCE_INDEX_WEIGHTS"])


@bp.route("/dashboard/index")
@login_required
def index_page():
    """The child-safety compliance index: areas ranked, the formula and weights, the trend."""
    require_registry_reader(current_user)
    args, errors = _args()
    compare, compare_errors = _args_from(request.args, StatisticsCompareArgsSchema, COMPARE)
    errors = {**errors, **compare_errors}
    table = compliance_index(db.session, current_user, args, _weights())
    changes, worse = {}, []
    if len(compare) == 2:  # the same scope in an earlier period: which areas got worse since
        earlier = compliance_index(db.session, current_user, {**args, "date_from": compare["compare_from"],
                                                              "date_to": compare["compare_to"]}, _weights())
        changes = index_changes(table, earlier)
        worse = sorted((row for row in table.rows if (changes[row.area.kato].change or 0) < 0),
                       key=lambda row: changes[row.area.kato].change)
    regions = readable_regions(db.session, current_user) if access.sees_all_regions(current_user) else []
    raw = {k: request.args[k] for k in (*FILTERS, *COMPARE) if request.args.get(k) and k not in errors}
    trend = [(format_date(date(int(m[:4]), int(m[5:]), 1), "LLLL yyyy"), value) for m, value in table.trend]
    return render_template("dashboard/index_page.html", table=table, data=table.data, regions=regions, args=raw,
                           errors=errors, trend=trend, bars=_bars(trend), compare=compare if len(compare) == 2 else {},
                           changes=changes, worse=worse), 422 if errors else 200


@bp.route("/dashboard/index/export.<fmt>")
@login_required
def index_export(fmt: str):
    """The index ranking as CSV, or the ranking and its trend as XLSX."""
    if fmt not in STAT_FORMATS:
        raise NotFound(_("Неизвестная таблица или формат."))
    args, _errors = _args()
    table = compliance_index(db.session, current_user, args, _weights())
    return _download("index", fmt, args,
                     lambda out: statistics.export_index(table, fmt, out, for_people=fmt == "xlsx"))


@bp.route("/dashboard/export-all.xlsx")
@login_required
def export_all():
    """Every table of the dashboard (areas, violations, items, months, index and its trend) in one workbook."""
    args, _errors = _args()
    return _download("all", "xlsx", args, lambda out: statistics.export_all(
        db.session, current_user, args, _weights(), out, for_people=True))


def _bars(points: list[tuple[str, float | None]], width: int = 640, height: int = 200) -> list[dict]:
    """The trend as SVG bars drawn on the server (0..100 on the height), so the chart needs no script."""
    step = width / max(len(points), 1)
    return [{"x": round(n * step + 4, 1), "width": round(step - 8, 1), "label": label, "value": value,
             "height": round(height * (value or 0) / 100.0, 1), "y": round(height - height * (value or 0) / 100.0, 1)}
            for n, (label, value) in enumerate(points)]


RESULT_COLOURS = {"pass": "#2e7d32", "pass_with_violations": "#ef8f00", "fail": "#c62828"}


def _chart_data(data: statistics.Summary) -> dict:
    """The two charts' labels and series in the UI language, for Chart.js."""
    locale = str(get_locale() or "ru")
    months = [format_date(date(int(m.month[:4]), int(m.month[5:]), 1), "LLL yy") for m in data.monthly]
    sections = list(data.violations_by_section.items())
    return {
        "monthly": {
            "labels": months,
            "datasets": [{"label": str(RESULT_LABELS[r]), "backgroundColor": colour,
                          "data": [m.by_result.get(r, 0) for m in data.monthly]}
                         for r, colour in RESULT_COLOURS.items()],
        },
        "sections": {
            "labels": [data.section_title(code, locale) for code, _counts in sections],
            "datasets": [
                {"label": _("Просрочено"), "backgroundColor": "#c62828",
                 "data": [c.overdue for _code, c in sections]},
                {"label": _("Не устранено, срок не истёк"), "backgroundColor": "#ef8f00",
                 "data": [c.open - c.overdue for _code, c in sections]},
                {"label": _("Устранено"), "backgroundColor": "#2e7d32",
                 "data": [c.resolved for _code, c in sections]},
            ],
        },
    }

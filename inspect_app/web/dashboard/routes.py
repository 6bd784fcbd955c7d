"""The compliance dashboard and its CSV/XLSX downloads."""

import io
from datetime import date

from flask import Blueprint, render_template, request, send_file
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from inspect_app.extensions import db
from inspect_app.labels import BASIS_LABELS, RESULT_LABELS, SEVERITY_LABELS
from inspect_app.runtime import current_runtime
from inspect_app.schemas.statistics import STAT_FORMATS, STAT_TABLES, StatisticsQueryArgsSchema
from inspect_app.services import access, statistics
from inspect_app.services.access import readable_regions, require_registry_reader
from inspect_app.services.errors import NotFound
from inspect_app.services.statistics.cache import cached_summary
from inspect_app.web.downloads import exact_type
from inspect_app.web.forms_io import flatten_errors

bp = Blueprint("dashboard", __name__)
FILTERS = ("region", "date_from", "date_to")


def _args() -> tuple[dict, dict[str, list[str]]]:
    """The filters of the query string, validated; invalid ones are dropped and reported."""
    raw = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    try:
        return StatisticsQueryArgsSchema().load(raw), {}
    except ValidationError as exc:
        valid = exc.valid_data if isinstance(exc.valid_data, dict) else {}
        errors = flatten_errors(exc.normalized_messages())
        return {k: v for k, v in valid.items() if k not in errors}, errors


@bp.route("/dashboard")
@login_required
def index():
    """Compliance figures of the user's region (supervisor) or of the country or one region (ministry, admin)."""
    require_registry_reader(current_user)
    args, errors = _args()
    data = cached_summary(db.session, current_user, args, ttl=current_runtime().stats_cache_seconds)
    regions = readable_regions(db.session, current_user) if access.sees_all_regions(current_user) else []
    raw = {k: request.args[k] for k in FILTERS if request.args.get(k) and k not in errors}
    return render_template("dashboard/index.html", data=data, regions=regions, args=raw, errors=errors,
                           charts=_chart_data(data), tables=STAT_TABLES, formats=STAT_FORMATS,
                           RESULT_LABELS=RESULT_LABELS, BASIS_LABELS=BASIS_LABELS,
                           SEVERITY_LABELS=SEVERITY_LABELS), 422 if errors else 200


@bp.route("/dashboard/export/<table>.<fmt>")
@login_required
def export(table: str, fmt: str):
    """Download one statistics table, for the dashboard's region and period, as CSV or XLSX."""
    if table not in STAT_TABLES or fmt not in STAT_FORMATS:
        raise NotFound(_("Неизвестная таблица или формат."))
    args, _errors = _args()
    buffer = io.BytesIO()
    # A person opens the XLSX: its columns are headed in the UI language (the CSV keeps the keys for programs).
    statistics.export_table(db.session, current_user, table, fmt, buffer, args, for_people=fmt == "xlsx")
    buffer.seek(0)
    mimetype = statistics.FORMATS[fmt][0]
    return exact_type(send_file(buffer, mimetype=mimetype, as_attachment=True,
                                download_name=statistics.export_filename(table, fmt, args)), mimetype)


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

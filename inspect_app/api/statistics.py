"""Compliance statistics: the dashboard's figures as JSON and its tables as CSV or XLSX."""

import io

from flask import Response, current_app
from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_registry_request
from inspect_app.api.contract import file_answer
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.schemas.statistics import (
    ComplianceIndexSchema,
    InspectorFiguresSchema,
    PrescriptionFiguresSchema,
    StatisticsExportArgsSchema,
    StatisticsIndexArgsSchema,
    StatisticsPdfArgsSchema,
    StatisticsQueryArgsSchema,
    StatisticsSummarySchema,
)
from inspect_app.services import statistics
from inspect_app.services.statistics.cache import cached_summary
from inspect_app.services.statistics.index import IndexWeights, compliance_index
from inspect_app.services.statistics.inspectors import export_inspectors, inspector_figures
from inspect_app.services.statistics.remedies import export_remedies, remedy_figures
from inspect_app.services.statistics.summary_pdf import summary_filename, summary_pdf

blp = Blueprint("statistics", __name__, url_prefix="statistics", tag="Statistics", refuses=(403,),
                description="Compliance statistics for supervisors and the ministry")
blp.before_request(authenticate_registry_request)


@blp.route("/summary")
class Summary(MethodView):
    @blp.doc(operationId="get_statistics_summary")
    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, StatisticsSummarySchema)
    def get(self, args):
        """Every dashboard figure for your region (or one region, or the country) and a period."""
        runtime = current_runtime()
        return cached_summary(db.session, api_user(), args, ttl=runtime.stats_cache_seconds,
                              redis_url=runtime.redis_url)


@blp.route("/prescriptions/summary")
class PrescriptionSummary(MethodView):
    @blp.doc(operationId="get_statistics_prescriptions_summary")
    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, PrescriptionFiguresSchema)
    def get(self, args):
        """The dashboard's prescription figures (items open, overdue, verified, not fixed, median days to fix) by
        area, and how many of the audits by result and violations by section a supervisor reviewed."""
        return remedy_figures(db.session, api_user(), args)


@blp.route("/inspectors/summary")
class InspectorSummary(MethodView):
    @blp.doc(operationId="get_statistics_inspectors_summary")
    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, InspectorFiguresSchema)
    def get(self, args):
        """The dashboard's inspector figures: a row per inspector of a region (per region for the country)."""
        return inspector_figures(db.session, api_user(), args)


@blp.route("/index/summary")
class IndexSummary(MethodView):
    @blp.doc(operationId="get_statistics_index_summary")
    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @blp.response(200, ComplianceIndexSchema)
    def get(self, args):
        """The child-safety compliance index: the areas ranked, the scope's index, the weights, the trend."""
        return compliance_index(db.session, api_user(), args, _weights())


def _download(kind: str, fmt: str, args: dict, write) -> Response:
    """A statistics file written by `write(buffer)` (the tables are small: memory is the simple place), named for
    what it holds and the scope asked."""
    buffer = io.BytesIO()
    write(buffer)
    response = Response(buffer.getvalue(), content_type=statistics.FORMATS[fmt][0])
    response.headers["Content-Disposition"] = f"attachment; filename={statistics.export_filename(kind, fmt, args)}"
    return response


@blp.route("/export")
class Export(MethodView):
    @blp.arguments(StatisticsExportArgsSchema, location="query")
    @file_answer("The statistics table", [mimetype for mimetype, _ in statistics.FORMATS.values()])
    @blp.doc(operationId="get_statistics_export")
    def get(self, args):
        """Download one statistics table (regions, violations or items) as CSV or XLSX."""
        table, fmt = args["table"], args["format"]
        return _download(table, fmt, args,
                         lambda out: statistics.export_table(db.session, api_user(), table, fmt, out, args))


@blp.route("/workbook")
class Workbook(MethodView):
    @blp.arguments(StatisticsQueryArgsSchema, location="query")
    @file_answer("Every statistics table, a sheet each", [statistics.FORMATS["xlsx"][0]])
    @blp.doc(operationId="get_statistics_workbook")
    def get(self, args):
        """Download every statistics table (areas, violations, items, months, the index and its trend) as one
        XLSX workbook, a sheet per table."""
        return _download("all", "xlsx", args,
                         lambda out: statistics.export_all(db.session, api_user(), args, _weights(), out))


@blp.route("/index")
class ComplianceIndex(MethodView):
    @blp.arguments(StatisticsIndexArgsSchema, location="query")
    @file_answer("The compliance index", [mimetype for mimetype, _ in statistics.FORMATS.values()])
    @blp.doc(operationId="get_statistics_index")
    def get(self, args):
        """Download the child-safety compliance index: the ranking as CSV, or the ranking and its trend as XLSX."""
        fmt = args["format"]
        table = compliance_index(db.session, api_user(), args, _weights())
        return _download("index", fmt, args, lambda out: statistics.export_index(table, fmt, out))


@blp.route("/inspectors")
class InspectorFigures(MethodView):
    @blp.arguments(StatisticsIndexArgsSchema, location="query")
    @file_answer("The inspectors' figures", [mimetype for mimetype, _ in statistics.FORMATS.values()])
    @blp.doc(operationId="get_statistics_inspectors")
    def get(self, args):
        """Download the inspectors' figures (visits planned and done, not-done reasons, audits returned in review,
        median days from the visit to the submit): a row per inspector of a region, or per region for the
        country, as CSV or XLSX."""
        fmt = args["format"]
        figures = inspector_figures(db.session, api_user(), args)
        return _download("inspectors", fmt, args, lambda out: export_inspectors(figures, fmt, out))


@blp.route("/prescriptions")
class PrescriptionFigures(MethodView):
    @blp.arguments(StatisticsIndexArgsSchema, location="query")
    @file_answer("The prescription items' figures", [mimetype for mimetype, _ in statistics.FORMATS.values()])
    @blp.doc(operationId="get_statistics_prescriptions")
    def get(self, args):
        """Download the prescription items of the period's prescriptions by area (open, overdue, verified, not
        fixed, median days to fix) as CSV or XLSX."""
        fmt = args["format"]
        figures = remedy_figures(db.session, api_user(), args)
        return _download("prescriptions", fmt, args, lambda out: export_remedies(figures, fmt, out))


@blp.route("/summary.pdf")
class SummaryPdf(MethodView):
    @blp.arguments(StatisticsPdfArgsSchema, location="query")
    @file_answer("The dashboard's PDF summary", ["application/pdf"])
    @blp.doc(operationId="get_statistics_summary_pdf")
    def get(self, args):
        """Download the dashboard as a PDF summary (key figures, charts, the tables of areas, prescription items
        and inspectors) in Russian, Kazakh or English (`lang`)."""
        lang = args.pop("lang")
        response = Response(summary_pdf(db.session, api_user(), args, lang), content_type="application/pdf")
        response.headers["Content-Disposition"] = f"attachment; filename={summary_filename(lang, args)}"
        return response


def _weights() -> IndexWeights:
    return IndexWeights.from_config(current_app.config["COMPLIANCE_INDEX_WEIGHTS"])

"""Prescriptions to remedy: the items' lists and export, one prescription, its PDF, the supervisor's decisions
and deadlines, and the facility's secret link."""

import io

from flask import Response, current_app, send_file, url_for
from flask.views import MethodView
from flask_babel import get_locale

from inspect_app.api.common import MAX_OFFSET, Blueprint, api_user, authenticate_api_request
from inspect_app.api.contract import file_answer, refusals
from inspect_app.extensions import db
from inspect_app.labels import PRESCRIPTION_COLUMNS, label
from inspect_app.runtime import current_runtime
from inspect_app.schemas.prescription import (
    DeadlineSchema,
    DecisionSchema,
    PrescriptionEventSchema,
    PrescriptionExportArgsSchema,
    PrescriptionItemSchema,
    PrescriptionLinkSchema,
    PrescriptionPdfArgsSchema,
    PrescriptionQueryArgsSchema,
    PrescriptionSchema,
)
from inspect_app.services.access import require_prescription_lister
from inspect_app.services.audits.reports import verification_url
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links, queries
from inspect_app.services.prescriptions.reports import prescription_pdf

blp = Blueprint("prescriptions", __name__, url_prefix="prescriptions", tag="Prescriptions",
                description="Prescriptions to remedy the violations found, their items' states and the facility link")
blp.before_request(authenticate_api_request)

EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@blp.route("/items")
class Items(MethodView):
    @blp.arguments(PrescriptionQueryArgsSchema, location="query")
    @blp.response(200, PrescriptionItemSchema(many=True))
    @blp.paginate()
    @refusals(403)
    def get(self, args, pagination_parameters):
        """List the items of the prescriptions in your scope: overdue first, then critical, then by deadline.

        `state` filters by the state shown ("overdue" is derived: open or not fixed past the deadline;
        "unclosed" is open, reported or not fixed).
        """
        user = api_user()
        require_prescription_lister(user)
        query = queries.item_query(user, args)
        pagination_parameters.item_count = db.session.scalar(
            query.order_by(None).with_only_columns(db.func.count(), maintain_column_froms=True))
        if pagination_parameters.first_item > MAX_OFFSET:
            return []  # past any real page; the database would overflow on such an offset
        return queries.item_rows(db.session, query.limit(pagination_parameters.page_size)
                                 .offset(pagination_parameters.first_item))


@blp.route("/items/export")
class ItemsExport(MethodView):
    @blp.arguments(PrescriptionExportArgsSchema, location="query")
    @file_answer("The items as a table", list(EXPORT_TYPES.values()))
    @refusals(403)
    def get(self, args):
        """Download the filtered items as CSV or XLSX."""
        user = api_user()
        require_prescription_lister(user)
        buffer = io.BytesIO()
        headings = {key: str(text) for key, text in PRESCRIPTION_COLUMNS.items()}
        queries.write_export(queries.export_rows(db.session, user, args, str(get_locale() or "ru"), label),
                             headings, args["format"], buffer)
        response = Response(buffer.getvalue(), content_type=EXPORT_TYPES[args["format"]])
        response.headers["Content-Disposition"] = f"attachment; filename=prescriptions.{args['format']}"
        return response


@blp.route("/<int:prescription_id>")
class PrescriptionById(MethodView):
    @blp.response(200, PrescriptionSchema)
    def get(self, prescription_id):
        """One prescription with its items, their states, deadlines and events."""
        prescription = queries.get_prescription(db.session, api_user(), prescription_id)
        return {"prescription": prescription, "rows": queries.prescription_rows(db.session, prescription)}


@blp.route("/<int:prescription_id>/prescription.pdf")
class PrescriptionPdf(MethodView):
    @blp.arguments(PrescriptionPdfArgsSchema, location="query")
    @file_answer("The prescription's PDF", ["application/pdf"])
    def get(self, args, prescription_id):
        """The prescription as a PDF in Russian, Kazakh or English, with a QR code to the act's verification."""
        prescription = queries.get_prescription(db.session, api_user(), prescription_id)
        body = prescription_pdf(db.session, prescription, args["lang"],
                            verification_url(prescription.audit, current_runtime().public_base_url))
        return send_file(io.BytesIO(body), mimetype="application/pdf",
                         download_name=f"prescription-{prescription.number}-{args['lang']}.pdf")


@blp.route("/<int:prescription_id>/link")
class PrescriptionLink(MethodView):
    @blp.response(201, PrescriptionLinkSchema)
    @refusals(403)
    def post(self, prescription_id):
        """Issue the facility's secret link (the previous one stops working); the URL is shown this once."""
        token = links.issue_link(db.session, api_user(), prescription_id)
        base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
        return {"url": base + url_for("facility_link.page", token=token)}

    @blp.response(204)
    @refusals(403)
    def delete(self, prescription_id):
        """Revoke the facility's link."""
        links.revoke_link(db.session, api_user(), prescription_id)


@blp.route("/items/<int:item_id>/decision")
class ItemDecision(MethodView):
    @blp.arguments(DecisionSchema)
    @blp.response(201, PrescriptionEventSchema)
    @refusals(403, 409)
    def post(self, data, item_id):
        """Accept the facility's evidence (the item is verified) or reject it (open again); a comment is required.

        409 when the item is not reported done (nothing to decide).
        """
        return item_service.decide(db.session, api_user(), item_id, data["decision"] == "accept", data["comment"])


@blp.route("/items/<int:item_id>/deadline")
class ItemDeadline(MethodView):
    @blp.arguments(DeadlineSchema)
    @blp.response(201, PrescriptionEventSchema)
    @refusals(403, 409)
    def post(self, data, item_id):
        """Set a new deadline: 422 on `due_date` before the minimum after the latest delivery; 409 when closed."""
        return item_service.set_deadline(db.session, api_user(), item_id, data["due_date"], data["comment"])

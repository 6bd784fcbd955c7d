"""Prescription pages: the lists (region, country) with their exports, one prescription with its items, history,
decisions and the facility's link (the facility's own page behind it is in auth/facility_link.py)."""

import base64
import io

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from exports.qr import qr_svg
from inspect_app.extensions import db
from inspect_app.labels import PRESCRIPTION_COLUMNS, label
from inspect_app.runtime import current_runtime
from inspect_app.schemas.prescription import (
    DeadlineSchema,
    DecisionSchema,
    PrescriptionExportArgsSchema,
    PrescriptionPdfArgsSchema,
    PrescriptionQueryArgsSchema,
)
from inspect_app.services import access
from inspect_app.services.audits.reports import verification_url
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound, ServiceError
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links, queries
from inspect_app.services.prescriptions.reports import legal_refs, prescription_pdf
from inspect_app.services.regions import districts_in_scope
from inspect_app.services.registry.facilities import get_facility
from inspect_app.web.forms_io import flatten_errors, service_errors
from inspect_app.web.query_args import list_filters, page_arg

bp = Blueprint("prescriptions", __name__, url_prefix="/prescriptions")

PER_PAGE = 50
FILTERS = ("state", "section", "severity", "type", "district", "region", "facility_id", "date_from", "date_to", "q")
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}  # a page holding a link


def _locale() -> str:
    return str(get_locale() or "ru")


@bp.route("/")
@login_required
def index():
    """The items of the region's (a supervisor's) or the country's prescriptions: overdue and critical first."""
    access.require_prescription_lister(current_user)
    args = list_filters(PrescriptionQueryArgsSchema(), request.args, FILTERS)
    districts = districts_in_scope(db.session, current_user, args.get("region"))
    if args.get("district") not in {d.id for d in districts}:
        args.pop("district", None)  # one of another region, or none offered: the select would not show it
    query = queries.item_query(current_user, args)
    total = db.session.scalar(query.order_by(None).with_only_columns(db.func.count(), maintain_column_froms=True))
    page = page_arg()
    rows = queries.item_rows(db.session, query.limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    raw = {k: request.args.get(k) for k in FILTERS if request.args.get(k) and (k != "district" or "district" in args)}
    return render_template("prescriptions/index.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           args=raw, counts=queries.counts(db.session, current_user, args),
                           facilities=queries.facility_count(db.session, query),
                           regions=access.readable_regions(db.session, current_user), districts=districts)


@bp.route("/export")
@login_required
def export():
    """The filtered list as CSV or XLSX."""
    access.require_prescription_lister(current_user)
    args = list_filters(PrescriptionExportArgsSchema(), request.args, (*FILTERS, "format"))
    fmt = args.get("format", "csv")
    lang = _locale()
    headings = {key: str(text) for key, text in PRESCRIPTION_COLUMNS.items()}
    buf = io.BytesIO()
    queries.write_export(queries.export_rows(db.session, current_user, args, lang, label), headings, fmt, buf)
    buf.seek(0)
    return send_file(buf, mimetype=EXPORT_TYPES[fmt], download_name=f"prescriptions.{fmt}", as_attachment=True)


def _show(prescription_id: int, *, link_url: str | None = None, errors: dict | None = None, status: int = 200):
    prescription = queries.get_prescription(db.session, current_user, prescription_id)
    rows = queries.prescription_rows(db.session, prescription)
    may_decide = access.may_decide_prescription(current_user, prescription)
    qr = None
    if link_url:
        qr = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(link_url).encode()).decode()
    live = links.live_link(db.session, prescription.id) if may_decide else None
    closed = all(row.state in ("verified", "superseded") for row in rows)
    body = render_template("prescriptions/show.html", prescription=prescription, rows=rows, may_decide=may_decide,
                           link_url=link_url, qr=qr, live_link=live, closed=closed, errors=errors or {},
                           legal_refs=legal_refs(prescription),
                           earliest={row.item.id: item_service.earliest_deadline(
                               item_service.delivery_of(db.session, row.item)) for row in rows})
    headers = NO_STORE if link_url else {}
    return Response(body, status=status, headers=headers)


@bp.route("/<int:prescription_id>")
@login_required
def show(prescription_id: int):
    """One prescription: its items with their states, deadlines and history; decisions and the facility link."""
    return _show(prescription_id)


@bp.route("/<int:prescription_id>/prescription.pdf")
@login_required
def pdf(prescription_id: int):
    """The prescription's PDF in ru, kk or en."""
    prescription = queries.get_prescription(db.session, current_user, prescription_id)
    try:
        lang = PrescriptionPdfArgsSchema().load(request.args)["lang"]
    except ValidationError:
        lang = "ru"
    body = prescription_pdf(db.session, prescription, lang,
                            verification_url(prescription.audit, current_runtime().public_base_url))
    return send_file(io.BytesIO(body), mimetype="application/pdf",
                     download_name=f"prescription-{prescription.number}-{lang}.pdf")


@bp.route("/<int:prescription_id>/link", methods=["POST"])
@login_required
def issue_link(prescription_id: int):
    """Make (or replace) the facility's secret link and show it, with its QR code, on this answer only."""
    token = links.issue_link(db.session, current_user, prescription_id)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return _show(prescription_id, link_url=base + url_for("facility_link.page", token=token))


@bp.route("/<int:prescription_id>/link/revoke", methods=["POST"])
@login_required
def revoke_link(prescription_id: int):
    """Revoke the facility's link."""
    links.revoke_link(db.session, current_user, prescription_id)
    flash(_("Ссылка для объекта отозвана."), "success")
    return redirect(url_for("prescriptions.show", prescription_id=prescription_id))


@bp.route("/items/<int:item_id>/decide", methods=["POST"])
@login_required
def decide(item_id: int):
    """Accept or reject the facility's evidence, with a comment."""
    item = item_service.readable_item(db.session, current_user, item_id)
    prescription_id = item.prescription_id
    try:
        data = DecisionSchema().load({k: request.form.get(k, "") for k in ("decision", "comment")})
        item_service.decide(db.session, current_user, item_id, data["decision"] == "accept", data["comment"])
    except ValidationError as error:
        db.session.rollback()
        return _show(prescription_id, errors={item_id: flatten_errors(error.messages)}, status=422)
    except (InvalidInput, ServiceError) as error:
        db.session.rollback()
        if isinstance(error, (NotFound, Forbidden)):
            raise
        return _show(prescription_id, errors={item_id: service_errors(error)}, status=error.status)
    flash(_("Решение записано."), "success")
    return redirect(url_for("prescriptions.show", prescription_id=prescription_id, _anchor=f"item-{item_id}"))


@bp.route("/items/<int:item_id>/deadline", methods=["POST"])
@login_required
def deadline(item_id: int):
    """Set an item's new deadline (not before the minimum after delivery)."""
    item = item_service.readable_item(db.session, current_user, item_id)
    prescription_id = item.prescription_id
    try:
        data = DeadlineSchema().load({k: request.form.get(k, "") for k in ("due_date", "comment")})
        item_service.set_deadline(db.session, current_user, item_id, data["due_date"], data["comment"])
    except ValidationError as error:
        db.session.rollback()
        return _show(prescription_id, errors={item_id: flatten_errors(error.messages)}, status=422)
    except ServiceError as error:
        db.session.rollback()
        if isinstance(error, (NotFound, Forbidden)):
            raise
        return _show(prescription_id, errors={item_id: service_errors(error)}, status=error.status)
    flash(_("Новый срок записан."), "success")
    return redirect(url_for("prescriptions.show", prescription_id=prescription_id, _anchor=f"item-{item_id}"))


@bp.route("/photos/<int:photo_id>")
@login_required
def photo(photo_id: int):
    """An evidence photo the facility sent."""
    found = queries.readable_photo(db.session, current_user, photo_id)
    return send_file(io.BytesIO(found.data), mimetype=found.content_type, max_age=0)


@bp.route("/facility/<int:facility_id>")
@login_required
def facility(facility_id: int):
    """A facility's items (open first) and the history of its prescriptions."""
    found = get_facility(db.session, current_user, facility_id)
    rows = queries.item_rows(db.session, queries.item_query(current_user, {"facility_id": found.id}))
    history = queries.facility_history(db.session, current_user, found.id)
    return render_template("prescriptions/facility.html", facility=found, rows=rows, history=history)

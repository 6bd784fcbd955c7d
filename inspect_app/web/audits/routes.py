"""Audit pages: list, audit page, start an inspection, the field checklist form, PDFs, and public verification."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from inspect_app.extensions import db
from inspect_app.labels import (
    BASIS_LABELS,
    REASON_LABELS,
    RESULT_LABELS,
    REVIEW_OUTCOME_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    VIOLATION_STATUS_LABELS,
    field_label,
)
from inspect_app.messages import ui_message
from inspect_app.runtime import current_runtime
from inspect_app.schemas.audit import AuditCreateSchema, AuditQueryArgsSchema, ReportBatchSchema
from inspect_app.services import access, reviews
from inspect_app.services import audits as service
from inspect_app.services.access import readable_regions
from inspect_app.services.audits import drafts, reports
from inspect_app.services.audits import photos as audit_photos
from inspect_app.services.audits.verification import public_verification
from inspect_app.services.errors import ServiceError
from inspect_app.services.prescriptions import issue as prescriptions
from inspect_app.services.prescriptions import queries as prescription_queries
from inspect_app.web.audits.forms import AuditStartForm, CorrectionForm, ReportBatchForm
from inspect_app.web.audits.pages import answer_sections, critical_failure_names, form_items, item_names
from inspect_app.web.forms_io import choices, flatten_errors, service_errors
from inspect_app.web.query_args import id_arg, list_filters, page_arg

bp = Blueprint("audits", __name__, url_prefix="/audits")
public_bp = Blueprint("verify", __name__)

PER_PAGE = 50
FILTERS = ("q", "status", "result", "region", "district", "current", "date_from", "date_to", "facility_id",
           *service.VIOLATION_FILTERS, "inspector_id", "visit_done", "returned")


def _locale() -> str:
    return str(get_locale() or "ru")


@bp.context_processor
def _labels():
    return {"BASIS_LABELS": BASIS_LABELS, "REASON_LABELS": REASON_LABELS, "RESULT_LABELS": RESULT_LABELS,
            "STATUS_LABELS": STATUS_LABELS, "SEVERITY_LABELS": SEVERITY_LABELS,
            "VIOLATION_STATUS_LABELS": VIOLATION_STATUS_LABELS, "REVIEW_OUTCOME_LABELS": REVIEW_OUTCOME_LABELS,
            "item_names": lambda audit, codes: item_names(audit, codes, _locale())}


def list_args(args) -> dict:
    """The list filters of a query string; a bad value is dropped rather than failing the page."""
    return list_filters(AuditQueryArgsSchema(), args, FILTERS)


@bp.route("/")
@login_required
def index():
    """The audits the user may see, newest first."""
    args = list_args(request.args)
    page = db.paginate(service.audit_query(current_user, args), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    raw_args = {k: request.args.get(k) for k in FILTERS if request.args.get(k)}
    return render_template("audits/index.html", page=page, args=raw_args, batch_form=_batch_form(),
                           violations=service.matching_violations(db.session, current_user, args),
                           inspector=_inspector_name(args.get("inspector_id")),
                           kind_names=service.violation_kind_names(db.session, args, _locale()),
                           returned=reviews.returned_audits(db.session, current_user),
                           correction_form=CorrectionForm())


def _inspector_name(inspector_id: int | None) -> str | None:
    """The name of the inspector the list is narrowed to (the figure's row it was opened from)."""
    return service.inspector_label(db.session, current_user, inspector_id) if inspector_id else None


def _batch_form() -> ReportBatchForm | None:
    """The ZIP form with the regions the user may read (none for inspectors)."""
    if not access.may_read_registry(current_user):
        return None
    form = ReportBatchForm()
    form.region.choices = choices((r.kato, r.name(_locale())) for r in readable_regions(db.session, current_user))
    return form


@bp.route("/batch", methods=["POST"])
@login_required
def batch():
    """Start the ZIP of every report of a region and period, and show its progress."""
    form = _batch_form()
    if form is None:
        abort(403)
    if not form.validate_on_submit():
        abort(400)
    try:
        data = ReportBatchSchema().load({"region": form.region.data, "date_from": form.date_from.data,
                                         "date_to": form.date_to.data, "lang": form.lang.data})
        job = reports.start_batch(db.session, current_user, data, current_runtime())
    except ValidationError as exc:
        flash("; ".join(f"{field_label(k)}: {', '.join(ui_message(m) for m in v)}"
                        for k, v in flatten_errors(exc.messages).items()), "error")
        return redirect(url_for("audits.index"))
    except ServiceError as exc:
        flash(ui_message(exc.message), "error")
        return redirect(url_for("audits.index"))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/batches/<job_id>.zip")
@login_required
def batch_download(job_id: str):
    """The finished ZIP of a batch the user started."""
    path, name = reports.batch_file(db.session, current_user, job_id, current_runtime())
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/<int:audit_id>")
@login_required
def show(audit_id: int):
    """One audit: answers by section, scores, violations with deadlines, photos, PDFs and the hash."""
    audit = service.get_audit(db.session, current_user, audit_id)
    return render_template("audits/show.html", audit=audit, sections=answer_sections(audit, _locale()),
                           critical_names=critical_failure_names(audit, _locale()),
                           superseded_by=service.superseded_by(db.session, audit),
                           prescription=prescription_queries.of_audit(db.session, audit),
                           review_history=reviews.chain_decisions(db.session, audit),
                           verify_url=reports.verification_url(audit, current_runtime().public_base_url)
                           if audit.is_submitted else None)


@bp.route("/<int:audit_id>/report.pdf")
@login_required
def report_pdf(audit_id: int):
    """Download the PDF report in ru, kk or en."""
    pdf, name = reports.audit_pdf(db.session, current_user, audit_id, request.args.get("lang", "ru"),
                                  public_base_url=current_runtime().public_base_url)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=name,
                     as_attachment=request.args.get("download") == "1")


@bp.route("/<int:audit_id>/photos/<int:photo_id>")
@login_required
def photo(audit_id: int, photo_id: int):
    """A photo of an audit the user may read."""
    audit = service.get_audit(db.session, current_user, audit_id)
    stored = audit_photos.photo_data(db.session, current_user, audit, photo_id)
    return send_file(io.BytesIO(stored.data), mimetype=stored.content_type, max_age=3600)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Start an inspection: pick the facility, give the legal basis, check in (with the phone's position).

    Not for inspectors: they start inspections from the stops of their route and never search the registry.
    """
    if not access.may_start_audit_without_visit(current_user):
        abort(403)
    form = AuditStartForm()
    errors: dict = {}
    status = 200
    if form.validate_on_submit():
        try:
            data = AuditCreateSchema().load(form.payload())
            audit, _created = drafts.create_draft(db.session, current_user, data)
            return redirect(url_for("audits.fill", audit_id=audit.id))
        except ValidationError as exc:
            errors, status = flatten_errors(exc.messages), 422
        except ServiceError as exc:
            db.session.rollback()
            errors, status = service_errors(exc), exc.status
    facility_id = id_arg("facility_id")
    q = request.args.get("q", "")
    try:
        candidates = service.facilities_to_inspect(db.session, current_user, q)
    except ServiceError as exc:
        abort(exc.status, exc.message)
    chosen = next((f for f in candidates if f.id == facility_id), None)
    if facility_id and chosen is None:
        chosen = _visible_facility(facility_id)
    if chosen is not None:
        form.facility_id.data = str(chosen.id)
    return render_template("audits/new.html", form=form, errors=errors, candidates=candidates, chosen=chosen,
                           q=q), status


def _visible_facility(facility_id: int):
    from inspect_app.models import Facility
    from inspect_app.services.access import check_facility_visible

    try:
        return check_facility_visible(current_user, db.session.get(Facility, facility_id))
    except ServiceError:
        return None


@bp.route("/<int:audit_id>/fill")
@login_required
def fill(audit_id: int):
    """The field checklist form of a draft: saves to the server, keeps unsent answers on the phone."""
    audit = service.get_audit(db.session, current_user, audit_id)
    if audit.is_submitted:
        flash(_("Проверка уже отправлена; исправления оформляются новой версией."), "error")
        return redirect(url_for("audits.show", audit_id=audit.id))
    service.check_draft_writer(current_user, audit)  # only its author fills a draft; others read it
    return render_template("audits/fill.html", audit=audit, sections=form_items(audit, _locale()),
                           last_position=audit.inspector_position or service.last_position(db.session, current_user.id),
                           followup_rows=prescriptions.followup_rows(db.session, current_user, audit))


@public_bp.route("/verify/<int:audit_id>/<record_hash>")
def verify(audit_id: int, record_hash: str):
    """Public: does a printed report match the stored, intact record? Shows no answers."""
    result = public_verification(db.session, audit_id, record_hash)
    return render_template("audits/verify.html", result=result, record_hash=record_hash), \
        200 if result["found"] else 404

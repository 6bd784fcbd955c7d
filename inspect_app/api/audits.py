"""Audits: drafts, answers, photos, submission, corrections, PDF reports and report batches."""

import io

from flask import jsonify, request, send_file, url_for
from flask.views import MethodView

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_api_request
from inspect_app.api.contract import file_answer, refusals
from inspect_app.extensions import db
from inspect_app.messages import ui_message, ui_messages
from inspect_app.runtime import current_runtime
from inspect_app.schemas.audit import (
    AuditConflictSchema,
    AuditCorrectionSchema,
    AuditCreateSchema,
    AuditDraftSchema,
    AuditQueryArgsSchema,
    AuditSchema,
    AuditSubmitSchema,
    AuditSummarySchema,
    JobStartedSchema,
    JobStatusSchema,
    PhotoSchema,
    PhotoUploadSchema,
    ReportArgsSchema,
    ReportBatchSchema,
    ViolationResolveSchema,
    ViolationSchema,
)
from inspect_app.services import audits as service
from inspect_app.services.audits import drafts, reports, visits
from inspect_app.services.audits import photos as audit_photos
from inspect_app.services.images import PHOTO_FORMATS
from inspect_app.services.jobs import get_job, job_status

blp = Blueprint("audits", __name__, url_prefix="audits", tag="Audits",
                description="Inspections (audits) and their reports")
blp.before_request(authenticate_api_request)

# A write to a draft refused: it is submitted, or the client's `version` is stale (then `current` is the draft now).
draft_conflict = blp.alt_response(409, schema=AuditConflictSchema, description=(
    "The audit is submitted (or another rule of its state refuses the write), or `version` is stale: then "
    "`current` holds the draft as stored now (answers, answers_saved_at, version) to merge and send again."))


@blp.route("/")
class Audits(MethodView):
    @blp.arguments(AuditQueryArgsSchema, location="query")
    @blp.response(200, AuditSummarySchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """List the audits you may see, newest first, filtered by facility, inspector, region, dates, result."""
        return service.audit_query(api_user(), args)

    @blp.arguments(AuditCreateSchema)
    @blp.response(201, AuditSchema)
    @refusals(403, 409)
    @blp.alt_response(200, schema=AuditSchema, description="The draft this client_uuid already created.")
    def post(self, data):
        """Open a draft audit (check-in); a repeated `client_uuid` returns the same draft with 200.

        With `schedule_visit_id` the audit belongs to that visit: one per visit, so a second create for it
        returns the open draft with 200. Inspectors must name a visit of their released route (or an
        urgent visit assigned to them).
        """
        audit, created = visits.start_audit(db.session, api_user(), data)
        return audit, 201 if created else 200


@blp.route("/<int:audit_id>")
class AuditById(MethodView):
    @blp.response(200, AuditSchema)
    def get(self, audit_id):
        """Read one audit with answers, scores, photos and violations."""
        return service.get_audit(db.session, api_user(), audit_id)

    @blp.arguments(AuditDraftSchema)
    @blp.response(200, AuditSchema)
    @draft_conflict
    @refusals(403)
    def patch(self, data, audit_id):
        """Save answers (merged per item; validated as a draft, 422 lists errors per item code) and visit details.

        Send `answers_saved_at` (item code -> when the phone saved it) so that a late, older save of an item
        never replaces a newer one, and `version` to have a save of a changed draft refused (409).
        """
        audit = service.get_audit(db.session, api_user(), audit_id)
        return drafts.update_draft(db.session, api_user(), audit, data)


@blp.errorhandler(service.StaleDraft)
def stale_draft(error: service.StaleDraft):
    """A 409 that carries the draft as it is now, so the client can merge what it has not sent and retry."""
    db.session.rollback()
    body = {"code": 409, "status": "Conflict", "message": ui_message(error.message),
            "errors": {"json": ui_messages(error.errors)},
            "current": AuditSchema().dump(error.audit)}
    return jsonify(body), 409


@blp.route("/<int:audit_id>/photos")
class AuditPhotos(MethodView):
    @blp.arguments(PhotoUploadSchema, location="multipart")
    @blp.response(201, PhotoSchema)
    @blp.alt_response(200, schema=PhotoSchema, description="The photo this client_uuid already stored.")
    @draft_conflict
    @refusals(403, 413)
    def post(self, form, audit_id):
        """Upload a photo (multipart `file`, optional `item_code` to attach it to an item's answer).

        A repeated `client_uuid` returns the photo stored the first time with 200, so a retried sync
        never stores it twice.
        """
        audit = service.get_audit(db.session, api_user(), audit_id)
        raw = form["file"].read()
        photo, created = visits.add_photo_once(db.session, api_user(), audit, raw, client_uuid=form.get("client_uuid"),
                                               item_code=form.get("item_code"), caption=form.get("caption", ""),
                                               max_bytes=current_runtime().photo_max_bytes)
        return photo, 201 if created else 200


@blp.route("/<int:audit_id>/photos/<int:photo_id>")
class AuditPhotoById(MethodView):
    @file_answer("The photo's bytes", list(PHOTO_FORMATS.values()))
    def get(self, audit_id, photo_id):
        """Download a photo."""
        audit = service.get_audit(db.session, api_user(), audit_id)
        photo = audit_photos.photo_data(db.session, api_user(), audit, photo_id)
        return send_file(io.BytesIO(photo.data), mimetype=photo.content_type, max_age=3600)


@blp.route("/<int:audit_id>/submit")
class AuditSubmit(MethodView):
    @blp.arguments(AuditSubmitSchema)
    @blp.response(200, AuditSchema)
    @draft_conflict
    @refusals(403)
    def post(self, data, audit_id):
        """Submit the checklist: final validation (422 per item code), scoring, violations, hash chain.

        Repeating the same `client_uuid` returns the same audit; another uuid on a submitted audit is a 409,
        and so is a draft whose template version was replaced (call `upgrade-template` first).
        """
        audit = service.get_audit(db.session, api_user(), audit_id)
        return service.submit(db.session, api_user(), audit, data)


@blp.route("/<int:audit_id>/upgrade-template")
class AuditUpgradeTemplate(MethodView):
    @blp.response(200, AuditSchema)
    @draft_conflict
    @refusals(403)
    def post(self, audit_id):
        """Move a draft to the newest version of its checklist, keeping answers to items that still exist."""
        audit = service.get_audit(db.session, api_user(), audit_id)
        return drafts.upgrade_template(db.session, api_user(), audit)


@blp.route("/<int:audit_id>/corrections")
class AuditCorrections(MethodView):
    @blp.arguments(AuditCorrectionSchema)
    @blp.response(201, AuditSchema)
    @blp.alt_response(200, schema=AuditSchema, description="The correction this client_uuid already created.")
    @refusals(403, 409)
    def post(self, data, audit_id):
        """Open a correction of a submitted audit: a new draft that names it and gives the reason."""
        audit = service.get_audit(db.session, api_user(), audit_id)
        draft, created = service.create_correction(db.session, api_user(), audit, data)
        return draft, 201 if created else 200


@blp.route("/violations/<int:violation_id>/resolve")
class ViolationResolve(MethodView):
    @blp.arguments(ViolationResolveSchema, required=False)
    @blp.response(200, ViolationSchema)
    @refusals(403, 409)
    def post(self, data, violation_id):
        """Mark a violation resolved once its corrective action was done; the body (a `note`) is optional."""
        return service.resolve_violation(db.session, api_user(), violation_id, data["note"])


@blp.route("/<int:audit_id>/report.pdf")
class AuditReport(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @file_answer("The PDF report", ["application/pdf"])
    @refusals(409)
    def get(self, args, audit_id):
        """The PDF report of a submitted audit in Russian, Kazakh or English."""
        pdf, name = reports.audit_pdf(db.session, api_user(), audit_id, args["lang"],
                                      public_base_url=current_runtime().public_base_url)
        return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=name)


@blp.route("/report-batches")
class ReportBatches(MethodView):
    @blp.arguments(ReportBatchSchema)
    @blp.response(202, JobStartedSchema)
    @refusals(403)
    def post(self, data):
        """Start building every report of a region and period as one ZIP; returns the job id."""
        job = reports.start_batch(db.session, api_user(), data, current_runtime())
        return {"job_id": job.id, "status": job.status,
                "status_url": url_for(f"{request.blueprint}.ReportBatchById", job_id=job.id),
                "download_url": url_for(f"{request.blueprint}.ReportBatchDownload", job_id=job.id)}


@blp.route("/report-batches/<job_id>")
class ReportBatchById(MethodView):
    @blp.response(200, JobStatusSchema)
    def get(self, job_id):
        """Progress of a batch job."""
        return job_status(get_job(db.session, api_user(), job_id, current_runtime()))


@blp.route("/report-batches/<job_id>/download")
class ReportBatchDownload(MethodView):
    @file_answer("The ZIP of PDF reports", ["application/zip"])
    @refusals(409)
    def get(self, job_id):
        """Download the ZIP once the job has finished (409 before)."""
        path, name = reports.batch_file(db.session, api_user(), job_id, current_runtime())
        return send_file(path, mimetype="application/zip", download_name=name)

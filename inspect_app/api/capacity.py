"""Capacity planning: inspector-days needed against available for a year, its export, and engine what-ifs."""


from flask import Response, url_for
from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_registry_request
from inspect_app.api.contract import file_answer, refusals
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.runtime import current_runtime
from inspect_app.schemas.capacity import CapacityArgsSchema, CapacityPlanSchema, WhatIfSchema
from inspect_app.schemas.schedule import ScheduleJobSchema
from inspect_app.services.capacity import plan as service
from inspect_app.services.capacity import whatif
from inspect_app.services.capacity.tables import FORMATS, plan_download

blp = Blueprint("capacity", __name__, url_prefix="capacity", tag="Capacity", refuses=(403,),
                description="Inspector-days needed against available, and what-ifs run by the engine")
blp.before_request(authenticate_registry_request)


def _plan(args):
    return service.capacity_plan(db.session, api_user(), args.get("year") or today_almaty().year, args.get("region"),
                                 runtime=current_runtime())


@blp.route("/")
class CapacityPlan(MethodView):
    @blp.arguments(CapacityArgsSchema, location="query")
    @blp.response(200, CapacityPlanSchema)
    @refusals(404)
    def get(self, args):
        """A year's plan: your region by district (admins and the ministry: a region, or the country by region)."""
        return service.plan_dict(_plan(args))


@blp.route("/export")
class CapacityExport(MethodView):
    @blp.arguments(CapacityArgsSchema, location="query")
    @file_answer("The plan's table", [mimetype for mimetype, _ in FORMATS.values()])
    @refusals(404)
    @blp.doc(operationId="get_capacity_export")
    def get(self, args):
        """Download the plan's table as CSV (default) or XLSX."""
        fmt = args.get("format") or "csv"
        plan = _plan(args)
        content, mimetype, filename = plan_download(plan, fmt)
        response = Response(content, content_type=mimetype)
        response.headers["Content-Disposition"] = f"attachment; filename={filename}"
        return response


@blp.route("/what-ifs")
class CapacityWhatIfs(MethodView):
    @blp.arguments(WhatIfSchema)
    @blp.response(202, ScheduleJobSchema)
    def post(self, data):
        """Start a what-if in the background (the engine on a sampled month, today's and the what-if's)."""
        job = whatif.submit_whatif(db.session, api_user(), data, current_runtime())
        return {"job_id": job.id, "status_url": url_for("jobs.status", job_id=job.id),
                "page_url": url_for("jobs.show", job_id=job.id)}

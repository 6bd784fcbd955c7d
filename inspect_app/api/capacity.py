"""Capacity planning: inspector-days needed against available for a year, its export, and engine what-ifs."""

import io

from flask import Response, url_for
from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_registry_request
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.schemas.capacity import CapacityArgsSchema, CapacityPlanSchema, WhatIfSchema
from inspect_app.schemas.schedule import ScheduleJobSchema
from inspect_app.services.capacity import plan as service
from inspect_app.services.capacity import whatif
from inspect_app.services.capacity.tables import FORMATS, write_plan

blp = Blueprint("capacity", __name__, url_prefix="capacity",
                description="Inspector-days needed against available, and what-ifs run by the engine")
blp.before_request(authenticate_registry_request)


def _plan(args):
    return service.capacity_plan(db.session, api_user(), args.get("year") or today_almaty().year, args.get("region"))


@blp.route("/")
class CapacityPlan(MethodView):
    @blp.arguments(CapacityArgsSchema, location="query")
    @blp.response(200, CapacityPlanSchema)
    def get(self, args):
        """A year's plan: your region by district (admins and the ministry: a region, or the country by region)."""
        return service.plan_dict(_plan(args))


@blp.route("/export")
class CapacityExport(MethodView):
    @blp.arguments(CapacityArgsSchema, location="query")
    @blp.response(200, description="The plan's table")
    @blp.doc(responses={"200": {"content": {m: {"schema": {"type": "string", "format": "binary"}}
                                            for m, _ in FORMATS.values()}}})
    def get(self, args):
        """Download the plan's table as CSV (default) or XLSX."""
        fmt = args.get("format") or "csv"
        plan = _plan(args)
        buffer = io.BytesIO()
        write_plan(plan, fmt, buffer)
        response = Response(buffer.getvalue(), content_type=FORMATS[fmt][0])
        response.headers["Content-Disposition"] = (
            f"attachment; filename=capacity-{plan.scope_kato or 'kz'}-{plan.year}.{FORMATS[fmt][1]}")
        return response


@blp.route("/what-ifs")
class CapacityWhatIfs(MethodView):
    @blp.arguments(WhatIfSchema)
    @blp.response(202, ScheduleJobSchema)
    def post(self, data):
        """Start a what-if in the background (the engine on a sampled month, today's and the what-if's)."""
        job = whatif.submit_whatif(db.session, api_user(), data)
        return {"job_id": job.id, "status_url": url_for("jobs.status", job_id=job.id),
                "page_url": url_for("jobs.show", job_id=job.id)}

"""Schedules: start a build, list and read (scoped), visits, edits, publish, export (the route is in api/routes)."""

from flask import jsonify, request, url_for
from flask.views import MethodView

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_api_request
from inspect_app.api.contract import file_answer, refusals
from inspect_app.database import writes_on_read
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.schemas.schedule import (
    ScheduleAbsenceSchema,
    ScheduleBuildSchema,
    ScheduleEditResultSchema,
    ScheduleEditSchema,
    ScheduleExportArgsSchema,
    ScheduleJobSchema,
    ScheduleQueryArgsSchema,
    ScheduleSchema,
    ScheduleVisitSchema,
    UrgentOptionsSchema,
    UrgentSchema,
)
from inspect_app.services import schedules as service
from inspect_app.services.errors import InvalidInput
from inspect_app.services.schedules import read_log

blp = Blueprint("schedules", __name__, url_prefix="", tag="Schedules", refuses=(403,),
                description="Surprise-inspection schedules and routes")
blp.before_request(authenticate_api_request)


def _read(schedule_id: int, channel: str):
    """A schedule the user may read; the read goes to the access log."""
    schedule = service.get_schedule(db.session, api_user(), schedule_id)
    read_log.record(db.session, api_user(), channel, schedule=schedule,
                        what=f"{request.method} {request.path}")
    return schedule


@blp.route("/schedules/")
class Schedules(MethodView):
    @blp.arguments(ScheduleQueryArgsSchema, location="query")
    @blp.response(200, ScheduleSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """List the schedules you may see, newest first."""
        return service.schedule_query(api_user(), args)

    @blp.arguments(ScheduleBuildSchema)
    @blp.response(202, ScheduleJobSchema)
    def post(self, data):
        """Start building a draft schedule in the background; follow the job to its schedule ids."""
        job = service.submit_build(db.session, api_user(), data, current_runtime())
        return {"job_id": job.id, "status_url": url_for("jobs.status", job_id=job.id),
                "page_url": url_for("jobs.show", job_id=job.id)}


@blp.route("/schedules/<int:schedule_id>")
class ScheduleById(MethodView):
    @writes_on_read
    @blp.response(200, ScheduleSchema)
    def get(self, schedule_id):
        """Read one schedule's summary."""
        return _read(schedule_id, "api")


@blp.route("/schedules/<int:schedule_id>/visits")
class ScheduleVisits(MethodView):
    @writes_on_read
    @blp.response(200, ScheduleVisitSchema(many=True))
    def get(self, schedule_id):
        """Every visit of the schedule by date, inspector and route order."""
        return _read(schedule_id, "api").visits


@blp.route("/schedules/<int:schedule_id>/edits")
class ScheduleEdits(MethodView):
    @blp.arguments(ScheduleEditSchema)
    @blp.response(200, ScheduleEditResultSchema)
    @refusals(409)
    def post(self, data, schedule_id):
        """Move, swap or remove visits of a draft; 422 names the broken rule, warnings flag predictability."""
        schedule = service.get_schedule(db.session, api_user(), schedule_id)
        result = service.edit_schedule(db.session, api_user(), schedule, data)
        return {"schedule": result.schedule, "warnings": result.warnings}


@blp.route("/schedules/<int:schedule_id>/publish")
class SchedulePublish(MethodView):
    @blp.response(200, ScheduleSchema)
    @refusals(409)
    def post(self, schedule_id):
        """Publish a draft; the response carries its commitment.

        409 when it is no longer a draft, hit the wall-clock cap (rebuild it), repeats a published
        commitment, or overlaps a published schedule it does not explicitly replace; 422 when it starts
        in the past or breaks a rule.
        """
        schedule = service.get_schedule(db.session, api_user(), schedule_id)
        return service.publish_schedule(db.session, api_user(), schedule)


@blp.route("/schedules/<int:schedule_id>/discard")
class ScheduleDiscard(MethodView):
    @blp.response(200, ScheduleSchema)
    @refusals(409)
    def post(self, schedule_id):
        """Discard a draft: it is kept with the status "discarded" and can no longer be published."""
        schedule = service.get_schedule(db.session, api_user(), schedule_id)
        return service.discard_schedule(db.session, api_user(), schedule)


@blp.route("/schedules/<int:schedule_id>/absences")
class ScheduleAbsences(MethodView):
    @blp.arguments(ScheduleAbsenceSchema)
    @blp.response(201, ScheduleSchema)
    @refusals(409)
    def post(self, data, schedule_id):
        """Mark an inspector absent on dates of the published schedule; answers the repaired revision.

        The revision's `revision` lists what moved and what could not be placed, and names the previous
        commitment; 409 when the schedule is not the published one.
        """
        schedule = service.get_schedule(db.session, api_user(), schedule_id)
        return service.mark_absent(db.session, api_user(), schedule, data)


@blp.route("/schedules/<int:schedule_id>/urgent")
class ScheduleUrgent(MethodView):
    @blp.arguments(UrgentSchema)
    @blp.response(200, UrgentOptionsSchema)
    @blp.alt_response(201, schema=UrgentOptionsSchema, description="The option was applied")
    @refusals(409)
    def post(self, data, schedule_id):
        """Urgent visit: without `option`, the feasible insertions before the deadline with their cost;
        with `option` (index, usually 0), apply it as a new published revision (201)."""
        schedule = service.get_schedule(db.session, api_user(), schedule_id)
        if data.get("option") is None:
            found = service.urgent_options(db.session, api_user(), schedule, data, runtime=current_runtime())
            return {"deadline": found["deadline"], "options": found["options"]}
        request, revision = service.apply_urgent(db.session, api_user(), schedule, data, runtime=current_runtime())
        if revision is None:
            raise InvalidInput("No option applied.", "option")
        return {"deadline": request.deadline, "options": [], "schedule_id": revision.id,
                "commitment": revision.commitment}, 201


@blp.route("/schedules/<int:schedule_id>/export")
class ScheduleExport(MethodView):
    @writes_on_read
    @blp.arguments(ScheduleExportArgsSchema, location="query")
    @file_answer("The schedule, or its problem, in the engine's JSON format (`python -m scheduler validate`)",
                 {"application/json": {"type": "object"}})
    def get(self, args, schedule_id):
        """The schedule (or, with what=problem, its problem) in the engine's JSON format."""
        schedule = _read(schedule_id, "export")
        data = service.export_problem(schedule) if args["what"] == "problem" else service.export_schedule(schedule)
        return jsonify(data)

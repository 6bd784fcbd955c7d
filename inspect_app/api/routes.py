"""The inspector's day: today's route, visits not done, discarded drafts, and the route access log."""

from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_api_request
from inspect_app.api.contract import refusals
from inspect_app.database import writes_on_read
from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.schemas.audit import AuditSchema
from inspect_app.schemas.route import (
    AccessLogArgsSchema,
    AccessLogSchema,
    DayRouteArgsSchema,
    DayRouteSchema,
    DiscardSchema,
    NotDoneSchema,
    RouteStopSchema,
)
from inspect_app.services import audits
from inspect_app.services.audits import visits
from inspect_app.services.schedules import read_log
from inspect_app.services.schedules import route as routes

blp = Blueprint("route", __name__, url_prefix="", tag="Inspector's day", refuses=(403,),
                description="The inspector's day: the route, visits not done, discarded drafts, who read what")
blp.before_request(authenticate_api_request)


@blp.route("/my/route")
class MyRoute(MethodView):
    @writes_on_read
    @blp.arguments(DayRouteArgsSchema, location="query")
    @blp.response(200, DayRouteSchema)
    @refusals(404)
    def get(self, args):
        """Your released route of a day (inspectors: today, or tomorrow after an evening release; 403 for
        another day); supervisors name an inspector of their region and may read any day."""
        route = routes.day_route(db.session, api_user(), args.get("date"), args.get("inspector_id"),
                                 road_factor=current_runtime().road_factor)
        read_log.record(db.session, api_user(), "api", route=route, what="GET /api/v1/my/route")
        return route


@blp.route("/my/route/visits/<int:visit_id>/not-done")
class VisitNotDone(MethodView):
    @blp.arguments(NotDoneSchema)
    @blp.response(200, RouteStopSchema)
    @refusals(409)
    def post(self, data, visit_id):
        """Record that a visit could not happen (closed, refused entry, not found, ...); it becomes due again.
        Sent again with the same `client_uuid` (a phone's outbox retrying), it answers the same."""
        visit = visits.record_not_done(db.session, api_user(), visit_id, data["reason"], data["note"],
                                       client_uuid=data["client_uuid"])
        return {"visit": visit, "order": visit.order, "start": visit.start, "end": visit.end, "km": None,
                "status": visit.status, "reason": visit.not_done_reason, "urgent": bool(visit.urgent),
                "audit": None, "facility": visit.facility, "nav": routes.nav_links(visit.facility)}


@blp.route("/audits/<int:audit_id>/discard")
class AuditDiscard(MethodView):
    @blp.arguments(DiscardSchema)
    @blp.response(200, AuditSchema)
    @refusals(409)
    def post(self, data, audit_id):
        """Discard your draft with a reason (never a submitted record); its visit is planned again. Sent again
        with the same `client_uuid`, it answers the discarded draft."""
        audit = audits.get_audit(db.session, api_user(), audit_id)
        return visits.discard_draft(db.session, api_user(), audit, data["reason"], client_uuid=data["client_uuid"])


@blp.route("/schedules/access-log")
class AccessLog(MethodView):
    @blp.arguments(AccessLogArgsSchema, location="query")
    @blp.response(200, AccessLogSchema(many=True))
    def get(self, args):
        """Who read which schedule or route of your region, newest first (the latest 200)."""
        return read_log.log_rows(db.session, api_user(), args)

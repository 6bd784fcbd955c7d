"""Facilities: list with filters and pagination, read, create, update, archive, history."""

from flask.views import MethodView
from flask_babel import get_locale

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_registry_request
from inspect_app.extensions import db
from inspect_app.schemas.calendar import ClosureSchema
from inspect_app.schemas.facility import (
    FacilityInputSchema,
    FacilityQueryArgsSchema,
    FacilitySchema,
    FacilityUpdateSchema,
)
from inspect_app.schemas.history import ChangeRecordSchema
from inspect_app.services.calendar import closures
from inspect_app.services.registry import facilities as service

blp = Blueprint("facilities", __name__, url_prefix="facilities", description="The facility registry")
blp.before_request(authenticate_registry_request)


@blp.route("/")
class Facilities(MethodView):
    @blp.arguments(FacilityQueryArgsSchema, location="query")
    @blp.response(200, FacilitySchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """List the facilities you may see, filtered and sorted."""
        return service.facility_query(api_user(), args, locale=str(get_locale() or "ru"))

    @blp.arguments(FacilityInputSchema)
    @blp.response(201, FacilitySchema)
    def post(self, data):
        """Register a facility."""
        return service.create_facility(db.session, api_user(), data)


@blp.route("/<int:facility_id>")
class FacilityById(MethodView):
    @blp.response(200, FacilitySchema)
    def get(self, facility_id):
        """Read one facility."""
        return service.get_facility(db.session, api_user(), facility_id)

    @blp.arguments(FacilityUpdateSchema(partial=True))
    @blp.response(200, FacilitySchema)
    def patch(self, data, facility_id):
        """Change some fields of a facility; send `version` to refuse an edit on a stale copy."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        return service.update_facility(db.session, api_user(), facility, data)

    @blp.response(200, FacilitySchema)
    def delete(self, facility_id):
        """Archive a facility; its history stays."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        return service.archive_facility(db.session, api_user(), facility)


@blp.route("/<int:facility_id>/history")
class FacilityHistory(MethodView):
    @blp.response(200, ChangeRecordSchema(many=True))
    def get(self, facility_id):
        """Every change of the facility (and of records merged into it), newest first."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        return service.facility_history(db.session, facility)


@blp.route("/<int:facility_id>/closures")
class FacilityClosures(MethodView):
    @blp.response(200, ClosureSchema(many=True))
    def get(self, facility_id):
        """The facility's own closures (repairs, quarantine, emergencies), latest first."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        return closures.facility_closures(db.session, facility)

    @blp.arguments(ClosureSchema)
    @blp.response(201, ClosureSchema)
    def post(self, data, facility_id):
        """Record a closure: no visit is planned on its dates (supervisors of the region, admins)."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        return closures.add_closure(db.session, api_user(), facility, data)


@blp.route("/<int:facility_id>/closures/<int:closure_id>")
class FacilityClosureById(MethodView):
    @blp.response(204)
    def delete(self, facility_id, closure_id):
        """Remove a closure (the history keeps it)."""
        facility = service.get_facility(db.session, api_user(), facility_id)
        closures.remove_closure(db.session, api_user(), facility, closure_id)

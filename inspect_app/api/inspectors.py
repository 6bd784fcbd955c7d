"""Inspectors: list, read, create, update, archive."""

from flask.views import MethodView

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_registry_request
from inspect_app.extensions import db
from inspect_app.schemas.inspector import (
    InspectorInputSchema,
    InspectorQueryArgsSchema,
    InspectorSchema,
    InspectorUpdateSchema,
)
from inspect_app.services import inspectors as service

blp = Blueprint("inspectors", __name__, url_prefix="inspectors", description="Inspectors and their calendars")
blp.before_request(authenticate_registry_request)


@blp.route("/")
class Inspectors(MethodView):
    @blp.arguments(InspectorQueryArgsSchema, location="query")
    @blp.response(200, InspectorSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """List the inspectors you may see."""
        return service.inspector_query(api_user(), args)

    @blp.arguments(InspectorInputSchema)
    @blp.response(201, InspectorSchema)
    def post(self, data):
        """Add an inspector."""
        return service.create_inspector(db.session, api_user(), data)


@blp.route("/<int:inspector_id>")
class InspectorById(MethodView):
    @blp.response(200, InspectorSchema)
    def get(self, inspector_id):
        """Read one inspector."""
        return service.get_inspector(db.session, api_user(), inspector_id)

    @blp.arguments(InspectorUpdateSchema(partial=True))
    @blp.response(200, InspectorSchema)
    def patch(self, data, inspector_id):
        """Change some fields of an inspector (lists given replace the stored ones)."""
        inspector = service.get_inspector(db.session, api_user(), inspector_id)
        return service.update_inspector(db.session, api_user(), inspector, data)

    @blp.response(200, InspectorSchema)
    def delete(self, inspector_id):
        """Archive an inspector."""
        inspector = service.get_inspector(db.session, api_user(), inspector_id)
        return service.archive_inspector(db.session, api_user(), inspector)

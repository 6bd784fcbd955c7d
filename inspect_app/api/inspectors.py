"""Inspectors: list, read, create, update, archive."""

import functools

from flask import Response, current_app
from flask.views import MethodView

from inspect_app.api.common import Blueprint, SelectPage, api_user, authenticate_registry_request
from inspect_app.extensions import db
from inspect_app.schemas.inspector import (
    InspectorInputSchema,
    InspectorQueryArgsSchema,
    InspectorSchema,
    InspectorUpdateSchema,
)
from inspect_app.services.registry import inspectors as service


def _scope_conflicts(view):
    """Answer with only the conflicts of interest the caller may see: another region's facilities are not
    named, only counted in `hidden_conflicts` (a shared inspector's record must not list them)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        if not isinstance(response, Response) or response.status_code >= 300 or not response.is_json:
            return response
        body = response.get_json()
        items = body if isinstance(body, list) else [body]
        ids = {c["facility_id"] for item in items for c in item.get("conflicts", [])}
        seen = service.visible_facility_ids(db.session, api_user(), ids)
        for item in items:
            every = item.get("conflicts", [])
            item["conflicts"] = [c for c in every if c["facility_id"] in seen]
            item["hidden_conflicts"] = len(every) - len(item["conflicts"])
        response.set_data(current_app.json.dumps(body))
        return response

    return wrapper


blp = Blueprint("inspectors", __name__, url_prefix="inspectors", description="Inspectors and their calendars")
blp.before_request(authenticate_registry_request)


@blp.route("/")
class Inspectors(MethodView):
    @_scope_conflicts
    @blp.arguments(InspectorQueryArgsSchema, location="query")
    @blp.response(200, InspectorSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, args):
        """List the inspectors you may see."""
        return service.inspector_query(api_user(), args)

    @_scope_conflicts
    @blp.arguments(InspectorInputSchema)
    @blp.response(201, InspectorSchema)
    def post(self, data):
        """Add an inspector."""
        return service.create_inspector(db.session, api_user(), data)


@blp.route("/<int:inspector_id>")
class InspectorById(MethodView):
    @_scope_conflicts
    @blp.response(200, InspectorSchema)
    def get(self, inspector_id):
        """Read one inspector."""
        return service.get_inspector(db.session, api_user(), inspector_id)

    @_scope_conflicts
    @blp.arguments(InspectorUpdateSchema(partial=True))
    @blp.response(200, InspectorSchema)
    def patch(self, data, inspector_id):
        """Change some fields of an inspector (lists given replace the stored ones)."""
        inspector = service.get_inspector(db.session, api_user(), inspector_id)
        return service.update_inspector(db.session, api_user(), inspector, data)

    @_scope_conflicts
    @blp.response(200, InspectorSchema)
    def delete(self, inspector_id):
        """Archive an inspector."""
        inspector = service.get_inspector(db.session, api_user(), inspector_id)
        return service.archive_inspector(db.session, api_user(), inspector)

"""Registry-wide operations: regions, import, export, duplicates and merges."""

import os

import sqlalchemy as sa
from flask import Response, current_app
from flask.views import MethodView

from inspect_app.api.common import Blueprint, api_user, authenticate_registry_request
from inspect_app.extensions import db
from inspect_app.messages import ui_message
from inspect_app.models import Region
from inspect_app.models.vocab import EXPORT_FORMATS
from inspect_app.schemas.facility import FacilitySchema
from inspect_app.schemas.registry import (
    DuplicateSchema,
    ExportArgsSchema,
    ImportArgsSchema,
    ImportFileSchema,
    ImportResultSchema,
    MergeSchema,
    RegionSchema,
)
from inspect_app.services.access import region_filter
from inspect_app.services.errors import InvalidInput
from inspect_app.services.registry import duplicates, facilities
from inspect_app.services.registry.import_export import export_to_tempfile, import_registry

BINARY = {"type": "string", "format": "binary"}
# JSON exports are documents a client parses: an array of rows, or a GeoJSON FeatureCollection of points.
EXPORT_BODY_SCHEMAS = {
    "json": {"type": "array", "items": {"type": "object"}},
    "geojson": {"type": "object", "required": ["type", "features"],
                "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
                               "features": {"type": "array", "items": {"type": "object"}}}},
}

blp = Blueprint("registry", __name__, url_prefix="registry", description="Import, export and duplicates")
blp.before_request(authenticate_registry_request)


@blp.route("/regions")
class Regions(MethodView):
    @blp.response(200, RegionSchema(many=True))
    def get(self):
        """The regions you work in."""
        return db.session.scalars(sa.select(Region).where(region_filter(api_user())).order_by(Region.kato)).all()


@blp.route("/import")
class Import(MethodView):
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportResultSchema)
    # Two kinds of 422: rows that fail (the result, every error by row and column) or an unreadable file (Error).
    @blp.doc(responses={"422": {
        "description": "Nothing imported: every error by row and column, or why the file could not be read",
        "content": {"application/json": {"schema": {"anyOf": [
            {"$ref": "#/components/schemas/ImportResult"}, {"$ref": "#/components/schemas/Error"}]}}},
    }})
    def post(self, args, files):
        """Import a CSV, XLSX, JSON or GeoJSON registry file; nothing is written if any row fails."""
        upload = files["file"]
        result = import_registry(db.session, api_user(), upload.stream, upload.filename or "upload.csv",
                                 partial=args["partial"], max_rows=current_app.config["IMPORT_MAX_ROWS"])
        report = result.as_dict()
        for error in report["errors"]:
            error["message"] = ui_message(error["message"])
        if not result.committed:
            return ImportResultSchema().dump(report), 422
        return report


@blp.route("/export")
class Export(MethodView):
    @blp.arguments(ExportArgsSchema, location="query")
    @blp.response(200, description="The registry file")
    @blp.doc(responses={"200": {"content": {
        mimetype: {"schema": EXPORT_BODY_SCHEMAS.get(fmt, BINARY)} for fmt, (mimetype, _) in EXPORT_FORMATS.items()}}})
    def get(self, args):
        """Download the registry (filtered) as CSV, XLSX, GeoJSON or JSON."""
        fmt = args["format"]
        path = export_to_tempfile(db.session, api_user(), fmt, args)
        mimetype, extension = EXPORT_FORMATS[fmt]
        response = Response(_read_and_remove(path), content_type=mimetype, direct_passthrough=True)
        response.headers["Content-Length"] = str(os.path.getsize(path))
        response.headers["Content-Disposition"] = f"attachment; filename=registry.{extension}"
        # A response that is never iterated (HEAD, a dropped client) still removes its file.
        response.call_on_close(lambda: _remove_quietly(path))
        return response


def _read_and_remove(path: str):
    """Yield the file in chunks and delete it; the file is opened only once the body is iterated."""
    try:
        with open(path, "rb") as fp:
            while chunk := fp.read(256 * 1024):
                yield chunk
    finally:
        _remove_quietly(path)


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@blp.route("/duplicates")
class Duplicates(MethodView):
    @blp.response(200, DuplicateSchema(many=True))
    def get(self):
        """Open likely-duplicate pairs among the facilities you may see."""
        return db.session.scalars(duplicates.candidate_query(api_user())).all()

    @blp.response(200, DuplicateSchema(many=True))
    def post(self):
        """Scan for new likely duplicates, then list the open pairs."""
        duplicates.find_duplicates(db.session, api_user())
        return db.session.scalars(duplicates.candidate_query(api_user())).all()


@blp.route("/merge")
class Merge(MethodView):
    @blp.arguments(MergeSchema)
    @blp.response(200, FacilitySchema)
    def post(self, data):
        """Merge one facility record into another; every history and inspection of both is kept."""
        if data["keep_id"] == data["drop_id"]:
            raise InvalidInput("A facility cannot be merged into itself.", "drop_id")
        user = api_user()
        keep = facilities.get_facility(db.session, user, data["keep_id"])
        drop = facilities.get_facility(db.session, user, data["drop_id"])
        return duplicates.merge_facilities(db.session, user, keep, drop, data["note"])

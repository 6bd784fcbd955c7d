"""Schemas of registry-wide operations: regions, import, export, duplicates."""

from marshmallow import EXCLUDE, Schema, fields, validate

from inspect_app.labels import duplicate_reason
from inspect_app.models.vocab import EXPORT_FORMATS, FACILITY_TYPES
from inspect_app.schemas.fields import RecordId, Text, validate_kato


class RegionSchema(Schema):
    """A region with its KATO code and names."""

    kato = fields.String()
    name_ru = fields.String()
    name_kk = fields.String()


class ImportFileSchema(Schema):
    """A registry file uploaded as multipart/form-data."""

    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ImportArgsSchema(Schema):
    """Import options."""

    class Meta:
        unknown = EXCLUDE

    partial = fields.Boolean(load_default=False, metadata={"description": "Import valid rows, reject the rest"})


class RowErrorSchema(Schema):
    """One problem of one row."""

    row = fields.Integer()
    column = fields.String()
    message = fields.String()


class ImportResultSchema(Schema):
    """What an import did; `committed` is false when nothing was written."""

    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()
    committed = fields.Boolean()
    format = fields.String(metadata={"description": "What the file was read as: csv, xlsx, json or geojson"})
    encoding = fields.String(allow_none=True, metadata={"description": "The detected text encoding (not XLSX)"})
    errors = fields.List(fields.Nested(RowErrorSchema))


class ExportArgsSchema(Schema):
    """Export format and filters."""

    class Meta:
        unknown = EXCLUDE

    format = Text(load_default="csv", validate=validate.OneOf(tuple(EXPORT_FORMATS)))
    region = Text(validate=validate_kato)
    type = Text(validate=validate.OneOf(FACILITY_TYPES))


class DuplicateSchema(Schema):
    """A likely duplicate pair."""

    id = fields.Integer()
    facility_a_id = fields.Integer()
    facility_b_id = fields.Integer()
    reason = fields.Method("_reason", metadata={
        "type": "string", "description": "Why the pair looks like one facility, in the answer's language"})
    distance_m = fields.Float(allow_none=True)
    name_similarity = fields.Float(allow_none=True)
    status = fields.String()

    def _reason(self, candidate) -> str:
        return duplicate_reason(candidate.distance_m, candidate.name_similarity)


class MergeSchema(Schema):
    """Which record survives a merge."""

    keep_id = RecordId(required=True, strict=True)
    drop_id = RecordId(required=True, strict=True)
    note = Text(load_default="", validate=validate.Length(max=500))

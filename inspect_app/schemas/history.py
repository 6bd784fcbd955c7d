"""History rows as the API returns them."""

from marshmallow import Schema, fields

from inspect_app.schemas.fields import UtcDateTime


class ChangeRecordSchema(Schema):
    """One change: who, when, what (`changes` maps a field to [old, new])."""

    id = fields.Integer()
    entity_type = fields.String()
    entity_id = fields.Integer()
    action = fields.String()
    changes = fields.Dict()
    note = fields.String()
    user = fields.Function(lambda r: r.user.username if r.user else None, allow_none=True,
                           metadata={"type": "string"})
    at = UtcDateTime()

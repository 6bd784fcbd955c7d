"""Schemas of the inspector's day: route arguments and output, not-done visits, discarded drafts, access log."""

from marshmallow import EXCLUDE, Schema, fields, validate

from inspect_app.models.schedule import NOT_DONE_REASONS, VISIT_STATUSES
from inspect_app.schemas.fields import RecordId


class DayRouteArgsSchema(Schema):
    """Which day (default: today's released route) and, for supervisors, whose."""

    class Meta:
        unknown = EXCLUDE

    date = fields.Date()
    inspector_id = RecordId()


class RouteFacilitySchema(Schema):
    """The facility of a stop."""

    id = fields.Integer()
    name_ru = fields.String()
    name_kk = fields.String()
    address = fields.String()
    lat = fields.Float()
    lon = fields.Float()


class RouteStopSchema(Schema):
    """One stop of a day's route."""

    visit_id = fields.Function(lambda s: s["visit"].id, metadata={"type": "integer"})
    order = fields.Integer()
    start = fields.String()
    end = fields.String()
    km = fields.Float(allow_none=True, metadata={"description": "Road km from the previous stop (or home)."})
    status = fields.String(validate=validate.OneOf(VISIT_STATUSES))
    reason = fields.String(allow_none=True)
    urgent = fields.Boolean()
    audit_id = fields.Function(lambda s: s["audit"].id if s["audit"] else None, allow_none=True,
                               metadata={"type": "integer"})
    facility = fields.Nested(RouteFacilitySchema)
    nav = fields.Dict(keys=fields.String(), values=fields.String())


class DayRouteSchema(Schema):
    """A day's route: its stops in order, urgent visits, the estimated road km."""

    date = fields.Date(attribute="day")
    released = fields.Boolean()
    release_at = fields.AwareDateTime(allow_none=True)
    inspector_id = fields.Function(lambda r: r.inspector.id if r.inspector else None, allow_none=True,
                                   metadata={"type": "integer"})
    km = fields.Float()
    stops = fields.List(fields.Nested(RouteStopSchema))
    urgent = fields.List(fields.Nested(RouteStopSchema))


class NotDoneSchema(Schema):
    """Why a visit could not happen."""

    reason = fields.String(required=True, validate=validate.OneOf(NOT_DONE_REASONS))
    note = fields.String(load_default="", validate=validate.Length(max=500))
    client_uuid = fields.UUID(load_default=None, metadata={"description": "the same UUID again answers the same"})


class DiscardSchema(Schema):
    """Why a draft is discarded."""

    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))
    client_uuid = fields.UUID(load_default=None, metadata={"description": "the same UUID again answers the same"})


class AccessLogArgsSchema(Schema):
    """Filters of the access log."""

    class Meta:
        unknown = EXCLUDE

    date_from = fields.Date()
    date_to = fields.Date()
    schedule_id = RecordId()


class AccessLogSchema(Schema):
    """One read of a schedule or route."""

    at = fields.DateTime()
    user = fields.String()
    user_name = fields.String()
    role = fields.String()
    channel = fields.String()
    schedule_id = fields.Integer(allow_none=True)
    day = fields.Date(allow_none=True)
    inspector = fields.String()
    what = fields.String()

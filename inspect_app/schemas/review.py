"""Review schemas: the queue's arguments and rows, its counts, a decision in and out, one audit under review."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

import forms
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.models.review import ReviewOutcome
from inspect_app.schemas.audit import AuditSchema, AuditSummarySchema, ViolationSchema
from inspect_app.schemas.fields import Day, RecordId, Text, UtcDateTime, validate_kato

OUTCOMES = tuple(o.value for o in ReviewOutcome)


class ReviewQueryArgsSchema(Schema):
    """Filters of the review queue (all optional; together they narrow it)."""

    class Meta:
        unknown = EXCLUDE

    region = fields.String(validate=validate_kato, metadata={"description": "Admins: one region's queue (KATO)."})
    result = fields.String(validate=validate.OneOf(AUDIT_RESULTS))
    critical = fields.Boolean(metadata={"description": "Only audits with (true) or without (false) a critical "
                                                       "violation."})
    checkin_far = fields.Boolean(metadata={"description": "Only audits whose check-in was (true) or was not "
                                                          "(false) flagged far from the facility."})
    inspector_id = RecordId()
    date_from = Day(metadata={"description": "Inspection date from."})
    date_to = Day(metadata={"description": "Inspection date up to."})
    facility_type = fields.String(validate=validate.OneOf(forms.FACILITY_TYPES))

    @validates_schema
    def check_period(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("The period starts after it ends.", "date_from")


class ReviewQueueItemSchema(AuditSummarySchema):
    """An audit waiting for review."""

    submitted_at = UtcDateTime()
    checkin_far = fields.Boolean()
    checkin_distance_m = fields.Float(allow_none=True)
    critical_failures = fields.List(fields.String())
    facility_type = fields.Function(lambda a: a.facility.type, metadata={"type": "string"})


class ReviewCountsSchema(Schema):
    """How many audits wait: matching the filters, in total, and the whole queue split by each filter."""

    total = fields.Integer(metadata={"description": "Audits in the queue (the region filter applies, no other)."})
    matching = fields.Integer(metadata={"description": "Audits matching every filter given."})
    by_result = fields.Dict(keys=fields.String(), values=fields.Integer())
    critical = fields.Integer(metadata={"description": "Audits with a critical violation."})
    checkin_far = fields.Integer(metadata={"description": "Audits whose check-in was flagged far."})
    by_facility_type = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_inspector = fields.Dict(keys=fields.String(), values=fields.Integer(),
                               metadata={"description": "inspector id -> audits waiting"})


class ReviewDecisionInSchema(Schema):
    """A decision: accept, or return with a comment (required) naming the items to correct."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    comment = Text(load_default="", validate=validate.Length(max=2000))
    item_codes = fields.List(fields.String(validate=validate.Length(min=1, max=120)), load_default=list,
                             validate=validate.Length(max=200))

    @validates_schema
    def comment_on_return(self, data, **kwargs):
        """A return says what to correct."""
        if data.get("outcome") == ReviewOutcome.RETURNED and not (data.get("comment") or "").strip():
            raise ValidationError("A returned audit needs a comment saying what to correct.", "comment")


class ReviewDecisionSchema(Schema):
    """A review decision as stored (append-only)."""

    id = fields.Integer()
    audit_id = fields.Integer()
    reviewer_id = fields.Integer()
    reviewer_name = fields.String()
    decided_at = UtcDateTime()
    outcome = fields.String(metadata={"enum": list(OUTCOMES)})
    comment = fields.String()
    item_codes = fields.List(fields.String())


class ReviewConflictSchema(Schema):
    """A decision refused because another one stands: `decision` is the one that won."""

    code = fields.Integer()
    status = fields.String()
    message = fields.String()
    errors = fields.Dict()
    decision = fields.Nested(ReviewDecisionSchema)


class RouteStopRefSchema(Schema):
    """The route stop an audit belonged to."""

    id = fields.Integer()
    schedule_id = fields.Integer()
    date = fields.Date()
    start = fields.String()
    end = fields.String()
    order = fields.Integer()
    urgent = fields.Boolean()
    status = fields.String()


class ReviewRecordSchema(Schema):
    """One audit under review: the record, its decisions, the route stop, the previous audit, open items."""

    audit = fields.Nested(AuditSchema)
    decision = fields.Nested(ReviewDecisionSchema, allow_none=True)
    history = fields.List(fields.Nested(ReviewDecisionSchema))
    visit = fields.Nested(RouteStopRefSchema, allow_none=True)
    previous = fields.Nested(AuditSummarySchema, allow_none=True)
    open_items = fields.List(fields.Nested(ViolationSchema))
    live = fields.Boolean()
    decidable = fields.Boolean()

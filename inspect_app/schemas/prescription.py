"""Prescriptions in the API and on the pages: the lists' filters, an item's actions, and the answers."""

from marshmallow import EXCLUDE, Schema, fields, validate

import forms
from inspect_app.models.prescription import EventKind, ItemState
from inspect_app.schemas.fields import Day, RecordId, UtcDateTime, validate_kato

# "unclosed": open, reported or not fixed; "unfixed": open or reported (the dashboard's "not fixed" figure).
STATE_FILTERS = (*[str(s) for s in ItemState], "unclosed", "unfixed")
EXPORTS = ("csv", "xlsx")


class PrescriptionQueryArgsSchema(Schema):
    """Filters of the items' lists: per facility, region, or the country."""

    class Meta:
        unknown = EXCLUDE

    state = fields.String(validate=validate.OneOf(STATE_FILTERS))
    section = fields.String(validate=validate.Length(max=64))
    severity = fields.String(validate=validate.OneOf(forms.SEVERITIES))
    type = fields.String(validate=validate.OneOf(forms.FACILITY_TYPES))
    district = RecordId()
    region = fields.String(validate=validate_kato)
    facility_id = RecordId()
    date_from = Day(metadata={"description": "First delivery date of the items' prescriptions"})
    date_to = Day(metadata={"description": "Last delivery date of the items' prescriptions"})
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "Text in the item's code or its (Russian) legal reference, e.g. 'пожар' for fire safety"})


class PrescriptionExportArgsSchema(PrescriptionQueryArgsSchema):
    """A list's filters and the file format."""

    format = fields.String(load_default="csv", validate=validate.OneOf(EXPORTS))


class DecisionSchema(Schema):
    """A supervisor's decision on the facility's evidence."""

    decision = fields.String(required=True, validate=validate.OneOf(("accept", "reject")))
    comment = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DeadlineSchema(Schema):
    """A new deadline of an item."""

    due_date = Day(required=True)
    comment = fields.String(load_default="", validate=validate.Length(max=2000))


class PrescriptionPdfArgsSchema(Schema):
    """The language of a prescription's PDF."""

    class Meta:
        unknown = EXCLUDE

    lang = fields.String(load_default="ru", validate=validate.OneOf(("ru", "kk", "en")))


class PrescriptionEventSchema(Schema):
    """One change of an item."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": [str(k) for k in EventKind]})
    state = fields.String(metadata={"enum": [str(s) for s in ItemState]})
    due_date = fields.Date()
    escalation = fields.Integer()
    note = fields.String()
    at = UtcDateTime()
    actor_name = fields.String()
    via_link = fields.Boolean()
    audit_id = fields.Integer(allow_none=True)
    photos = fields.Function(lambda e: len(e.photos), metadata={"type": "integer"})


class PrescriptionItemSchema(Schema):
    """An item in a list: what must be done, by when, and its state now ("overdue" derived)."""

    id = fields.Integer(attribute="item.id")
    prescription_id = fields.Integer(attribute="item.prescription_id")
    number = fields.Function(lambda r: r.item.prescription.number, metadata={"type": "string"})
    facility_id = fields.Integer(attribute="item.facility_id")
    position = fields.Integer(attribute="item.position")
    item_code = fields.String(attribute="item.item_code")
    section = fields.String(attribute="item.section")
    severity = fields.String(attribute="item.severity")
    requirement = fields.Function(lambda r: r.item.violation.item_text, metadata={"type": "object"})
    legal_ref = fields.Function(lambda r: r.item.violation.legal_ref, metadata={"type": "string"})
    action = fields.Function(lambda r: r.item.violation.corrective_action, metadata={"type": "object"})
    state = fields.Function(lambda r: str(r.shown), metadata={"type": "string"})
    stored_state = fields.String(attribute="state")
    due_date = fields.Date()
    escalation = fields.Integer()
    changed_at = UtcDateTime()


class PrescriptionItemDetailSchema(PrescriptionItemSchema):
    """An item with its history."""

    events = fields.List(fields.Nested(PrescriptionEventSchema), attribute="item.events", dump_only=True)


class PrescriptionSchema(Schema):
    """A prescription with its items."""

    id = fields.Integer(attribute="prescription.id")
    number = fields.String(attribute="prescription.number")
    audit_id = fields.Integer(attribute="prescription.audit_id")
    facility_id = fields.Integer(attribute="prescription.facility_id")
    delivered_on = fields.Date(attribute="prescription.delivered_on")
    items = fields.List(fields.Nested(PrescriptionItemDetailSchema), attribute="rows")


class PrescriptionLinkSchema(Schema):
    """The facility's secret link, shown once."""

    url = fields.String()

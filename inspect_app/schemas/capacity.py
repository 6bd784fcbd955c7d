"""Capacity planning: which year and region, the plan as the API shows it, a what-if request."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.schemas.fields import Text, validate_kato

SCENARIOS = ("inspectors", "interval", "fill")


class CapacityArgsSchema(Schema):
    """Which plan: a year, a region (default: the user's own, or the country for national users)."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Integer(validate=validate.Range(min=2000, max=2098))
    region = Text(validate=validate_kato, metadata={"description": "Region KATO code"})
    format = Text(validate=validate.OneOf(("csv", "xlsx")), metadata={"description": "Export format"})


class CapacityRowSchema(Schema):
    """One district (of a region) or region (of the country), or the total."""

    kato = fields.String()
    name_ru = fields.String()
    name_kk = fields.String()
    total = fields.Boolean()
    facilities = fields.Integer()
    routine_visits = fields.Integer()
    followup_visits = fields.Float()
    urgent_visits = fields.Float()
    visit_minutes = fields.Float(metadata={"description": "Service plus travel minutes per visit"})
    needed_days = fields.Float()
    inspectors = fields.Integer()
    absence_days = fields.Integer()
    available_days = fields.Float()
    gap_days = fields.Float(metadata={"description": "Needed minus available inspector-days"})
    gap_inspectors = fields.Float(metadata={"description": "The gap in full-time inspectors"})


class CapacityPlanSchema(Schema):
    """A year's plan."""

    year = fields.Integer()
    region = fields.String(allow_none=True)
    working_days = fields.Integer()
    fill = fields.Float()
    gap_inspectors = fields.Float()
    rows = fields.List(fields.Nested(CapacityRowSchema),
                       metadata={"description": "Districts or regions, then the total"})
    travel_minutes = fields.Dict(metadata={"description": "Travel minutes per visit by region"})
    travel_source = fields.Dict(metadata={"description": "published (schedules), sample (a solve) or none"})
    followup_rate = fields.Dict()
    urgent_per_year = fields.Dict()


class WhatIfSchema(Schema):
    """A what-if: more inspectors based in a town, another medium-risk interval, or another fill."""

    class Meta:
        unknown = EXCLUDE

    region = Text(required=True, validate=validate_kato)
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2098))
    month = fields.Integer(load_default=None, validate=validate.Range(min=1, max=12))
    scenario = Text(required=True, validate=validate.OneOf(SCENARIOS))
    inspectors = fields.Integer(strict=True, load_default=None, validate=validate.Range(
        min=0, max=500, error="Expected a number of inspectors from 0 to 500."))
    town = Text(load_default=None, validate=validate.Length(max=200))
    interval_days = fields.Integer(strict=True, load_default=None, validate=validate.Range(min=30, max=730))
    fill = fields.Float(load_default=None, allow_nan=False, validate=validate.Range(min=0.1, max=1))

    @validates_schema
    def check_scenario(self, data, **kwargs):
        """Each scenario names what it changes."""
        need = {"inspectors": ("inspectors", "town"), "interval": ("interval_days",), "fill": ("fill",)}
        for name in need.get(data.get("scenario"), ()):
            if data.get(name) in (None, ""):
                raise ValidationError("Give a value for this what-if.", name)

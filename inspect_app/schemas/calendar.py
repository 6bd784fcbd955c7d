"""The calendar's schemas: transfers of days off, school breaks, facility closures."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.vocab import CLOSURE_REASONS
from inspect_app.schemas.fields import DATE_MAX, DATE_MIN, Day, Text

YEAR = validate.Range(min=DATE_MIN.year, max=DATE_MAX.year - 1,
                      error=f"Expected a year from {DATE_MIN.year} to {DATE_MAX.year - 1}.")


class TransferSchema(Schema):
    """A transfer by government decree: the weekday that becomes a day off and/or the weekend day worked."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(dump_only=True)
    day_off = Day(load_default=None, allow_none=True)
    working_day = Day(load_default=None, allow_none=True)
    note = Text(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def check_days(self, data, **kwargs):
        """A transfer names at least one date; the day off is a weekday, the working day a weekend day."""
        day_off, working = data.get("day_off"), data.get("working_day")
        if day_off is None and working is None:
            raise ValidationError("Give the day off, the working day or both.", "day_off")
        if day_off is not None and day_off.weekday() >= 5:
            raise ValidationError("The day off must be a weekday (Monday to Friday).", "day_off")
        if working is not None and working.weekday() < 5:
            raise ValidationError("The working day must be a Saturday or a Sunday.", "working_day")


class TransfersInputSchema(Schema):
    """A calendar year's transfers, replacing the stored ones (an admin's edit)."""

    class Meta:
        unknown = EXCLUDE

    transfers = fields.List(fields.Nested(TransferSchema), required=True)


class BreakSchema(Schema):
    """A school break, inclusive dates."""

    class Meta:
        unknown = EXCLUDE

    start_date = Day(required=True)
    end_date = Day(required=True)
    note = Text(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def check_order(self, data, **kwargs):
        """A break ends on or after its first day."""
        if data["end_date"] < data["start_date"]:
            raise ValidationError("The break ends before it starts.", "end_date")


class BreaksInputSchema(Schema):
    """A school year's breaks, replacing the stored ones (an admin's edit)."""

    class Meta:
        unknown = EXCLUDE

    breaks = fields.List(fields.Nested(BreakSchema), required=True)


class CalendarYearSchema(Schema):
    """A year of the calendar as the API shows it."""

    year = fields.Integer()
    holidays = fields.List(fields.Dict(), metadata={"description": "Public holidays: date and name"})
    transfers = fields.List(fields.Nested(TransferSchema))
    school_year = fields.Integer(metadata={"description": "The school year starting this year (2026 = 2026/2027)"})
    breaks = fields.List(fields.Nested(BreakSchema))
    breaks_assumed = fields.Boolean(metadata={
        "description": "True when nobody entered this school year: its breaks follow the latest entered year"})
    working_days = fields.Integer(metadata={"description": "Working days of the calendar year"})


class CalendarYearArgsSchema(Schema):
    """Which year."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Integer(validate=YEAR)


class ClosureSchema(Schema):
    """A facility's own closure: inclusive dates and the reason."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(dump_only=True)
    start_date = Day(required=True)
    end_date = Day(required=True)
    reason = Text(required=True, validate=validate.OneOf(CLOSURE_REASONS))
    note = Text(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def check_order(self, data, **kwargs):
        """A closure ends on or after its first day."""
        if "start_date" in data and "end_date" in data and data["end_date"] < data["start_date"]:
            raise ValidationError("The closure ends before it starts.", "end_date")

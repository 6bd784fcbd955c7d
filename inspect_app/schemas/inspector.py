"""Inspector schemas."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.vocab import AGENCIES, SKILLS
from inspect_app.schemas.fields import (
    Bin,
    ChangesSomething,
    Day,
    StringList,
    Text,
    UtcDateTime,
    check_point,
    validate_hhmm,
    validate_kato,
    validate_lat,
    validate_lon,
)


class AbsenceSchema(Schema):
    """An inclusive period of absence."""

    class Meta:
        unknown = EXCLUDE

    start_date = Day(required=True)
    end_date = Day(required=True)
    reason = Text(load_default="", validate=validate.Length(max=200))

    @validates_schema
    def check_order(self, data, **kwargs):
        """An absence ends on or after its first day."""
        if data["end_date"] < data["start_date"]:
            raise ValidationError("The absence ends before it starts.", "end_date")


class ConflictSchema(Schema):
    """A declared conflict of interest, shown with the facility's BIN and name."""

    facility_id = fields.Integer()
    bin = fields.Function(lambda c: c.facility.bin, metadata={"type": "string"})
    name_ru = fields.Function(lambda c: c.facility.name_ru, metadata={"type": "string"})
    reason = fields.String()


class InspectorSchema(Schema):
    """An inspector as the API returns it."""

    id = fields.Integer(dump_only=True)
    full_name = fields.String()
    username = fields.Function(lambda i: i.user.username if i.user else None, allow_none=True,
                               metadata={"type": "string"})
    agency = fields.String()
    region_katos = fields.List(fields.String())
    skills = fields.List(fields.String())
    home_address = fields.String()
    home_lat = fields.Float()
    home_lon = fields.Float()
    max_visits_per_day = fields.Integer()
    max_minutes_per_day = fields.Integer()
    day_start = fields.String()
    day_end = fields.String()
    absences = fields.List(fields.Nested(AbsenceSchema))
    conflicts = fields.List(fields.Nested(ConflictSchema), metadata={
        "description": "Conflicts of interest with facilities you may see"})
    hidden_conflicts = fields.Integer(dump_only=True, metadata={
        "description": "How many more conflicts concern facilities outside your scope (not named)"})
    archived = fields.Function(lambda i: i.archived_at is not None, metadata={"type": "boolean"})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class InspectorInputSchema(Schema):
    """What a supervisor or admin may set on an inspector (API and forms)."""

    class Meta:
        unknown = EXCLUDE

    full_name = Text(required=True, validate=validate.Length(min=3, max=200))
    username = Text(load_default=None, allow_none=True, validate=validate.Length(max=64))
    agency = Text(required=True, validate=validate.OneOf(AGENCIES))
    region_katos = StringList(required=True, validate=validate.Length(min=1))
    skills = StringList(choices=SKILLS, required=True, validate=validate.Length(min=1))
    home_address = Text(load_default="", validate=validate.Length(max=400))
    home_lat = fields.Float(required=True, allow_nan=False, validate=validate_lat)
    home_lon = fields.Float(required=True, allow_nan=False, validate=validate_lon)
    max_visits_per_day = fields.Integer(strict=True, load_default=4, validate=validate.Range(min=1, max=20))
    max_minutes_per_day = fields.Integer(strict=True, load_default=480, validate=validate.Range(min=60, max=960))
    day_start = Text(load_default="09:00", validate=validate_hhmm)
    day_end = Text(load_default="18:00", validate=validate_hhmm)
    absences = fields.List(fields.Nested(AbsenceSchema), load_default=list)
    conflict_bins = fields.List(Bin(), load_default=list)

    @validates_schema
    def check_home(self, data, **kwargs):
        """The inspector lives in Kazakhstan (the home is where routes start)."""
        check_point(data, "home_lat", "home_lon")

    @validates_schema
    def check_day(self, data, **kwargs):
        """The working day ends after it starts."""
        if "day_start" in data and "day_end" in data and data["day_end"] <= data["day_start"]:
            raise ValidationError("The working day must end after it starts.", "day_end")


class InspectorQueryArgsSchema(Schema):
    """Filters of the inspector list."""

    class Meta:
        unknown = EXCLUDE

    q = Text(metadata={"description": "Text in the name"})
    region = Text(validate=validate_kato, metadata={"description": "Region KATO code"})
    skill = Text(validate=validate.OneOf(SKILLS))
    archived = fields.Boolean(load_default=False)


class InspectorUpdateSchema(ChangesSomething, InspectorInputSchema):
    """A partial update: the fields given replace the stored ones (lists replace whole lists)."""

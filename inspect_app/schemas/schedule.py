"""Schedule schemas: build requests, schedules, visits, edits and the inspector's route."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.schedule import SCHEDULE_STATUSES
from inspect_app.schemas.fields import Day, RecordId, Text, UtcDateTime, Version, validate_kato

EDIT_ACTIONS = ("move", "swap", "remove")


class ScheduleBuildSchema(Schema):
    """A build request; supervisors may leave out the region (their own), admins leave it out to build all."""

    class Meta:
        unknown = EXCLUDE

    region = Text(load_default=None, allow_none=True, validate=validate_kato,
                  metadata={"description": "Region KATO code; empty for a national build (admins)"})
    start = Day(required=True, metadata={"description": "First date of the horizon"})
    days = fields.Integer(load_default=5, validate=validate.Range(min=1, max=30),
                          metadata={"description": "Working days in the horizon"})
    seed = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=2**31 - 1))
    time_limit = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=1, max=3600), metadata={"description": "Seconds per region"})


class ScheduleJobSchema(Schema):
    """A started background job and where to follow it."""

    job_id = fields.String()
    status_url = fields.String()
    page_url = fields.String()


class ScheduleQueryArgsSchema(Schema):
    """Filters of the schedule list."""

    class Meta:
        unknown = EXCLUDE

    status = Text(validate=validate.OneOf(SCHEDULE_STATUSES))
    region = Text(validate=validate_kato)


class ScheduleSchema(Schema):
    """A schedule's summary (the routes are in `visits` and in the export)."""

    id = fields.Integer()
    region_kato = fields.Function(lambda s: s.region.kato)
    start_date = fields.Date()
    end_date = fields.Date()
    seed = fields.Integer()
    time_limit = fields.Float()
    status = fields.String()
    edited = fields.Boolean()
    version = fields.Integer()
    problem_sha256 = fields.String()
    commitment = fields.String(allow_none=True)
    stats = fields.Dict()
    unscheduled = fields.Function(lambda s: s.schedule.get("unscheduled", []))
    created_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)


class ScheduleVisitSchema(Schema):
    """One visit of a schedule."""

    id = fields.Integer()
    inspector_id = fields.Integer()
    inspector_name = fields.Function(lambda v: v.inspector.full_name)
    facility_id = fields.Integer()
    facility_name = fields.Function(lambda v: v.facility.name_ru)
    address = fields.Function(lambda v: v.facility.address)
    lat = fields.Function(lambda v: v.facility.lat)
    lon = fields.Function(lambda v: v.facility.lon)
    date = fields.Date()
    start = fields.String()
    end = fields.String()
    order = fields.Integer()
    must_visit = fields.Boolean()


class ScheduleEditSchema(Schema):
    """A hand edit of a draft: move a visit (date and/or inspector), swap two visits, or remove one."""

    class Meta:
        unknown = EXCLUDE

    action = Text(required=True, validate=validate.OneOf(EDIT_ACTIONS))
    visit_id = RecordId(required=True)
    other_visit_id = RecordId(load_default=None, allow_none=True)
    date = Day(load_default=None, allow_none=True)
    inspector_id = RecordId(load_default=None, allow_none=True)
    version = Version(load_default=None, allow_none=True, strict=False)

    @validates_schema
    def check_action(self, data, **kwargs):
        """A swap names the other visit; a move names a date or an inspector."""
        if data["action"] == "swap" and not data.get("other_visit_id"):
            raise ValidationError("A swap needs the other visit.", "other_visit_id")
        if data["action"] == "move" and not (data.get("date") or data.get("inspector_id")):
            raise ValidationError("A move needs a new date or inspector.", "date")


class ScheduleWarningSchema(Schema):
    """A predictability warning: the pattern an edit created."""

    rule = fields.String()
    message = fields.String()


class ScheduleEditResultSchema(Schema):
    """The edited schedule and the warnings the edit caused."""

    schedule = fields.Nested(ScheduleSchema)
    warnings = fields.List(fields.Nested(ScheduleWarningSchema))


class ScheduleExportArgsSchema(Schema):
    """Which JSON to export."""

    class Meta:
        unknown = EXCLUDE

    what = Text(load_default="schedule", validate=validate.OneOf(("schedule", "problem")))


class MyRouteArgsSchema(Schema):
    """The day of the route: today (default) or the next working day."""

    class Meta:
        unknown = EXCLUDE

    date = Day(load_default=None, allow_none=True)


class MyRouteStopSchema(Schema):
    """One stop of an inspector's route."""

    visit_id = fields.Integer(attribute="id")
    order = fields.Integer()
    facility_id = fields.Integer()
    facility_name = fields.Function(lambda v: v.facility.name_ru)
    address = fields.Function(lambda v: v.facility.address)
    lat = fields.Function(lambda v: v.facility.lat)
    lon = fields.Function(lambda v: v.facility.lon)
    start = fields.String()
    end = fields.String()
    map_url = fields.Function(lambda v: f"https://www.openstreetmap.org/?mlat={v.facility.lat}&mlon={v.facility.lon}"
                                        f"#map=17/{v.facility.lat}/{v.facility.lon}")
    checklist_url = fields.Function(lambda v: f"/audits/new?facility={v.facility_id}&visit={v.id}")


class MyRouteSchema(Schema):
    """An inspector's route for one day."""

    date = fields.Date()
    stops = fields.List(fields.Nested(MyRouteStopSchema))

"""Schedule schemas: build requests, schedules, visits, edits and the inspector's route."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.schedule import SCHEDULE_STATUSES, URGENT_REASONS
from inspect_app.schemas.fields import Day, RecordId, Text, UtcDateTime, Version, validate_kato

EDIT_ACTIONS = ("move", "swap", "remove")
# The limits of one build, here only: the API, the web form, the CLI and the build service all check these.
# A month of working days; two minutes of solving per region (a national build solves every region).
BUILD_DAYS = validate.Range(min=1, max=22, error="Days must be between {min} and {max}.")
BUILD_TIME_LIMIT = validate.Range(min=1, max=120, error="The time limit must be between {min} and {max} seconds.")


class ScheduleBuildSchema(Schema):
    """A build request; supervisors may leave out the region (their own), admins leave it out to build all."""

    class Meta:
        unknown = EXCLUDE

    region = Text(load_default=None, allow_none=True, validate=validate_kato,
                  metadata={"description": "Region KATO code; empty for a national build (admins)"})
    start = Day(required=True, metadata={"description": "First date of the horizon"})
    days = fields.Integer(load_default=5, validate=BUILD_DAYS,
                          metadata={"description": "Working days in the horizon"})
    seed = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=2**31 - 1))
    time_limit = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=BUILD_TIME_LIMIT, metadata={"description": "Seconds per region"})
    fill = fields.Float(load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=1),
                        metadata={"description": "Share of spare inspector capacity (after must-visits) given to "
                                                 "unannounced extra visits; default SCHEDULE_FILL (0.5)"})
    replaces = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=2**63 - 1),
                              metadata={"description": "Id of the published schedule this one replaces"})
    replace_from = fields.Date(load_default=None, allow_none=True,
                               metadata={"description": "First date the replacement applies (default: its start)"})

    @validates_schema
    def check_replacement(self, data, **kwargs):
        """A replacement date only makes sense with the schedule it replaces."""
        if data.get("replace_from") and not data.get("replaces"):
            raise ValidationError("Name the schedule this one replaces.", "replaces")


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
    region_kato = fields.Function(lambda s: s.region.kato, metadata={"type": "string"})
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
    unscheduled = fields.Function(lambda s: s.schedule.get("unscheduled", []), metadata={
        "type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}},
        "description": "Facilities due that the schedule could not place, each with the reason."})
    created_at = UtcDateTime()
    published_at = UtcDateTime(allow_none=True)
    fill = fields.Float(allow_none=True)
    hit_cap = fields.Boolean(metadata={"description": "The build stopped at the wall-clock safety net; rebuild "
                                                      "it before publishing"})
    supersedes_id = fields.Integer(allow_none=True)
    effective_from = fields.Date(allow_none=True)
    superseded_from = fields.Date(allow_none=True)
    revision_kind = fields.String(allow_none=True)
    revision = fields.Dict(allow_none=True)


class ScheduleVisitSchema(Schema):
    """One visit of a schedule."""

    id = fields.Integer()
    inspector_id = fields.Integer()
    inspector_name = fields.Function(lambda v: v.inspector.full_name, metadata={"type": "string"})
    facility_id = fields.Integer()
    facility_name = fields.Function(lambda v: v.facility.name_ru, metadata={"type": "string"})
    address = fields.Function(lambda v: v.facility.address, metadata={"type": "string"})
    lat = fields.Function(lambda v: v.facility.lat, metadata={"type": "number"})
    lon = fields.Function(lambda v: v.facility.lon, metadata={"type": "number"})
    date = fields.Date()
    start = fields.String()
    end = fields.String()
    order = fields.Integer()
    must_visit = fields.Boolean()
    urgent = fields.Boolean()
    deadline = fields.DateTime(allow_none=True)


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
    facility_name = fields.Function(lambda v: v.facility.name_ru, metadata={"type": "string"})
    address = fields.Function(lambda v: v.facility.address, metadata={"type": "string"})
    lat = fields.Function(lambda v: v.facility.lat, metadata={"type": "number"})
    lon = fields.Function(lambda v: v.facility.lon, metadata={"type": "number"})
    start = fields.String()
    end = fields.String()
    map_url = fields.Function(lambda v: f"https://www.openstreetmap.org/?mlat={v.facility.lat}&mlon={v.facility.lon}"
                                        f"#map=17/{v.facility.lat}/{v.facility.lon}")
    checklist_url = fields.Function(lambda v: f"/audits/new?facility={v.facility_id}&visit={v.id}")


class MyRouteSchema(Schema):
    """An inspector's route for one day."""

    date = fields.Date()
    stops = fields.List(fields.Nested(MyRouteStopSchema))


class ScheduleAbsenceSchema(Schema):
    """An inspector absent on dates of a published schedule: their remaining visits move to others."""

    class Meta:
        unknown = EXCLUDE

    inspector_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**63 - 1))
    dates = fields.List(fields.Date(), required=True, validate=validate.Length(min=1, max=31))
    note = Text(load_default="", validate=validate.Length(max=200))


class UrgentSchema(Schema):
    """An urgent visit: a facility of the schedule's region and a deadline; `option` applies one (0 = best)."""

    class Meta:
        unknown = EXCLUDE

    facility_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=2**63 - 1))
    hours = fields.Integer(load_default=48, strict=True, validate=validate.Range(min=1, max=24 * 31),
                           metadata={"description": "Deadline in hours from now"})
    reason = Text(load_default="hotline_111", validate=validate.OneOf(URGENT_REASONS))
    note = Text(load_default="", validate=validate.Length(max=500))
    option = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=50))
    inspector_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                                  validate=validate.Range(min=1, max=2**63 - 1),
                                  metadata={"description": "The option's inspector as shown (refuses a changed one)"})
    date = Text(load_default=None, allow_none=True, validate=validate.Length(equal=10))


class UrgentDisplacedSchema(Schema):
    """A visit that gives way to the urgent one (it becomes due again)."""

    facility_id = fields.Integer()
    name = fields.String(metadata={"description": "The facility's name in Russian."})
    name_kk = fields.String(metadata={"description": "The facility's name in Kazakh (empty when not known)."})


class UrgentOptionSchema(Schema):
    """One feasible insertion: who, when, and what it costs."""

    inspector_id = fields.Integer()
    inspector = fields.String()
    date = fields.String()
    start = fields.String()
    extra_km = fields.Float()
    displaced = fields.List(fields.Nested(UrgentDisplacedSchema))


class UrgentOptionsSchema(Schema):
    """The options of an urgent visit, best first; after applying, the new revision."""

    deadline = fields.DateTime()
    options = fields.List(fields.Nested(UrgentOptionSchema))
    schedule_id = fields.Integer()
    commitment = fields.String()

"""Facility schemas: output, input (API and forms), import rows, and list query arguments."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from inspect_app.models.vocab import AGENCIES, FACILITY_STATUSES, FACILITY_TYPES, RISKS, FacilityStatus
from inspect_app.schemas.fields import (
    Bin,
    ChangesSomething,
    Day,
    Email,
    Phone,
    SheetBin,
    SheetDay,
    SheetDayOfYear,
    Text,
    UtcDateTime,
    Version,
    check_point,
    validate_kato,
    validate_lat,
    validate_lon,
    validate_mmdd,
)
from inspect_app.schemas.opening_hours import OpeningHours

# The facility list's "routine inspection overdue" filter: any, never inspected, or by days past the interval
# (the dashboard's OVERDUE_BUCKETS).
OVERDUE_FILTERS = ("any", "never", "1_30", "31_90", "91_180", "over_180")

KATO = validate_kato
# "name" sorts by the name in the UI language (name_kk, else name_ru, in Kazakh).
SORTABLE = ("name", "name_ru", "name_kk", "bin", "type", "risk", "children_count", "updated_at",
            "last_inspection_date", "id")

# Columns of every registry file, in order; an export re-imports through the same names.
REGISTRY_COLUMNS = (
    "bin", "name_ru", "name_kk", "type", "agency", "region_kato", "district_kato", "address",
    "lat", "lon", "children_count", "season_start", "season_end", "opening_hours", "risk",
    "risk_reason", "status", "contact_name", "contact_phone", "contact_email", "last_inspection_date",
)


class FacilitySchema(Schema):
    """A facility as the API returns it."""

    id = fields.Integer(dump_only=True)
    bin = fields.String()
    name_ru = fields.String()
    name_kk = fields.String()
    type = fields.String()
    agency = fields.String()
    region_kato = fields.Function(lambda f: f.region.kato, metadata={"type": "string"})
    district_kato = fields.Function(lambda f: f.district.kato if f.district else None, allow_none=True,
                                    metadata={"type": "string"})
    address = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    children_count = fields.Integer()
    season_start = fields.String(allow_none=True)
    season_end = fields.String(allow_none=True)
    opening_hours = OpeningHours()
    risk = fields.String()
    risk_reason = fields.String()
    status = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    contact_email = fields.String()
    last_inspection_date = fields.Date(allow_none=True)
    followup_due_date = fields.Date(allow_none=True)
    archived = fields.Function(lambda f: f.archived_at is not None, metadata={"type": "boolean"})
    merged_into_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    version = fields.Integer()


class FacilityInputSchema(Schema):
    """What a person may set on a facility. The one set of rules for the API, the forms and imports."""

    class Meta:
        unknown = EXCLUDE

    bin = Bin(required=True)
    name_ru = Text(required=True, validate=validate.Length(min=2, max=400))
    name_kk = Text(load_default="", validate=validate.Length(max=400))
    type = Text(required=True, validate=validate.OneOf(FACILITY_TYPES))
    agency = Text(required=True, validate=validate.OneOf(AGENCIES))
    region_kato = Text(required=True, validate=KATO)
    district_kato = Text(load_default=None, allow_none=True, validate=KATO)
    address = Text(load_default="", validate=validate.Length(max=400))
    lat = fields.Float(required=True, allow_nan=False, validate=validate_lat)
    lon = fields.Float(required=True, allow_nan=False, validate=validate_lon)
    children_count = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0, max=100_000))
    season_start = Text(load_default=None, allow_none=True, validate=validate_mmdd)
    season_end = Text(load_default=None, allow_none=True, validate=validate_mmdd)
    opening_hours = OpeningHours(load_default=dict)
    risk = Text(required=True, validate=validate.OneOf(RISKS))
    risk_reason = Text(load_default="", validate=validate.Length(max=500))
    status = Text(load_default=FacilityStatus.ACTIVE.value, validate=validate.OneOf(FACILITY_STATUSES))
    contact_name = Text(load_default="", validate=validate.Length(max=200))
    contact_phone = Phone(load_default="", validate=validate.Length(max=50))
    contact_email = Email(load_default="", validate=validate.Length(max=200))
    last_inspection_date = Day(load_default=None, allow_none=True)

    @validates_schema
    def check_position(self, data, **kwargs):
        """The facility stands in Kazakhstan."""
        check_point(data, "lat", "lon")

    @validates_schema
    def check_season(self, data, **kwargs):
        """A season needs both ends; a summer camp needs a season."""
        start, end = data.get("season_start"), data.get("season_end")
        if (start is None) != (end is None) and ("season_start" in data or "season_end" in data):
            field = "season_end" if end is None else "season_start"
            raise ValidationError("Give both ends of the season (MM-DD).", field)
        if data.get("type") == "summer_camp" and "season_start" in data and start is None:
            raise ValidationError("A summer camp needs its season (MM-DD).", "season_start")


class FacilityUpdateSchema(ChangesSomething, FacilityInputSchema):
    """A partial update; `version` (when given) refuses an edit made on a stale copy."""

    version = Version(load_default=None, allow_none=True)


class _LenientNumber:
    """Spreadsheet cells: numbers arrive as text, often with a decimal comma."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


class _LenientFloat(_LenientNumber, fields.Float):
    pass


class _LenientInteger(_LenientNumber, fields.Integer):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().endswith(".0"):
            value = value.strip()[:-2]
        return super()._deserialize(value, attr, data, **kwargs)


class FacilityImportSchema(FacilityInputSchema):
    """A row of a registry file: the input rules, with cells read as a spreadsheet may have written them (numbers
    as text, codes and phones as numbers, dates as date cells or serial numbers, BINs shortened)."""

    bin = SheetBin(required=True)
    lat = _LenientFloat(required=True, allow_nan=False, validate=validate_lat)
    lon = _LenientFloat(required=True, allow_nan=False, validate=validate_lon)
    children_count = _LenientInteger(load_default=0, validate=validate.Range(min=0, max=100_000))
    season_start = SheetDayOfYear(load_default=None, allow_none=True, validate=validate_mmdd)
    season_end = SheetDayOfYear(load_default=None, allow_none=True, validate=validate_mmdd)
    last_inspection_date = SheetDay(load_default=None, allow_none=True)

    @pre_load
    def number_cells_as_text(self, data, **kwargs):
        """A KATO code or a phone typed into a spreadsheet becomes a number cell: read its digits as text."""
        for key in ("region_kato", "district_kato", "contact_phone"):
            value = data.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
                data = {**data, key: str(int(value))}
        return data


class FacilityQueryArgsSchema(Schema):
    """Filters and sorting of the facility list."""

    class Meta:
        unknown = EXCLUDE

    q = Text(metadata={"description": "Text in the name, BIN or address"})
    type = Text(validate=validate.OneOf(FACILITY_TYPES))
    agency = Text(validate=validate.OneOf(AGENCIES))
    risk = Text(validate=validate.OneOf(RISKS))
    status = Text(validate=validate.OneOf(FACILITY_STATUSES))
    region = Text(validate=KATO, metadata={"description": "Region KATO code"})
    district = Text(validate=KATO, metadata={"description": "District KATO code"})
    overdue = Text(validate=validate.OneOf(OVERDUE_FILTERS), metadata={
        "description": "Routine inspection overdue today: 'any', 'never' (never inspected), or by how many days "
                       "past the risk interval: '1_30', '31_90', '91_180', 'over_180'"})
    archived = fields.Boolean(load_default=False)
    sort = Text(
        load_default="name_ru",
        validate=validate.OneOf(SORTABLE + tuple("-" + s for s in SORTABLE)),
        metadata={"description": "A field name; a leading '-' sorts descending"},
    )

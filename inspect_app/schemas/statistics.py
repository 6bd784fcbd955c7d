"""Statistics schemas: the period and region arguments, the export choice, and the summary's JSON view."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.audit import AUDIT_RESULTS, LEGAL_BASES
from inspect_app.models.vocab import FACILITY_TYPES, RISKS
from inspect_app.schemas.fields import Day, Text, validate_kato

STAT_TABLES = ("regions", "violations", "items")
STAT_FORMATS = ("csv", "xlsx")
# A longer period is almost surely a typo, and would make the monthly series needlessly long.
MAX_PERIOD_DAYS = 366 * 10


class StatisticsQueryArgsSchema(Schema):
    """Region and period of the statistics; every one optional (own region or the country, this year)."""

    class Meta:
        unknown = EXCLUDE

    region = Text(validate=validate_kato, metadata={"description": "KATO code of one region"})
    date_from = Day(metadata={"description": "First inspection date counted (default 1 January)"})
    date_to = Day(metadata={"description": "Last inspection date counted (default 31 December)"})

    @validates_schema
    def check_period(self, data, **kwargs):
        """The period must run forward and stay under ten years."""
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                raise ValidationError("The period starts after it ends.", "date_from")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise ValidationError("The period may not be longer than ten years.", "date_to")


class StatisticsExportArgsSchema(StatisticsQueryArgsSchema):
    """Which table to download, in which format, for which region and period."""

    table = fields.String(load_default="regions", validate=validate.OneOf(STAT_TABLES))
    format = fields.String(load_default="csv", validate=validate.OneOf(STAT_FORMATS))


class StatisticsIndexArgsSchema(StatisticsQueryArgsSchema):
    """The compliance index's download: format, region and period."""

    format = fields.String(load_default="csv", validate=validate.OneOf(STAT_FORMATS))


class StatisticsPdfArgsSchema(StatisticsQueryArgsSchema):
    """The PDF summary's download: region, period and the report language."""

    lang = fields.String(load_default="ru", validate=validate.OneOf(("ru", "kk", "en")))


def _counts(keys: tuple[str, ...]) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Integer(),
                       metadata={"description": f"Counts by {', '.join(keys)}"})


class ViolationCountsSchema(Schema):
    """Violations by current status; `overdue` is the part of `open` past its deadline."""

    total = fields.Integer()
    open = fields.Integer()
    resolved = fields.Integer()
    overdue = fields.Integer()


class AreaStatsSchema(Schema):
    """The figures of one region or district, or of the whole selection."""

    kato = fields.String(allow_none=True)
    name_ru = fields.String()
    name_kk = fields.String()
    facilities = fields.Integer()
    by_risk = _counts(RISKS)
    by_type = _counts(FACILITY_TYPES)
    inspections = fields.Integer()
    reviewed = fields.Integer(metadata={"description": "Of the inspections, those a supervisor reviewed "
                                                       "(accepted or returned)."})
    by_basis = _counts(LEGAL_BASES)
    by_result = _counts(AUDIT_RESULTS)
    due = fields.Integer(metadata={"description": "Active facilities subject to the inspection interval"})
    in_time = fields.Integer(metadata={"description": "Of those, inspected within their risk interval"})
    overdue_facilities = fields.Integer()
    never_inspected = fields.Integer()
    in_time_share = fields.Float(allow_none=True, metadata={"description": "Percent in time"})
    violations = fields.Nested(ViolationCountsSchema)


class ItemStatsSchema(Schema):
    """A checklist item and how often it failed."""

    rank = fields.Integer()
    item_code = fields.String()
    section = fields.String()
    severity = fields.String()
    text = fields.Dict(keys=fields.String(), values=fields.String())
    failures = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "Percent of the period's inspections"})


class MonthStatsSchema(Schema):
    """Inspections of one month by result."""

    month = fields.String()
    by_result = _counts(AUDIT_RESULTS)


class CriticalFacilitySchema(Schema):
    """A facility with an open critical violation."""

    facility_id = fields.Integer()
    bin = fields.String()
    name_ru = fields.String()
    name_kk = fields.String()
    region_kato = fields.String()
    open_critical = fields.Integer()
    earliest_due = fields.Date()


class StatisticsSummarySchema(Schema):
    """Every figure of the compliance dashboard for a region (or the country) and a period."""

    date_from = fields.Date()
    date_to = fields.Date()
    as_of = fields.Date(metadata={"description": "The day the inspection interval rule is applied on"})
    region = fields.Function(lambda s: s.region.kato if s.region else None, allow_none=True,
                             metadata={"type": "string"})
    level = fields.String(metadata={"description": "'region' (a row per region) or 'district'"})
    total = fields.Nested(AreaStatsSchema)
    areas = fields.List(fields.Nested(AreaStatsSchema))
    violations_by_severity = fields.Dict(keys=fields.String(), values=fields.Nested(ViolationCountsSchema))
    violations_by_section = fields.Dict(keys=fields.String(), values=fields.Nested(ViolationCountsSchema))
    section_titles = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                          values=fields.String()))
    top_items = fields.List(fields.Nested(ItemStatsSchema))
    monthly = fields.List(fields.Nested(MonthStatsSchema))
    critical_facilities = fields.List(fields.Nested(CriticalFacilitySchema))
    critical_facilities_total = fields.Integer()

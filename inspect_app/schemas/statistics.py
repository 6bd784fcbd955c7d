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


class StatisticsCompareArgsSchema(Schema):
    """An earlier period to compare the index with ("which districts got worse since spring")."""

    class Meta:
        unknown = EXCLUDE

    compare_from = Day(metadata={"description": "First inspection date of the period compared with"})
    compare_to = Day(metadata={"description": "Last inspection date of the period compared with"})

    @validates_schema
    def check_period(self, data, **kwargs):
        """Both days or neither, running forward and under ten years."""
        start, end = data.get("compare_from"), data.get("compare_to")
        if bool(start) != bool(end):
            raise ValidationError("Give both days of the period compared with.", "compare_to" if start else
                                  "compare_from")
        if start and end and start > end:
            raise ValidationError("The period starts after it ends.", "compare_from")
        if start and end and (end - start).days > MAX_PERIOD_DAYS:
            raise ValidationError("The period may not be longer than ten years.", "compare_to")


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
    overdue_by = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Inspected facilities overdue by days past their interval: '1_30', '31_90', '91_180', "
                       "'over_180' (never-inspected ones are `never_inspected`)"})
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
    total = fields.Integer()
    year_before = fields.Dict(keys=fields.String(), values=fields.Integer(), allow_none=True, metadata={
        "description": "The same month a year earlier by result (null when the trend does not reach it)"})


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
    violations_by_type = fields.Dict(keys=fields.String(), values=fields.Nested(ViolationCountsSchema),
                                     metadata={"description": "Violations by the facility's type"})
    violations_by_agency = fields.Dict(keys=fields.String(), values=fields.Nested(ViolationCountsSchema),
                                       metadata={"description": "Violations by the facility's agency"})
    section_titles = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(),
                                                                          values=fields.String()))
    top_items = fields.List(fields.Nested(ItemStatsSchema))
    monthly = fields.List(fields.Nested(MonthStatsSchema))
    critical_facilities = fields.List(fields.Nested(CriticalFacilitySchema))
    critical_facilities_total = fields.Integer()


class ScopePeriodSchema(Schema):
    """The period and the region (null: the country) a figures answer is for."""

    date_from = fields.Date(attribute="scope.date_from")
    date_to = fields.Date(attribute="scope.date_to")
    region = fields.Function(lambda f: f.scope.region.kato if f.scope.region else None, allow_none=True,
                             metadata={"type": "string"})


def _reviewed_of(attribute: str, what: str) -> fields.Function:
    return fields.Function(
        lambda f: {key: {"reviewed": pair[0], "total": pair[1]} for key, pair in getattr(f, attribute).items()},
        metadata={"type": "object", "additionalProperties": {
            "type": "object", "properties": {"reviewed": {"type": "integer"}, "total": {"type": "integer"}}},
            "description": what})


class RemedyRowSchema(Schema):
    """The prescription items of one area (or of the whole scope)."""

    kato = fields.String(allow_none=True)
    name_ru = fields.String()
    name_kk = fields.String()
    items = fields.Integer()
    open = fields.Integer(metadata={"description": "Open or reported (awaiting the supervisor)"})
    overdue = fields.Integer(metadata={"description": "Open or not fixed, the deadline passed"})
    verified = fields.Integer()
    not_fixed = fields.Integer()
    median_days = fields.Float(allow_none=True, metadata={"description": "Median days from delivery to verification"})


class PrescriptionFiguresSchema(ScopePeriodSchema):
    """The items of the period's prescriptions by area, and how much of the audit figures is reviewed."""

    level = fields.Function(lambda f: "district" if f.scope.region is not None else "region",
                            metadata={"type": "string"})
    rows = fields.List(fields.Nested(RemedyRowSchema))
    total = fields.Nested(RemedyRowSchema)
    reviewed_by_result = _reviewed_of("reviewed_by_result", "Of the period's inspections by result: how many "
                                                            "a supervisor reviewed, of all")
    reviewed_by_section = _reviewed_of("reviewed_by_section", "Of the period's violations by section: how many "
                                                              "are of a reviewed audit, of all")


class InspectorRowSchema(Schema):
    """One inspector's (or one region's) visits and audits."""

    name = fields.String()
    kato = fields.String(allow_none=True, metadata={"description": "The region's KATO code (rows by region)"})
    planned = fields.Integer()
    done = fields.Integer()
    done_share = fields.Float(allow_none=True)
    not_done = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Visits that did not take place, by reason"})
    not_done_total = fields.Integer()
    open = fields.Integer(metadata={"description": "Visits with nothing submitted yet"})
    submitted = fields.Integer()
    returned = fields.Integer(metadata={"description": "Audits returned for correction in review"})
    median_days = fields.Float(allow_none=True, metadata={"description": "Median days from the visit to the submit"})


class InspectorFiguresSchema(ScopePeriodSchema):
    """The inspectors' figures: a row per inspector of a region, or per region for the country."""

    by = fields.String(metadata={"description": "'inspector' or 'region'"})
    rows = fields.List(fields.Nested(InspectorRowSchema))
    total = fields.Nested(InspectorRowSchema)


class AreaIndexSchema(Schema):
    """One area's compliance index and its parts."""

    kato = fields.Function(lambda r: r.area.kato, allow_none=True, metadata={"type": "string"})
    name_ru = fields.Function(lambda r: r.area.name_ru, metadata={"type": "string"})
    name_kk = fields.Function(lambda r: r.area.name_kk, metadata={"type": "string"})
    rank = fields.Integer(allow_none=True)
    index = fields.Float(allow_none=True, metadata={"description": "0..100; null without inspections"})
    in_time_share = fields.Float(allow_none=True)
    compliance = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True),
                             metadata={"description": "Compliance of each weighted section, 0..100"})


class ComplianceIndexSchema(Schema):
    """The child-safety compliance index: the areas ranked, the scope's own, the weights and the trend."""

    date_from = fields.Date(attribute="data.date_from")
    date_to = fields.Date(attribute="data.date_to")
    region = fields.Function(lambda t: t.data.region.kato if t.data.region else None, allow_none=True,
                             metadata={"type": "string"})
    weights = fields.Function(lambda t: {"sections": t.weights.sections, "severity": t.weights.severity,
                                         "in_time": t.weights.in_time}, metadata={"type": "object"})
    rows = fields.List(fields.Nested(AreaIndexSchema))
    total = fields.Nested(AreaIndexSchema)
    trend = fields.Function(lambda t: [{"month": m, "index": v} for m, v in t.trend], metadata={
        "type": "array", "items": {"type": "object"}, "description": "The scope's index month by month"})

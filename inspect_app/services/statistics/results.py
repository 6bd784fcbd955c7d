"""Statistics results: the scope of a request and the figures, as plain dataclasses."""

from dataclasses import dataclass, field
from datetime import date

from inspect_app.data import region_name_en
from inspect_app.models import Region
from inspect_app.models.audit import AUDIT_RESULTS, LEGAL_BASES
from inspect_app.models.vocab import EXPORT_FORMATS, FACILITY_TYPES, RISKS
from inspect_app.schemas.statistics import STAT_FORMATS, STAT_TABLES

TABLES = STAT_TABLES
FORMATS = {fmt: EXPORT_FORMATS[fmt] for fmt in STAT_FORMATS}
TOP_ITEMS = 10
# Overdue facilities by days past their interval: up to 30, 31-90, 91-180, over 180 (never inspected apart).
OVERDUE_BUCKET_DAYS = (30, 90, 180)
OVERDUE_BUCKETS = ("1_30", "31_90", "91_180", "over_180")
# The month-by-month trend covers at least this many months, so each month has the year before beside it.
TREND_MONTHS = 24
CRITICAL_LIST_LIMIT = 100

@dataclass(frozen=True)
class StatsScope:
    """What a statistics request covers, once the user's rights and the defaults are applied."""

    date_from: date
    date_to: date
    as_of: date
    today: date
    region: Region | None
    level: str  # "region": a row per region; "district": a row per district of `region`
    intervals: dict[str, int] = field(default_factory=dict)  # days between inspections by risk


@dataclass
class ViolationCounts:
    """Violations by current status; `overdue` is the part of `open` whose deadline has passed."""

    total: int = 0
    open: int = 0
    resolved: int = 0
    overdue: int = 0

    def add(self, other: "ViolationCounts") -> None:
        """Add another group's counts to these."""
        self.total += other.total
        self.open += other.open
        self.resolved += other.resolved
        self.overdue += other.overdue


@dataclass
class AreaStats:
    """The figures of one region or district (or of the whole selection, for the totals row)."""

    area_id: int | None
    kato: str | None
    name_ru: str
    name_kk: str
    facilities: int = 0
    by_risk: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RISKS, 0))
    by_type: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FACILITY_TYPES, 0))
    inspections: int = 0
    # Of those inspections, how many a supervisor has reviewed (accepted or returned): every figure built on the
    # inspections says how much of it is reviewed.
    reviewed: int = 0
    by_basis: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEGAL_BASES, 0))
    by_result: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AUDIT_RESULTS, 0))
    due: int = 0
    in_time: int = 0
    never_inspected: int = 0
    violations: ViolationCounts = field(default_factory=ViolationCounts)
    name_en: str = ""
    # Inspected facilities overdue by days past their interval (OVERDUE_BUCKETS); never-inspected ones apart.
    overdue_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OVERDUE_BUCKETS, 0))

    @property
    def overdue_facilities(self) -> int:
        """Facilities whose routine inspection is late (never-inspected ones included)."""
        return self.due - self.in_time

    @property
    def in_time_share(self) -> float | None:
        """Percentage of facilities inspected in time, one decimal; None when no facility is due."""
        return round(100.0 * self.in_time / self.due, 1) if self.due else None

    def name(self, locale: str = "ru") -> str:
        """Name in the UI language (a region's English name from the reference geography)."""
        if locale == "en":
            return region_name_en(self.kato) or self.name_en or self.name_ru
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru


@dataclass(frozen=True)
class ViolationCell:
    """Violations of one area, checklist section and severity (the rows of the violations export)."""

    area_id: int | None
    section: str
    severity: str
    counts: ViolationCounts


@dataclass(frozen=True)
class ItemStats:
    """A checklist item and how often it failed in the period."""

    rank: int
    item_code: str
    section: str
    severity: str
    text: dict[str, str]
    failures: int
    share: float | None  # percent of the period's inspections


@dataclass(frozen=True)
class MonthStats:
    """Inspections of one calendar month by result."""

    month: str  # YYYY-MM
    by_result: dict[str, int]
    year_before: dict[str, int] | None = None  # the same month a year earlier, when the trend reaches it

    @property
    def total(self) -> int:
        """Inspections of the month."""
        return sum(self.by_result.values())


@dataclass(frozen=True)
class CriticalFacility:
    """A facility with at least one open critical violation."""

    facility_id: int
    bin: str
    name_ru: str
    name_kk: str
    region_kato: str
    open_critical: int
    earliest_due: date

    def name(self, locale: str = "ru") -> str:
        """Name in the UI language."""
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru


@dataclass
class Summary:
    """Every figure of the dashboard for one scope."""

    scope: StatsScope
    areas: list[AreaStats]
    total: AreaStats
    violations_by_severity: dict[str, ViolationCounts]
    violations_by_section: dict[str, ViolationCounts]
    violation_cells: list[ViolationCell]
    section_titles: dict[str, dict[str, str]]
    top_items: list[ItemStats]
    monthly: list[MonthStats]
    critical_facilities: list[CriticalFacility]
    critical_facilities_total: int
    violations_by_type: dict[str, ViolationCounts] = field(default_factory=dict)
    violations_by_agency: dict[str, ViolationCounts] = field(default_factory=dict)

    @property
    def date_from(self) -> date:
        """First day of the period."""
        return self.scope.date_from

    @property
    def date_to(self) -> date:
        """Last day of the period."""
        return self.scope.date_to

    @property
    def as_of(self) -> date:
        """The day the interval rule is applied on."""
        return self.scope.as_of

    @property
    def level(self) -> str:
        """Whether the rows are regions or districts."""
        return self.scope.level

    @property
    def region(self) -> Region | None:
        """The selected region, if one is."""
        return self.scope.region

    def section_title(self, code: str, locale: str = "ru") -> str:
        """A checklist section's title in the UI language (its code when unknown)."""
        titles = self.section_titles.get(code) or {}
        return titles.get(locale) or titles.get("ru") or code

"""Compliance statistics for supervisors and the ministry: the dashboard's figures and their exports.

Every figure is an aggregate computed in SQL (GROUP BY), so a national view over 30,000 facilities and
hundreds of thousands of audits never loads rows one by one. Everything is keyed by the facility's region
(and district, when one region is selected): a supervisor always sees their own region by district, the
ministry and admins the country by region or any single region by district. Inspectors get 403.

What the figures mean, for a period `date_from`..`date_to` (default: the current year in Asia/Almaty):

- Facilities: the registry as it is now (archived records left out), by risk and by type.
- Inspections: submitted audits with an inspection date in the period; an audit replaced by a submitted
  correction is not counted twice (the correction counts instead).
- In time: active (not closed) facilities whose newest inspection on or before the reference date
  (`as_of`, the period's end or today, whichever is earlier) is no older than the interval of their risk
  category (`INSPECTION_INTERVAL_DAYS`); the rest, never-inspected ones included, are overdue.
- Violations: those raised by the period's inspections, with their current status; superseded ones (of
  a corrected audit) are left out. Overdue = still open and the deadline is before today.
- Facilities with an open critical violation: now, whatever the period.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.orm import Session

from exports.tabular import write_csv, write_xlsx
from forms import SEVERITIES
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, ChecklistTemplate, District, Facility, Region, User, Violation
from inspect_app.models.audit import AUDIT_RESULTS, LEGAL_BASES
from inspect_app.models.vocab import EXPORT_FORMATS, FACILITY_TYPES, RISKS
from inspect_app.schemas.statistics import MAX_PERIOD_DAYS, STAT_FORMATS, STAT_TABLES
from inspect_app.services import checklists
from inspect_app.services.errors import Forbidden, InvalidInput
from inspect_app.services.scoping import facility_filter, region_filter, require_registry_reader

TABLES = STAT_TABLES
FORMATS = {fmt: EXPORT_FORMATS[fmt] for fmt in STAT_FORMATS}
TOP_ITEMS = 10
CRITICAL_LIST_LIMIT = 100


# ---------------------------------------------------------------- results


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
    by_basis: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEGAL_BASES, 0))
    by_result: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AUDIT_RESULTS, 0))
    due: int = 0
    in_time: int = 0
    never_inspected: int = 0
    violations: ViolationCounts = field(default_factory=ViolationCounts)

    @property
    def overdue_facilities(self) -> int:
        """Facilities whose routine inspection is late (never-inspected ones included)."""
        return self.due - self.in_time

    @property
    def in_time_share(self) -> float | None:
        """Percentage of facilities inspected in time, one decimal; None when no facility is due."""
        return round(100.0 * self.in_time / self.due, 1) if self.due else None

    def name(self, locale: str = "ru") -> str:
        """Name in the UI language."""
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


# ---------------------------------------------------------------- scope


def resolve_scope(session: Session, user: User, args: dict[str, Any], today: date | None = None) -> StatsScope:
    """Apply the defaults and the user's rights to `StatisticsQueryArgsSchema` arguments.

    Inspectors are refused (403); a supervisor asking for another region is refused (403); an unknown
    region is InvalidInput. Without a region a supervisor gets their own, the others the whole country.
    """
    require_registry_reader(user)
    today = today or today_almaty()
    date_from = args.get("date_from") or date(today.year, 1, 1)
    date_to = args.get("date_to") or date(today.year, 12, 31)
    if date_from > date_to:
        raise InvalidInput("The period starts after it ends.", "date_from")
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise InvalidInput("The period may not be longer than ten years.", "date_to")
    region = None
    if args.get("region"):
        region = session.scalar(sa.select(Region).where(Region.kato == args["region"], region_filter(user)))
        if region is None:
            if session.scalar(sa.select(Region.id).where(Region.kato == args["region"])) is None:
                raise InvalidInput(f"Unknown region KATO code {args['region']}.", "region")
            raise Forbidden("You may only see the statistics of your own region.", "region")
    elif not user.sees_all_regions:
        region = user.region
    return StatsScope(date_from=date_from, date_to=date_to, as_of=min(date_to, today), today=today,
                      region=region, level="district" if region is not None else "region",
                      intervals=dict(current_app.config["INSPECTION_INTERVAL_DAYS"]))


def _facility_scope(user: User, scope: StatsScope) -> sa.ColumnElement[bool]:
    """Facilities the figures cover: the user's scope, narrowed to the selected region."""
    condition = facility_filter(user)
    if scope.region is not None:
        condition = sa.and_(condition, Facility.region_id == scope.region.id)
    return condition


def _area_column(scope: StatsScope) -> so.InstrumentedAttribute:
    return Facility.district_id if scope.level == "district" else Facility.region_id


def _areas(session: Session, user: User, scope: StatsScope) -> dict[int | None, AreaStats]:
    """Empty rows for every region (or district) in scope, so areas without activity still show."""
    if scope.level == "district":
        rows = session.execute(sa.select(District.id, District.kato, District.name_ru, District.name_kk)
                               .where(District.region_id == scope.region.id).order_by(District.kato))
    else:
        rows = session.execute(sa.select(Region.id, Region.kato, Region.name_ru, Region.name_kk)
                               .where(region_filter(user)).order_by(Region.kato))
    return {r.id: AreaStats(area_id=r.id, kato=r.kato, name_ru=r.name_ru, name_kk=r.name_kk) for r in rows}


def _area(areas: dict[int | None, AreaStats], area_id: int | None) -> AreaStats:
    # Facilities without a district get a row of their own rather than vanishing from the sums.
    if area_id not in areas:
        areas[area_id] = AreaStats(area_id=area_id, kato=None, name_ru="Без района", name_kk="Ауданы көрсетілмеген")
    return areas[area_id]


# ---------------------------------------------------------------- queries


def _count_facilities(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, Facility.risk, Facility.type, sa.func.count(Facility.id))
        .where(_facility_scope(user, scope), Facility.archived_at.is_(None))
        .group_by(area, Facility.risk, Facility.type))
    for area_id, risk, type_, count in rows:
        row = _area(areas, area_id)
        row.facilities += count
        row.by_risk[risk] = row.by_risk.get(risk, 0) + count
        row.by_type[type_] = row.by_type.get(type_, 0) + count


def _last_inspection_as_of(as_of: date) -> sa.ColumnElement:
    """The facility's newest inspection date on or before `as_of`.

    The registry's `last_inspection_date` is the answer whenever it is not after `as_of` (audits keep it
    at the newest); only for a period in the past do the audits themselves have to be asked.
    """
    newest_audit = (sa.select(sa.func.max(Audit.inspection_date))
                    .where(Audit.facility_id == Facility.id, Audit.status == "submitted",
                           Audit.inspection_date <= as_of)
                    .correlate(Facility).scalar_subquery())
    return sa.case((Facility.last_inspection_date <= as_of, Facility.last_inspection_date), else_=newest_audit)


def _count_due(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    cutoffs = {risk: scope.as_of - timedelta(days=days) for risk, days in scope.intervals.items()}
    last = _last_inspection_as_of(scope.as_of)
    cutoff = sa.case(*[(Facility.risk == risk, sa.literal(day, sa.Date)) for risk, day in cutoffs.items()],
                     else_=sa.literal(min(cutoffs.values()), sa.Date))
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, sa.func.count(Facility.id),
                  sa.func.sum(sa.case((last >= cutoff, 1), else_=0)),
                  sa.func.sum(sa.case((last.is_(None), 1), else_=0)))
        .where(_facility_scope(user, scope), Facility.archived_at.is_(None), Facility.status != "closed")
        .group_by(area))
    for area_id, due, in_time, never in rows:
        row = _area(areas, area_id)
        row.due, row.in_time, row.never_inspected = due, int(in_time or 0), int(never or 0)


def _counted_audits(user: User, scope: StatsScope) -> list[sa.ColumnElement[bool]]:
    """Conditions on Audit (joined to Facility) for the period's submitted inspections, corrections once."""
    correction = so.aliased(Audit)
    replaced = sa.exists().where(correction.supersedes_id == Audit.id, correction.status == "submitted")
    return [_facility_scope(user, scope), Audit.status == "submitted", Audit.inspection_date >= scope.date_from,
            Audit.inspection_date <= scope.date_to, ~replaced]


def _count_inspections(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, Audit.legal_basis, Audit.result, sa.func.count(Audit.id))
        .join(Facility, Audit.facility_id == Facility.id)
        .where(*_counted_audits(user, scope))
        .group_by(area, Audit.legal_basis, Audit.result))
    for area_id, basis, result, count in rows:
        row = _area(areas, area_id)
        row.inspections += count
        row.by_basis[basis] = row.by_basis.get(basis, 0) + count
        if result is not None:
            row.by_result[result] = row.by_result.get(result, 0) + count


def _monthly(session: Session, user: User, scope: StatsScope) -> list[MonthStats]:
    year = sa.extract("year", Audit.inspection_date)
    month = sa.extract("month", Audit.inspection_date)
    rows = session.execute(
        sa.select(year, month, Audit.result, sa.func.count(Audit.id))
        .join(Facility, Audit.facility_id == Facility.id)
        .where(*_counted_audits(user, scope))
        .group_by(year, month, Audit.result))
    counts: dict[str, dict[str, int]] = {}
    for y, m, result, count in rows:
        key = f"{int(y):04d}-{int(m):02d}"
        counts.setdefault(key, dict.fromkeys(AUDIT_RESULTS, 0))
        if result is not None:
            counts[key][result] = counts[key].get(result, 0) + count
    months = []
    day = scope.date_from.replace(day=1)
    while day <= scope.date_to:
        key = f"{day.year:04d}-{day.month:02d}"
        months.append(MonthStats(month=key, by_result=counts.get(key, dict.fromkeys(AUDIT_RESULTS, 0))))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _period_violations(user: User, scope: StatsScope) -> sa.Select:
    """Violations raised by the period's inspections (superseded ones left out), joined to their facility."""
    return (sa.select().select_from(Violation)
            .join(Audit, Violation.audit_id == Audit.id)
            .join(Facility, Violation.facility_id == Facility.id)
            .where(_facility_scope(user, scope), Violation.status != "superseded", Audit.status == "submitted",
                   Audit.inspection_date >= scope.date_from, Audit.inspection_date <= scope.date_to))


def _violation_cells(session: Session, user: User, scope: StatsScope) -> list[ViolationCell]:
    area = _area_column(scope)
    is_open = Violation.status == "open"
    query = _period_violations(user, scope).add_columns(
        area, Violation.section, Violation.severity, sa.func.count(Violation.id),
        sa.func.sum(sa.case((is_open, 1), else_=0)),
        sa.func.sum(sa.case((Violation.status == "resolved", 1), else_=0)),
        sa.func.sum(sa.case((sa.and_(is_open, Violation.due_date < scope.today), 1), else_=0)),
    ).group_by(area, Violation.section, Violation.severity).order_by(area, Violation.section, Violation.severity)
    return [ViolationCell(area_id=area_id, section=section, severity=severity,
                          counts=ViolationCounts(total=total, open=int(open_ or 0), resolved=int(resolved or 0),
                                                 overdue=int(overdue or 0)))
            for area_id, section, severity, total, open_, resolved, overdue in session.execute(query)]


def failed_items(session: Session, user: User, scope: StatsScope, limit: int | None = TOP_ITEMS,
                 inspections: int | None = None) -> list[ItemStats]:
    """Checklist items by how often they failed in the period, most frequent first (all with `limit=None`).

    `share` is the failures as a percentage of `inspections` (the period's inspection count) when given.
    """
    count = sa.func.count(Violation.id)
    query = (_period_violations(user, scope)
             .add_columns(Violation.item_code, sa.func.min(Violation.section), sa.func.min(Violation.severity),
                          count, sa.func.min(Violation.id))
             .group_by(Violation.item_code).order_by(count.desc(), Violation.item_code))
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    texts = {vid: text for vid, text in session.execute(
        sa.select(Violation.id, Violation.item_text).where(Violation.id.in_([r[4] for r in rows])))} if rows else {}
    return [ItemStats(rank=n, item_code=code, section=section, severity=severity, text=texts.get(first) or {},
                      failures=failures,
                      share=round(100.0 * failures / inspections, 1) if inspections else None)
            for n, (code, section, severity, failures, first) in enumerate(rows, start=1)]


def _critical_facilities(session: Session, user: User, scope: StatsScope) -> tuple[list[CriticalFacility], int]:
    condition = [_facility_scope(user, scope), Facility.archived_at.is_(None), Violation.status == "open",
                 Violation.severity == "critical"]
    total = session.scalar(sa.select(sa.func.count(sa.distinct(Violation.facility_id)))
                           .join(Facility, Violation.facility_id == Facility.id).where(*condition))
    earliest = sa.func.min(Violation.due_date)
    rows = session.execute(
        sa.select(Facility.id, Facility.bin, Facility.name_ru, Facility.name_kk, Region.kato,
                  sa.func.count(Violation.id), earliest)
        .select_from(Violation)
        .join(Facility, Violation.facility_id == Facility.id)
        .join(Region, Facility.region_id == Region.id)
        .where(*condition)
        .group_by(Facility.id, Facility.bin, Facility.name_ru, Facility.name_kk, Region.kato)
        .order_by(earliest, Facility.name_ru).limit(CRITICAL_LIST_LIMIT))
    return [CriticalFacility(facility_id=fid, bin=bin_, name_ru=name_ru, name_kk=name_kk, region_kato=kato,
                             open_critical=count, earliest_due=_as_date(due))
            for fid, bin_, name_ru, name_kk, kato, count, due in rows], int(total or 0)


def _as_date(value: Any) -> date:
    # SQLite hands an aggregate over a DATE column back as its stored text.
    return date.fromisoformat(value) if isinstance(value, str) else value


def section_titles(session: Session) -> dict[str, dict[str, str]]:
    """Titles of the checklist sections by code, from the newest version of each stored template."""
    newest = sa.select(sa.func.max(ChecklistTemplate.id)).group_by(ChecklistTemplate.code)
    titles: dict[str, dict[str, str]] = {}
    for row in session.scalars(sa.select(ChecklistTemplate).where(ChecklistTemplate.id.in_(newest))
                               .order_by(ChecklistTemplate.code)):
        for section in checklists.parsed(row).sections:
            if section.title is not None:
                titles.setdefault(section.code, section.title.to_dict())
    return titles


# ---------------------------------------------------------------- summary


def summary(session: Session, user: User, args: dict[str, Any], today: date | None = None) -> Summary:
    """Every dashboard figure for the user and `StatisticsQueryArgsSchema` arguments; reads only.

    Raises Forbidden for inspectors and for a supervisor asking about another region.
    """
    scope = resolve_scope(session, user, args, today)
    areas = _areas(session, user, scope)
    _count_facilities(session, user, scope, areas)
    _count_due(session, user, scope, areas)
    _count_inspections(session, user, scope, areas)
    cells = _violation_cells(session, user, scope)
    by_severity = {s: ViolationCounts() for s in SEVERITIES}
    by_section: dict[str, ViolationCounts] = {}
    for cell in cells:
        _area(areas, cell.area_id).violations.add(cell.counts)
        by_severity.setdefault(cell.severity, ViolationCounts()).add(cell.counts)
        by_section.setdefault(cell.section, ViolationCounts()).add(cell.counts)
    rows = [areas[k] for k in areas if k is not None] + ([areas[None]] if None in areas else [])
    total = _sum_areas(rows, scope)
    critical, critical_total = _critical_facilities(session, user, scope)
    return Summary(
        scope=scope, areas=rows, total=total, violations_by_severity=by_severity,
        violations_by_section=dict(sorted(by_section.items(), key=lambda kv: -kv[1].total)),
        violation_cells=cells, section_titles=section_titles(session),
        top_items=failed_items(session, user, scope, TOP_ITEMS, total.inspections),
        monthly=_monthly(session, user, scope), critical_facilities=critical,
        critical_facilities_total=critical_total)


def _sum_areas(rows: Iterable[AreaStats], scope: StatsScope) -> AreaStats:
    region = scope.region
    total = AreaStats(area_id=None, kato=region.kato if region else None,
                      name_ru=region.name_ru if region else "Казахстан",
                      name_kk=region.name_kk if region else "Қазақстан")
    for row in rows:
        total.facilities += row.facilities
        total.inspections += row.inspections
        total.due += row.due
        total.in_time += row.in_time
        total.never_inspected += row.never_inspected
        total.violations.add(row.violations)
        for mine, theirs in ((total.by_risk, row.by_risk), (total.by_type, row.by_type),
                             (total.by_basis, row.by_basis), (total.by_result, row.by_result)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
    return total


# ---------------------------------------------------------------- tables and exports


def _period_columns(scope: StatsScope) -> dict[str, Any]:
    return {"date_from": scope.date_from, "date_to": scope.date_to}


REGION_COLUMNS = (
    ["level", "kato", "name_ru", "name_kk", "facilities"]
    + [f"risk_{r}" for r in RISKS] + [f"type_{t}" for t in FACILITY_TYPES]
    + ["inspections"] + [f"basis_{b}" for b in LEGAL_BASES] + [f"result_{r}" for r in AUDIT_RESULTS]
    + ["due_facilities", "inspected_in_time", "overdue_facilities", "never_inspected", "in_time_share",
       "violations_total", "violations_open", "violations_resolved", "violations_overdue", "date_from", "date_to"]
)
VIOLATION_COLUMNS = ["level", "kato", "name_ru", "section", "severity", "total", "open", "resolved", "overdue",
                     "date_from", "date_to"]
ITEM_COLUMNS = ["rank", "item_code", "section", "severity", "text_ru", "text_kk", "text_en", "failures",
                "share_of_inspections", "date_from", "date_to"]


def _region_rows(data: Summary) -> Iterator[dict[str, Any]]:
    for area in data.areas:
        yield {
            "level": data.level, "kato": area.kato or "", "name_ru": area.name_ru, "name_kk": area.name_kk,
            "facilities": area.facilities,
            **{f"risk_{r}": area.by_risk.get(r, 0) for r in RISKS},
            **{f"type_{t}": area.by_type.get(t, 0) for t in FACILITY_TYPES},
            "inspections": area.inspections,
            **{f"basis_{b}": area.by_basis.get(b, 0) for b in LEGAL_BASES},
            **{f"result_{r}": area.by_result.get(r, 0) for r in AUDIT_RESULTS},
            "due_facilities": area.due, "inspected_in_time": area.in_time,
            "overdue_facilities": area.overdue_facilities, "never_inspected": area.never_inspected,
            "in_time_share": area.in_time_share, "violations_total": area.violations.total,
            "violations_open": area.violations.open, "violations_resolved": area.violations.resolved,
            "violations_overdue": area.violations.overdue, **_period_columns(data.scope),
        }


def _violation_rows(data: Summary) -> Iterator[dict[str, Any]]:
    names = {area.area_id: area for area in data.areas}
    for cell in data.violation_cells:
        area = names.get(cell.area_id)
        yield {"level": data.level, "kato": (area.kato if area else "") or "", "name_ru": area.name_ru if area else "",
               "section": cell.section, "severity": cell.severity, "total": cell.counts.total,
               "open": cell.counts.open, "resolved": cell.counts.resolved, "overdue": cell.counts.overdue,
               **_period_columns(data.scope)}


def _item_rows(items: list[ItemStats], scope: StatsScope) -> Iterator[dict[str, Any]]:
    for item in items:
        yield {"rank": item.rank, "item_code": item.item_code, "section": item.section, "severity": item.severity,
               "text_ru": item.text.get("ru", ""), "text_kk": item.text.get("kk", ""),
               "text_en": item.text.get("en", ""), "failures": item.failures,
               "share_of_inspections": item.share, **_period_columns(scope)}


def table_rows(session: Session, user: User, table: str, args: dict[str, Any],
               today: date | None = None) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The columns and rows of one statistics table: `regions` (a row per region or district),
    `violations` (area x section x severity) or `items` (every failed item, most frequent first)."""
    if table not in TABLES:
        raise InvalidInput(f"Unknown table; use one of {', '.join(TABLES)}.", "table")
    if table == "items":
        scope = resolve_scope(session, user, args, today)
        inspections = session.scalar(sa.select(sa.func.count(Audit.id))
                                     .join(Facility, Audit.facility_id == Facility.id)
                                     .where(*_counted_audits(user, scope)))
        return ITEM_COLUMNS, _item_rows(failed_items(session, user, scope, None, inspections), scope)
    data = summary(session, user, args, today)
    if table == "regions":
        return REGION_COLUMNS, _region_rows(data)
    return VIOLATION_COLUMNS, _violation_rows(data)


def export_table(session: Session, user: User, table: str, fmt: str, fp: IO[bytes], args: dict[str, Any],
                 today: date | None = None) -> int:
    """Write one statistics table as CSV or XLSX to a binary file object; returns the row count."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format; use one of {', '.join(FORMATS)}.", "format")
    columns, rows = table_rows(session, user, table, args, today)
    spec = [(c, c) for c in columns]
    if fmt == "csv":
        return write_csv(rows, spec, fp)
    return write_xlsx(rows, spec, fp, sheet_title=table)


def export_filename(table: str, fmt: str, args: dict[str, Any]) -> str:
    """A download name that says what the file holds, e.g. `statistics-regions-190000000.xlsx`."""
    parts = ["statistics", table]
    if args.get("region"):
        parts.append(str(args["region"]))
    if args.get("date_from") or args.get("date_to"):
        parts.append(f"{args.get('date_from') or ''}_{args.get('date_to') or ''}")
    return "-".join(parts) + "." + FORMATS[fmt][1]

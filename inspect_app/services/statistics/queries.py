"""Statistics queries: the scope a user may see, and one GROUP BY query per figure."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import (
    Audit,
    AuditMonthCount,
    AuditStatus,
    ChecklistTemplate,
    District,
    Facility,
    FacilityStatus,
    Region,
    ReviewDecision,
    User,
)
from inspect_app.models import setting as settings_values
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.models.tally import NO_DISTRICT
from inspect_app.schemas.statistics import MAX_PERIOD_DAYS
from inspect_app.services import checklists
from inspect_app.services.access import facility_filter, region_filter, require_registry_reader, sees_all_regions
from inspect_app.services.errors import Forbidden, InvalidInput
from inspect_app.services.statistics.results import (
    CRITICAL_LIST_LIMIT,
    OVERDUE_BUCKET_DAYS,
    OVERDUE_BUCKETS,
    TREND_MONTHS,
    AreaStats,
    CriticalFacility,
    MonthStats,
    StatsScope,
)


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
    elif not sees_all_regions(user):
        region = user.region
    return StatsScope(date_from=date_from, date_to=date_to, as_of=min(date_to, today), today=today,
                      region=region, level="district" if region is not None else "region",
                      intervals=settings_values.intervals())


def facility_scope(user: User, scope: StatsScope) -> sa.ColumnElement[bool]:
    """Facilities the figures cover: the user's scope, narrowed to the selected region."""
    condition = facility_filter(user)
    if scope.region is not None:
        condition = sa.and_(condition, Facility.region_id == scope.region.id)
    return condition


def area_column(scope: StatsScope) -> so.InstrumentedAttribute:
    return Facility.district_id if scope.level == "district" else Facility.region_id


def areas_of(session: Session, user: User, scope: StatsScope) -> dict[int | None, AreaStats]:
    """Empty rows for every region (or district) in scope, so areas without activity still show."""
    if scope.level == "district":
        rows = session.execute(sa.select(District.id, District.kato, District.name_ru, District.name_kk)
                               .where(District.region_id == scope.region.id).order_by(District.kato))
    else:
        rows = session.execute(sa.select(Region.id, Region.kato, Region.name_ru, Region.name_kk)
                               .where(region_filter(user)).order_by(Region.kato))
    return {r.id: AreaStats(area_id=r.id, kato=r.kato, name_ru=r.name_ru, name_kk=r.name_kk) for r in rows}


def area_stats(areas: dict[int | None, AreaStats], area_id: int | None) -> AreaStats:
    # Facilities without a district get a row of their own rather than vanishing from the sums.
    if area_id not in areas:
        areas[area_id] = AreaStats(area_id=area_id, kato=None, name_ru="Без района", name_kk="Ауданы көрсетілмеген")
    return areas[area_id]


# ---------------------------------------------------------------- queries


def audits_with_facility(query: sa.Select) -> sa.Select:
    """`query` over Audit joined to the facility each audit belongs to now (the survivor of a merge).

    Plain joins instead of `survivor_id`'s correlated look-up per audit: the registry is hashed once, however
    many audits the period holds, and only merged records (few) are looked up a second time.
    """
    own = so.aliased(Facility)
    return (query.join(own, own.id == Audit.facility_id)
            .join(Facility, Facility.id == sa.func.coalesce(own.merged_into_id, own.id)))


def _newest_audits_until(as_of: date, scope_condition: sa.ColumnElement[bool]) -> sa.Subquery:
    """The newest submitted inspection on or before `as_of` of each facility (merge survivor) in scope that was
    inspected again after it: only those need the audits, the others' `last_inspection_date` is the answer."""
    own = so.aliased(Facility)
    survivor = sa.func.coalesce(own.merged_into_id, own.id)
    return (sa.select(Facility.id.label("facility_id"), sa.func.max(Audit.inspection_date).label("last"))
            .join(own, own.id == Audit.facility_id)
            .join(Facility, Facility.id == survivor)
            .where(Audit.status == AuditStatus.SUBMITTED, Audit.inspection_date <= as_of, scope_condition,
                   Facility.last_inspection_date > as_of)
            .group_by(Facility.id).subquery("newest_audit"))


def count_registry(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    """Live facilities by area, risk and type; and of those not closed, the due, in-time and never-inspected ones
    and the overdue by how long, as of the scope's reference date: one pass over the registry.

    The registry's `last_inspection_date` (kept at the newest by every submit) is the answer whenever it is
    not after `as_of`; only a period in the past asks the audits, in one grouped join rather than a
    correlated look-up per facility.
    """
    cutoffs = {risk: scope.as_of - timedelta(days=days) for risk, days in scope.intervals.items()}
    query = sa.select().select_from(Facility)
    if scope.as_of >= scope.today:
        last = Facility.last_inspection_date
    else:
        newest = _newest_audits_until(scope.as_of, facility_scope(user, scope))
        query = query.outerjoin(newest, newest.c.facility_id == Facility.id)
        last = sa.case((Facility.last_inspection_date <= scope.as_of, Facility.last_inspection_date),
                       else_=newest.c.last)

    def cutoff_less(days: int) -> sa.ColumnElement:
        # The day a facility inspected before it had been overdue for more than `days` days.
        return sa.case(*[(Facility.risk == risk, sa.literal(day - timedelta(days=days), sa.Date))
                         for risk, day in cutoffs.items()],
                       else_=sa.literal(min(cutoffs.values()) - timedelta(days=days), sa.Date))

    due = Facility.status != FacilityStatus.CLOSED

    def count_due(condition: sa.ColumnElement[bool]) -> sa.ColumnElement:
        return sa.func.sum(sa.case((sa.and_(due, condition), 1), else_=0))

    # Overdue by how long: (cutoff - N days, cutoff - M days] per bucket, the oldest bucket open-ended.
    bounds = [0, *OVERDUE_BUCKET_DAYS]
    late = []
    for n, low in enumerate(bounds):
        condition = last < cutoff_less(low)
        if n + 1 < len(bounds):
            condition = sa.and_(condition, last >= cutoff_less(bounds[n + 1]))
        late.append(count_due(condition))
    area = area_column(scope)
    rows = session.execute(
        query.add_columns(area, Facility.risk, Facility.type, sa.func.count(Facility.id),
                          sa.func.sum(sa.case((due, 1), else_=0)), count_due(last >= cutoff_less(0)),
                          count_due(last.is_(None)), *late)
        .where(facility_scope(user, scope), Facility.archived_at.is_(None))
        .group_by(area, Facility.risk, Facility.type))
    for area_id, risk, type_, count, n_due, in_time, never, *buckets in rows:
        row = area_stats(areas, area_id)
        row.facilities += count
        row.by_risk[risk] = row.by_risk.get(risk, 0) + count
        row.by_type[type_] = row.by_type.get(type_, 0) + count
        row.due += int(n_due or 0)
        row.in_time += int(in_time or 0)
        row.never_inspected += int(never or 0)
        for key, value in zip(OVERDUE_BUCKETS, buckets, strict=True):
            row.overdue_by[key] = row.overdue_by.get(key, 0) + int(value or 0)


def counted_audits(user: User, scope: StatsScope) -> list[sa.ColumnElement[bool]]:
    """Conditions on Audit (joined to Facility) for the period's submitted inspections, corrections once."""
    correction = so.aliased(Audit)
    # `IS NOT NULL` lets the database read the few corrections from their index instead of every audit.
    replaced = sa.exists().where(correction.supersedes_id.is_not(None), correction.supersedes_id == Audit.id,
                                 correction.status == AuditStatus.SUBMITTED)
    return [facility_scope(user, scope), Audit.status == AuditStatus.SUBMITTED,
            Audit.inspection_date >= scope.date_from, Audit.inspection_date <= scope.date_to, ~replaced]


def trend_start(scope: StatsScope) -> date:
    """First day of the trend: TREND_MONTHS whole months ending with the period's last, or the period's start."""
    first = scope.date_to.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return min(first, scope.date_from)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _audit_groups(session: Session, user: User, scope: StatsScope, start: date,
                  edges_read: dict[tuple[date, date], list[tuple]]) -> list[tuple]:
    """(area, year, month, basis, result, count) of the counted audits from `start` to the period's end.

    Whole months come from the monthly counts the submit keeps (`AuditMonthCount`); only the part-months at
    either end are counted from the audits, over the inspection-date index (once each: `edges_read`).
    """
    whole_from = start if start.day == 1 else next_month(start)
    whole_until = next_month(scope.date_to) if next_month(scope.date_to) - timedelta(days=1) == scope.date_to \
        else scope.date_to.replace(day=1)  # exclusive
    rows: list[tuple] = []
    edges = [(start, scope.date_to)]
    if whole_from < whole_until:
        edges = [(start, whole_from - timedelta(days=1)), (whole_until, scope.date_to)]
        area = (sa.func.nullif(AuditMonthCount.district_id, NO_DISTRICT) if scope.level == "district"
                else AuditMonthCount.region_id)
        condition = (AuditMonthCount.region_id == scope.region.id if scope.region is not None
                     else sa.true() if sees_all_regions(user) else sa.false())
        query = (sa.select(area, AuditMonthCount.month, AuditMonthCount.legal_basis, AuditMonthCount.result,
                           sa.func.sum(AuditMonthCount.audits))
                 .where(condition, AuditMonthCount.month >= whole_from, AuditMonthCount.month < whole_until)
                 .group_by(area, AuditMonthCount.month, AuditMonthCount.legal_basis, AuditMonthCount.result))
        for area_id, month, basis, result, count in session.execute(query):
            month = as_date(month)
            if count:
                rows.append((area_id, month.year, month.month, basis, result or None, int(count)))
    area = area_column(scope)
    year = sa.extract("year", Audit.inspection_date)
    month = sa.extract("month", Audit.inspection_date)
    for first, last in edges:
        if first > last:
            continue
        if (first, last) in edges_read:
            rows.extend(edges_read[first, last])
            continue
        query = (audits_with_facility(sa.select(area, year, month, Audit.legal_basis, Audit.result,
                                                sa.func.count(Audit.id)).select_from(Audit))
                 .where(*counted_audits(user, replace(scope, date_from=first, date_to=last)))
                 .group_by(area, year, month, Audit.legal_basis, Audit.result))
        edges_read[first, last] = [(a, int(y), int(m), b, r, c) for a, y, m, b, r, c in session.execute(query)]
        rows.extend(edges_read[first, last])
    return rows


def count_audits(session: Session, user: User, scope: StatsScope, areas: dict) -> list[MonthStats]:
    """Inspections by area, legal basis and result for the period, and by month over the trend.

    Returns the trend's months (at least TREND_MONTHS), each with the same month a year before beside it.
    A period that starts or ends inside a month counts that month's audits by their own dates.
    """
    start = trend_start(scope)
    edges: dict[tuple[date, date], list[tuple]] = {}
    trend = _audit_groups(session, user, scope, start, edges)
    counts: dict[str, dict[str, int]] = {}
    for _area, y, m, _basis, result, count in trend:
        key = f"{y:04d}-{m:02d}"
        counts.setdefault(key, dict.fromkeys(AUDIT_RESULTS, 0))
        if result is not None:
            counts[key][result] = counts[key].get(result, 0) + count
    period = trend if start == scope.date_from else _audit_groups(session, user, scope, scope.date_from, edges)
    for area_id, _y, _m, basis, result, count in period:
        row = area_stats(areas, area_id)
        row.inspections += count
        row.by_basis[basis] = row.by_basis.get(basis, 0) + count
        if result is not None:
            row.by_result[result] = row.by_result.get(result, 0) + count
    months = []
    day = start.replace(day=1)
    while day <= scope.date_to:
        key = f"{day.year:04d}-{day.month:02d}"
        before = f"{day.year - 1:04d}-{day.month:02d}"
        months.append(MonthStats(month=key, by_result=counts.get(key, dict.fromkeys(AUDIT_RESULTS, 0)),
                                 year_before=counts.get(before, dict.fromkeys(AUDIT_RESULTS, 0))
                                 if before >= f"{start:%Y-%m}" else None))
        day = next_month(day)
    return months



def audits_by_result(session: Session, user: User, scope: StatsScope) -> dict[str, int]:
    """The period's counted inspections by result, counted as the summary counts them (`count_audits`)."""
    counts: dict[str, int] = {}
    for _area, _y, _m, _basis, result, count in _audit_groups(session, user, scope, scope.date_from, {}):
        if result is not None:
            counts[result] = counts.get(result, 0) + count
    return {result: count for result, count in counts.items() if count}


def count_reviewed(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    """Of the period's counted inspections, those with a review decision, by area (`AreaStats.reviewed`)."""
    area = area_column(scope)
    rows = session.execute(
        audits_with_facility(sa.select(area, sa.func.count(Audit.id)).select_from(Audit))
        .where(*counted_audits(user, scope), sa.exists().where(ReviewDecision.audit_id == Audit.id))
        .group_by(area))
    for area_id, count in rows:
        area_stats(areas, area_id).reviewed += count

def critical_facilities(session: Session, user: User, scope: StatsScope) -> tuple[list[CriticalFacility], int]:
    """The live facilities in scope with an open critical violation, most urgent deadline first (at most
    CRITICAL_LIST_LIMIT), and how many there are: from the counts each facility's row keeps (tally.py)."""
    condition = [facility_scope(user, scope), Facility.archived_at.is_(None), Facility.open_critical > 0]
    total = session.scalar(sa.select(sa.func.count(Facility.id)).where(*condition))
    rows = session.execute(
        sa.select(Facility.id, Facility.bin, Facility.name_ru, Facility.name_kk, Region.kato,
                  Facility.open_critical, Facility.open_critical_due)
        .join(Region, Facility.region_id == Region.id)
        .where(*condition)
        .order_by(Facility.open_critical_due, Facility.name_ru).limit(CRITICAL_LIST_LIMIT))
    return [CriticalFacility(facility_id=fid, bin=bin_, name_ru=name_ru, name_kk=name_kk, region_kato=kato,
                             open_critical=count, earliest_due=as_date(due))
            for fid, bin_, name_ru, name_kk, kato, count, due in rows], int(total or 0)


def as_date(value: Any) -> date:
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

"""Statistics queries: the scope a user may see, and one GROUP BY query per figure."""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import (
    Audit,
    AuditStatus,
    ChecklistTemplate,
    District,
    Facility,
    FacilityStatus,
    Region,
    ReviewDecision,
    User,
    Violation,
    ViolationStatus,
)
from inspect_app.models import setting as settings_values
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.models.facility import survivor_id
from inspect_app.schemas.statistics import MAX_PERIOD_DAYS
from inspect_app.services import checklists
from inspect_app.services.access import facility_filter, region_filter, require_registry_reader, sees_all_regions
from inspect_app.services.errors import Forbidden, InvalidInput
from inspect_app.services.statistics.results import (
    CRITICAL_LIST_LIMIT,
    TOP_ITEMS,
    AreaStats,
    CriticalFacility,
    ItemStats,
    MonthStats,
    StatsScope,
    ViolationCell,
    ViolationCounts,
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


def _facility_scope(user: User, scope: StatsScope) -> sa.ColumnElement[bool]:
    """Facilities the figures cover: the user's scope, narrowed to the selected region."""
    condition = facility_filter(user)
    if scope.region is not None:
        condition = sa.and_(condition, Facility.region_id == scope.region.id)
    return condition


def _area_column(scope: StatsScope) -> so.InstrumentedAttribute:
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


def count_facilities(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, Facility.risk, Facility.type, sa.func.count(Facility.id))
        .where(_facility_scope(user, scope), Facility.archived_at.is_(None))
        .group_by(area, Facility.risk, Facility.type))
    for area_id, risk, type_, count in rows:
        row = area_stats(areas, area_id)
        row.facilities += count
        row.by_risk[risk] = row.by_risk.get(risk, 0) + count
        row.by_type[type_] = row.by_type.get(type_, 0) + count


def _last_inspection_as_of(as_of: date) -> sa.ColumnElement:
    """The facility's newest inspection date on or before `as_of`.

    The registry's `last_inspection_date` is the answer whenever it is not after `as_of` (audits keep it
    at the newest); only for a period in the past do the audits themselves have to be asked.
    """
    newest_audit = (sa.select(sa.func.max(Audit.inspection_date))
                    .where(survivor_id(Audit.facility_id) == Facility.id, Audit.status == AuditStatus.SUBMITTED,
                           Audit.inspection_date <= as_of)
                    .correlate(Facility).scalar_subquery())
    return sa.case((Facility.last_inspection_date <= as_of, Facility.last_inspection_date), else_=newest_audit)


def count_due(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    cutoffs = {risk: scope.as_of - timedelta(days=days) for risk, days in scope.intervals.items()}
    last = _last_inspection_as_of(scope.as_of)
    cutoff = sa.case(*[(Facility.risk == risk, sa.literal(day, sa.Date)) for risk, day in cutoffs.items()],
                     else_=sa.literal(min(cutoffs.values()), sa.Date))
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, sa.func.count(Facility.id),
                  sa.func.sum(sa.case((last >= cutoff, 1), else_=0)),
                  sa.func.sum(sa.case((last.is_(None), 1), else_=0)))
        .where(_facility_scope(user, scope), Facility.archived_at.is_(None), Facility.status != FacilityStatus.CLOSED)
        .group_by(area))
    for area_id, due, in_time, never in rows:
        row = area_stats(areas, area_id)
        row.due, row.in_time, row.never_inspected = due, int(in_time or 0), int(never or 0)


def counted_audits(user: User, scope: StatsScope) -> list[sa.ColumnElement[bool]]:
    """Conditions on Audit (joined to Facility) for the period's submitted inspections, corrections once."""
    correction = so.aliased(Audit)
    replaced = sa.exists().where(correction.supersedes_id == Audit.id, correction.status == AuditStatus.SUBMITTED)
    return [_facility_scope(user, scope), Audit.status == AuditStatus.SUBMITTED,
            Audit.inspection_date >= scope.date_from, Audit.inspection_date <= scope.date_to, ~replaced]


def count_inspections(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, Audit.legal_basis, Audit.result, sa.func.count(Audit.id))
        .join(Facility, survivor_id(Audit.facility_id) == Facility.id)
        .where(*counted_audits(user, scope))
        .group_by(area, Audit.legal_basis, Audit.result))
    for area_id, basis, result, count in rows:
        row = area_stats(areas, area_id)
        row.inspections += count
        row.by_basis[basis] = row.by_basis.get(basis, 0) + count
        if result is not None:
            row.by_result[result] = row.by_result.get(result, 0) + count


def count_reviewed(session: Session, user: User, scope: StatsScope, areas: dict) -> None:
    """Of the period's counted inspections, those with a review decision, by area (`AreaStats.reviewed`)."""
    area = _area_column(scope)
    rows = session.execute(
        sa.select(area, sa.func.count(Audit.id))
        .join(Facility, survivor_id(Audit.facility_id) == Facility.id)
        .where(*counted_audits(user, scope), sa.exists().where(ReviewDecision.audit_id == Audit.id))
        .group_by(area))
    for area_id, count in rows:
        area_stats(areas, area_id).reviewed += count


def monthly(session: Session, user: User, scope: StatsScope) -> list[MonthStats]:
    year = sa.extract("year", Audit.inspection_date)
    month = sa.extract("month", Audit.inspection_date)
    rows = session.execute(
        sa.select(year, month, Audit.result, sa.func.count(Audit.id))
        .join(Facility, survivor_id(Audit.facility_id) == Facility.id)
        .where(*counted_audits(user, scope))
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
            .where(_facility_scope(user, scope), Violation.status != ViolationStatus.SUPERSEDED,
                   Audit.status == AuditStatus.SUBMITTED, Audit.inspection_date >= scope.date_from,
                   Audit.inspection_date <= scope.date_to))


def violation_cells(session: Session, user: User, scope: StatsScope) -> list[ViolationCell]:
    area = _area_column(scope)
    is_open = Violation.status == ViolationStatus.OPEN
    query = _period_violations(user, scope).add_columns(
        area, Violation.section, Violation.severity, sa.func.count(Violation.id),
        sa.func.sum(sa.case((is_open, 1), else_=0)),
        sa.func.sum(sa.case((Violation.status == ViolationStatus.RESOLVED, 1), else_=0)),
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


def critical_facilities(session: Session, user: User, scope: StatsScope) -> tuple[list[CriticalFacility], int]:
    condition = [_facility_scope(user, scope), Facility.archived_at.is_(None), Violation.status == ViolationStatus.OPEN,
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

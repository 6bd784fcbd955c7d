"""Prescription figures by area: items open, overdue, verified, not fixed and the median days to fix, and the
"reviewed N of M" of the audit-based figures (by result, by section). One GROUP BY each.

Items: of the prescriptions delivered in the period, superseded ones (of a corrected audit) left out, by their
newest event's state. Open: open or reported (awaiting the supervisor); overdue: open or not fixed with the
deadline before today (derived, never stored); median days to fix: over the verified items, from the delivery to
the verification's date in Asia/Almaty.
"""

from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import (
    Audit,
    District,
    Facility,
    Prescription,
    PrescriptionItem,
    Region,
    ReviewDecision,
    User,
    Violation,
    ViolationStatus,
)
from inspect_app.models.prescription import RUNNING_STATES, ItemState
from inspect_app.services.access import region_filter
from inspect_app.services.prescriptions.latest import newest_events
from inspect_app.services.statistics.files import write_table
from inspect_app.services.statistics.queries import (
    audits_by_result,
    audits_with_facility,
    counted_audits,
    resolve_scope,
)
from inspect_app.services.statistics.results import StatsScope
from inspect_app.services.statistics.sqldays import OVERALL, days_since, medians
from inspect_app.services.statistics.violations import monthly_violations

PRESCRIPTION_COLUMNS = ["level", "kato", "name_ru", "name_kk", "items", "items_open", "items_overdue",
                        "items_verified", "items_not_fixed", "median_days_to_fix", "date_from", "date_to"]


@dataclass
class RemedyRow:
    """The prescription items of one area (or the total)."""

    area_id: int | None
    kato: str | None
    name_ru: str
    name_kk: str
    items: int = 0
    open: int = 0
    overdue: int = 0
    verified: int = 0
    not_fixed: int = 0
    median_days: float | None = None

    def name(self, locale: str = "ru") -> str:
        return self.name_kk if locale == "kk" and self.name_kk else self.name_ru


@dataclass
class RemedyFigures:
    scope: StatsScope
    rows: list[RemedyRow]
    total: RemedyRow
    # Of the period's counted inspections: {result: (reviewed, all)}, {section: (reviewed, all)} of violations.
    reviewed_by_result: dict[str, tuple[int, int]] = field(default_factory=dict)
    reviewed_by_section: dict[str, tuple[int, int]] = field(default_factory=dict)


def _area(scope: StatsScope) -> Any:
    return Facility.district_id if scope.region is not None else Facility.region_id


def _areas(session: Session, user: User, scope: StatsScope) -> dict[int | None, RemedyRow]:
    if scope.region is not None:
        query = sa.select(District.id, District.kato, District.name_ru, District.name_kk).where(
            District.region_id == scope.region.id).order_by(District.kato)
    else:
        query = sa.select(Region.id, Region.kato, Region.name_ru, Region.name_kk).where(
            region_filter(user)).order_by(Region.kato)
    return {r.id: RemedyRow(r.id, r.kato, r.name_ru, r.name_kk) for r in session.execute(query)}


def _item_scope(user: User, scope: StatsScope) -> list[sa.ColumnElement[bool]]:
    region = (Prescription.region_id == scope.region.id if scope.region is not None
              else Prescription.region_id.in_(sa.select(Region.id).where(region_filter(user))))
    return [region, Prescription.delivered_on >= scope.date_from, Prescription.delivered_on <= scope.date_to]


def remedy_figures(session: Session, user: User, args: dict[str, Any], today=None) -> RemedyFigures:
    """The prescription figures of the user's scope by area (403 for inspectors and another region's supervisor)."""
    scope = resolve_scope(session, user, args, today)
    rows = _areas(session, user, scope)
    area = _area(scope)
    latest = newest_events()

    def row(key: int | None) -> RemedyRow:
        return rows.setdefault(key, RemedyRow(key, None, "Без района", "Ауданы көрсетілмеген"))

    base = (sa.select().select_from(PrescriptionItem)
            .join(Prescription, PrescriptionItem.prescription_id == Prescription.id)
            .join(Facility, PrescriptionItem.facility_id == Facility.id)
            .join(latest, latest.c.item_id == PrescriptionItem.id))
    overdue = sa.and_(latest.c.state.in_(list(RUNNING_STATES)), latest.c.due_date < scope.today)
    counts = session.execute(
        base.add_columns(area, latest.c.state, sa.func.count(), sa.func.count(sa.case((overdue, 1))))
        .where(*_item_scope(user, scope), latest.c.state != ItemState.SUPERSEDED)
        .group_by(area, latest.c.state))
    for key, state, count, late in counts:
        target = row(key)
        target.items += count
        target.overdue += late
        if state in (ItemState.OPEN, ItemState.REPORTED):
            target.open += count
        elif state == ItemState.VERIFIED:
            target.verified += count
        elif state == ItemState.NOT_FIXED:
            target.not_fixed += count

    days = days_since(session, latest.c.at, Prescription.delivered_on)
    verified = (*_item_scope(user, scope), latest.c.state == ItemState.VERIFIED,
                PrescriptionItem.prescription_id == Prescription.id, PrescriptionItem.facility_id == Facility.id,
                latest.c.item_id == PrescriptionItem.id)
    found = medians(session, area, days, *verified, overall=True)
    overall = found.pop(OVERALL, (None, 0))[0]
    for key, (median, _count) in found.items():
        row(key).median_days = median
    total = RemedyRow(None, scope.region.kato if scope.region else None,
                      scope.region.name_ru if scope.region else "Казахстан",
                      scope.region.name_kk if scope.region else "Қазақстан")
    ordered = [rows[k] for k in rows if k is not None] + ([rows[None]] if None in rows else [])
    for item in ordered:
        for name in ("items", "open", "overdue", "verified", "not_fixed"):
            setattr(total, name, getattr(total, name) + getattr(item, name))
    total.median_days = overall
    return RemedyFigures(scope=scope, rows=ordered, total=total,
                         reviewed_by_result=_reviewed_by_result(session, user, scope),
                         reviewed_by_section=_reviewed_by_section(session, user, scope))


def _reviewed_by_result(session: Session, user: User, scope: StatsScope) -> dict[str, tuple[int, int]]:
    """Of the period's counted inspections by result: (with a review decision, all).

    All: as the dashboard counts them beside this figure (the monthly counts the writes keep); reviewed: read
    from the decisions' side, so the cost follows the reviewed audits, not every audit of the period.
    """
    reviewed = dict(session.execute(
        audits_with_facility(sa.select(Audit.result, sa.func.count(Audit.id)).select_from(Audit))
        .where(*counted_audits(user, scope), Audit.id.in_(sa.select(ReviewDecision.audit_id)))
        .group_by(Audit.result)).all())
    return {result: (reviewed.get(result, 0), n) for result, n in audits_by_result(session, user, scope).items()}


def _reviewed_by_section(session: Session, user: User, scope: StatsScope) -> dict[str, tuple[int, int]]:
    """Of the violations the period's inspections raised, by section: (their audit has a decision, all).

    All: as the dashboard counts them beside this figure (`monthly_violations`, from the kept monthly counts).
    """
    reviewed = dict(session.execute(
        sa.select(Violation.section, sa.func.count(Violation.id))
        .select_from(Violation).join(Audit, Violation.audit_id == Audit.id)
        .join(Facility, Violation.facility_id == Facility.id)
        .where(*counted_audits(user, scope), Violation.status != ViolationStatus.SUPERSEDED,
               Audit.id.in_(sa.select(ReviewDecision.audit_id)))
        .group_by(Violation.section)).all())
    every: dict[str, int] = {}
    for cells in monthly_violations(session, user, scope, scope.date_from).values():
        for (section, _severity), count in cells.items():
            every[section] = every.get(section, 0) + count
    return {section: (reviewed.get(section, 0), n) for section, n in every.items() if n}


def remedy_rows(figures: RemedyFigures):
    """The figures as export rows (the total last), keyed by `PRESCRIPTION_COLUMNS`."""
    level = "district" if figures.scope.region is not None else "region"
    for item in [*figures.rows, figures.total]:
        yield {"level": level if item is not figures.total else "total", "kato": item.kato or "",
               "name_ru": item.name_ru, "name_kk": item.name_kk, "items": item.items, "items_open": item.open,
               "items_overdue": item.overdue, "items_verified": item.verified, "items_not_fixed": item.not_fixed,
               "median_days_to_fix": item.median_days,
               "date_from": figures.scope.date_from, "date_to": figures.scope.date_to}


def export_remedies(figures: RemedyFigures, fmt: str, fp: IO[bytes], *, for_people: bool = False) -> int:
    """Write the prescription figures as CSV or XLSX; returns the row count (the total row included)."""
    return write_table(remedy_rows(figures), PRESCRIPTION_COLUMNS, fmt, fp, "prescriptions", for_people=for_people)

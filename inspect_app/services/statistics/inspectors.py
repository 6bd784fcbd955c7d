"""Inspectors' figures: visits planned vs done, why visits did not take place, audits returned in review and the
median days from the visit to the submit. Computed in the database (GROUP BY and a window for the median).

Rows: a row per inspector when one region is selected (a supervisor always), a row per region for the country.
What the figures mean, for the period `date_from`..`as_of` (a visit after `as_of` is never counted, so nothing
tells anyone of a visit before its day):

- planned: visits of the routes inspectors were sent on (published schedules, a superseded one up to its
  successor) with a date in the period; done: those whose audit was submitted; not done: reported as not done,
  by reason; open: the rest (nothing submitted yet).
- returned: review decisions "returned for correction" on the audits inspected in the period.
- median days to submit: over the period's submitted audits (their first version, and corrections alike), days
  from the inspection date to the submit's date in Asia/Almaty.
"""

from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.data import region_name_en
from inspect_app.models import (
    Audit,
    AuditStatus,
    Inspector,
    Region,
    ReviewDecision,
    ReviewOutcome,
    Schedule,
    ScheduleVisit,
    User,
    VisitStatus,
)
from inspect_app.models.inspector import distinct_names
from inspect_app.models.schedule import NOT_DONE_REASONS, live_visit_clause
from inspect_app.services.access import region_filter
from inspect_app.services.statistics.files import write_table
from inspect_app.services.statistics.queries import resolve_scope
from inspect_app.services.statistics.results import StatsScope
from inspect_app.services.statistics.sqldays import OVERALL, days_since, medians

INSPECTOR_COLUMNS = (["level", "kato", "name", "visits_planned", "visits_done", "visits_not_done"]
                     + [f"not_done_{r}" for r in NOT_DONE_REASONS]
                     + ["visits_open", "audits_submitted", "audits_returned", "median_days_to_submit",
                        "date_from", "date_to"])


@dataclass
class InspectorRow:
    """One inspector's (or one region's) figures."""

    key: int | None
    name: str
    kato: str | None = None
    name_kk: str = ""
    planned: int = 0
    done: int = 0
    not_done: dict[str, int] = field(default_factory=dict)
    submitted: int = 0
    returned: int = 0
    median_days: float | None = None

    def label(self, locale: str = "ru") -> str:
        """The row's name in the reader's language (an inspector's name is the same in every language)."""
        if locale == "en" and self.kato:
            return region_name_en(self.kato) or self.name
        return self.name_kk if locale == "kk" and self.name_kk else self.name

    @property
    def not_done_total(self) -> int:
        return sum(self.not_done.values())

    @property
    def open(self) -> int:
        return self.planned - self.done - self.not_done_total

    @property
    def done_share(self) -> float | None:
        return round(100 * self.done / self.planned, 1) if self.planned else None


@dataclass
class InspectorFigures:
    """The rows (an inspector or a region each) and their total, for a scope."""

    scope: StatsScope
    by: str  # "inspector" or "region"
    rows: list[InspectorRow]
    total: InspectorRow


def _in_scope(column: Any, user: User, scope: StatsScope) -> sa.ColumnElement[bool]:
    if scope.region is not None:
        return column == scope.region.id
    return column.in_(sa.select(Region.id).where(region_filter(user)))


def inspector_figures(session: Session, user: User, args: dict[str, Any], today=None) -> InspectorFigures:
    """The inspectors' figures of the user's scope (403 for inspectors, and for another region's supervisor)."""
    scope = resolve_scope(session, user, args, today)
    by = "inspector" if scope.region is not None else "region"
    visit_key = ScheduleVisit.inspector_id if by == "inspector" else Schedule.region_id
    audit_key = Audit.inspector_id if by == "inspector" else Audit.region_id
    rows: dict[int | None, InspectorRow] = {}

    def row(key: int | None) -> InspectorRow:
        return rows.setdefault(key, InspectorRow(key=key, name=""))

    visits = session.execute(
        sa.select(visit_key, ScheduleVisit.status, ScheduleVisit.not_done_reason, sa.func.count(ScheduleVisit.id))
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(live_visit_clause(), _in_scope(Schedule.region_id, user, scope),
               ScheduleVisit.date >= scope.date_from, ScheduleVisit.date <= scope.as_of)
        .group_by(visit_key, ScheduleVisit.status, ScheduleVisit.not_done_reason))
    for key, status, reason, count in visits:
        target = row(key)
        target.planned += count
        if status == VisitStatus.SUBMITTED:
            target.done += count
        elif status == VisitStatus.NOT_DONE:
            reason = reason if reason in NOT_DONE_REASONS else "other"
            target.not_done[reason] = target.not_done.get(reason, 0) + count

    period = (_in_scope(Audit.region_id, user, scope), Audit.inspection_date >= scope.date_from,
              Audit.inspection_date <= scope.date_to)
    returned = session.execute(
        sa.select(audit_key, sa.func.count(ReviewDecision.id)).join(Audit, ReviewDecision.audit_id == Audit.id)
        .where(*period, ReviewDecision.outcome == ReviewOutcome.RETURNED).group_by(audit_key))
    for key, count in returned:
        row(key).returned += count

    submitted = (Audit.submitted_at.is_not(None), Audit.status == AuditStatus.SUBMITTED)
    days = days_since(session, Audit.submitted_at, Audit.inspection_date)
    found = medians(session, audit_key, days, *period, *submitted, overall=True)
    overall = found.pop(OVERALL, (None, 0))[0]
    for key, (median, count) in found.items():
        row(key).median_days = median
        row(key).submitted += count

    _name_rows(session, user, by, rows)
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, r.kato or "", r.name))
    total = InspectorRow(key=None, name=scope.region.name_ru if scope.region else "Казахстан",
                         name_kk=scope.region.name_kk if scope.region else "Қазақстан",
                         kato=scope.region.kato if scope.region else None)
    for item in ordered:
        total.planned += item.planned
        total.done += item.done
        total.submitted += item.submitted
        total.returned += item.returned
        for reason, count in item.not_done.items():
            total.not_done[reason] = total.not_done.get(reason, 0) + count
    total.median_days = overall
    return InspectorFigures(scope=scope, by=by, rows=ordered, total=total)


def _name_rows(session: Session, user: User, by: str, rows: dict[int | None, InspectorRow]) -> None:
    keys = [k for k in rows if k is not None]
    if by == "region":
        for region in session.scalars(sa.select(Region).where(region_filter(user))):
            target = rows.setdefault(region.id, InspectorRow(key=region.id, name=""))
            target.name, target.name_kk, target.kato = region.name_ru, region.name_kk, region.kato
    else:
        # Namesakes told apart by their town, as the schedule pages tell them.
        names = distinct_names(list(session.scalars(sa.select(Inspector).where(Inspector.id.in_(keys)))))
        for key, name in names.items():
            rows[key].name = name


def inspector_rows(figures: InspectorFigures):
    """The figures as export rows (the total last), keyed by `INSPECTOR_COLUMNS`."""
    for item in [*figures.rows, figures.total]:
        yield {"level": figures.by if item is not figures.total else "total", "kato": item.kato or "",
               "name": item.name, "visits_planned": item.planned, "visits_done": item.done,
               "visits_not_done": item.not_done_total,
               **{f"not_done_{r}": item.not_done.get(r, 0) for r in NOT_DONE_REASONS},
               "visits_open": item.open, "audits_submitted": item.submitted, "audits_returned": item.returned,
               "median_days_to_submit": item.median_days,
               "date_from": figures.scope.date_from, "date_to": figures.scope.date_to}


def export_inspectors(figures: InspectorFigures, fmt: str, fp: IO[bytes], *, for_people: bool = False) -> int:
    """Write the inspectors' figures as CSV or XLSX; returns the row count (the total row included)."""
    return write_table(inspector_rows(figures), INSPECTOR_COLUMNS, fmt, fp, "inspectors", for_people=for_people)

"""What a build reads beyond the registry rows: waits, complaints, visits that did not happen, plans.

A facility's priority depends on its history (README, "Who waits"). Nothing here is stored as a
counter: every figure is derived from published schedules and their visits, so a rebuild of the same
registry gives the same problem and no write path can forget to bump a number.

- Live visits: a published schedule's visits from its effective date on, and a superseded one's visits
  before the date its successor took over. These are what inspectors are sent to.
- Waited: the number of distinct published horizons (any status but draft/discarded, counted by their
  start date) since the facility's last inspection in which it was a must-visit and left unscheduled.
- Complaint: an urgent visit request entered after the facility's last inspection.
- Not done: a live visit after the last inspection with status "not_done" (closed, refused entry, not
  found, inspector ill), or a visit displaced by an urgent one or left unplaced by an absence repair.
- Not fixed: prescription items whose newest state is "not fixed" (a follow-up audit failed them again).
- Planned: facilities with a live visit from today to the end of the horizon, which a build leaves out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.i18n import to_almaty
from inspect_app.models import Facility, Schedule, ScheduleVisit, UrgentRequest, VisitStatus
from inspect_app.models.schedule import COMMITTED_SCHEDULE_STATUSES, live_visit_clause
from inspect_app.services.prescriptions.issue import not_fixed_counts
from inspect_app.services.schedules.problem import Signals, db_id

COMMITTED = COMMITTED_SCHEDULE_STATUSES


def _not_done_rows(session: Session, facility_ids: list[int]) -> Iterable[tuple[int, dt.date, str]]:
    return session.execute(
        sa.select(ScheduleVisit.facility_id, ScheduleVisit.date, ScheduleVisit.not_done_reason)
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(ScheduleVisit.facility_id.in_(facility_ids), ScheduleVisit.status == VisitStatus.NOT_DONE,
               live_visit_clause()))


def facility_signals(session: Session, region_id: int, facilities: list[Facility]) -> dict[int, Signals]:
    """Each facility's waits, open complaint and latest visit that did not happen (see the module docstring)."""
    last = {f.id: f.last_inspection_date for f in facilities}
    ids = list(last)
    waited: dict[int, set[dt.date]] = {}
    not_done: dict[int, tuple[dt.date, str]] = {}

    def after_last(fid: int, day: dt.date) -> bool:
        return fid in last and (last[fid] is None or day > last[fid])

    def note(fid: int, day: dt.date, reason: str) -> None:
        if after_last(fid, day) and (fid not in not_done or day >= not_done[fid][0]):
            not_done[fid] = (day, reason)

    for start, sched, revision in session.execute(
            sa.select(Schedule.start_date, Schedule.schedule, Schedule.revision)
            .where(Schedule.region_id == region_id, Schedule.status.in_(COMMITTED))):
        for item in sched.get("unscheduled", []):
            fid = db_id(item["facility"])
            if after_last(fid, start):
                waited.setdefault(fid, set()).add(start)
        for item in (revision or {}).get("displaced", []) + (revision or {}).get("unplaced", []):
            note(db_id(item["facility"]), dt.date.fromisoformat(item["date"]), "displaced")
    for fid, day, reason in _not_done_rows(session, ids):
        note(fid, day, reason or "other")
    complaints = {fid for fid, created in session.execute(
        sa.select(UrgentRequest.facility_id, UrgentRequest.created_at)
        .where(UrgentRequest.region_id == region_id, UrgentRequest.facility_id.in_(ids)))
        if after_last(fid, to_almaty(created).date())}
    not_fixed = not_fixed_counts(session, ids)
    out = {}
    for fid in ids:
        signal = Signals(waited=len(waited.get(fid, ())), complaint=fid in complaints,
                         not_done=not_done[fid][1] if fid in not_done else None, not_fixed=not_fixed.get(fid, 0))
        if signal != Signals():
            out[fid] = signal
    return out


def planned_facilities(session: Session, region_id: int, today: dt.date, end: dt.date,
                       replaces: Schedule | None = None, replace_from: dt.date | None = None) -> set[int]:
    """Facilities of the region with a live visit from today to `end` (not counting visits that did not
    happen, nor the visits from `replace_from` on of the schedule this build replaces)."""
    query = (sa.select(ScheduleVisit.facility_id).distinct()
             .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
             .where(Schedule.region_id == region_id, live_visit_clause(),
                    ScheduleVisit.date >= today, ScheduleVisit.date <= end))
    query = query.where(ScheduleVisit.status != VisitStatus.NOT_DONE)
    if replaces is not None:
        query = query.where(sa.not_(sa.and_(Schedule.id == replaces.id,
                                            ScheduleVisit.date >= (replace_from or replaces.start_date))))
    return set(session.scalars(query))


def refused_entries(session: Session, region_id: int | None = None,
                    facility_id: int | None = None) -> list[ScheduleVisit]:
    """Visits where the facility refused the inspector entry (flagged to the supervisor), newest first."""
    query = (sa.select(ScheduleVisit).join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
             .where(ScheduleVisit.status == VisitStatus.NOT_DONE, ScheduleVisit.not_done_reason == "refused_entry",
                    Schedule.status.in_(COMMITTED)))
    if region_id is not None:
        query = query.where(Schedule.region_id == region_id)
    if facility_id is not None:
        query = query.where(ScheduleVisit.facility_id == facility_id)
    return list(session.scalars(query.order_by(ScheduleVisit.date.desc()).limit(200)))

"""Urgent visits: a 111 hotline complaint or an incident needs a visit before a deadline.

What this promises:

- A supervisor names a facility of the schedule's region and a deadline; `urgent_options` asks the
  engine (`scheduler.urgent.insertion_options`) for the feasible insertions into the published routes
  before the deadline, best first, each with its extra km and the visits it displaces. Nothing is written.
- `apply_urgent` publishes the chosen option as a new revision chained to the previous commitment (as an
  absence repair does): the facility's visit is marked urgent with its deadline; displaced visits are
  recorded and become due again with raised priority; the request is recorded (a complaint signal for the
  next build until the facility is inspected). When no option exists, the request can still be recorded
  so the next build must place it.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.i18n import ALMATY
from inspect_app.models import Facility, Inspector, Region, Schedule, ScheduleStatus, UrgentRequest, User
from inspect_app.models.inspector import distinct_names
from inspect_app.services.errors import Conflict, NotFound
from inspect_app.services.registry.search import facility_matches
from inspect_app.services.runtime import Runtime
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.inputs import facility_calendar, problem_settings
from inspect_app.services.schedules.problem import build_problem, db_id, facility_id
from inspect_app.services.schedules.queries import require_editor
from inspect_app.services.schedules.repair import _check_revisable, publish_revision

OPTIONS = 5


def _facility(session: Session, schedule: Schedule, fid: int) -> Facility:
    facility = session.scalar(sa.select(Facility).where(Facility.id == fid, Facility.region_id == schedule.region_id,
                                                        Facility.archived_at.is_(None)))
    if facility is None:
        raise NotFound("Facility not found in this schedule's region.", "facility_id")
    return facility


def find_urgent_facilities(session: Session, user: User, schedule: Schedule, text: str,
                           limit: int = 20) -> list[Facility]:
    """Active facilities of the schedule's region whose name, BIN or address holds `text` (what the supervisor
    knows from a complaint; the registry's internal number is shown nowhere), by name; at most `limit`."""

    require_editor(user, schedule)
    text = (text or "").strip()
    if not text:
        return []
    return list(session.scalars(
        sa.select(Facility).where(Facility.region_id == schedule.region_id, Facility.archived_at.is_(None),
                                  facility_matches(text, address=True))
        .order_by(Facility.name_ru, Facility.id).limit(limit)))


def urgent_problem(session: Session, schedule: Schedule, facility: Facility, runtime: Runtime) -> dict[str, Any]:
    """The schedule's problem with the facility a must-visit of the highest priority (added if absent)."""

    problem = copy.deepcopy(schedule.problem)
    pid = facility_id(facility.id)
    top = max([f.get("priority", 1.0) for f in problem["facilities"]] + [1.0])
    entry = next((f for f in problem["facilities"] if f["id"] == pid), None)
    if entry is None:
        inspectors = session.scalars(sa.select(Inspector).where(
            Inspector.id.in_([db_id(i["id"]) for i in problem["inspectors"]]))
            .options(so.selectinload(Inspector.absences), so.selectinload(Inspector.conflicts)))
        dates = [dt.date.fromisoformat(d) for d in problem["dates"]]
        single = build_problem([facility], list(inspectors), dates, problem_settings(runtime),
                               session.get(Region, schedule.region_id).kato,
                               calendar=facility_calendar(session, dates, runtime, facility_ids=[facility.id]))
        if not single.problem["facilities"]:
            raise Conflict("The facility cannot be visited on any date of this schedule "
                           f"({single.excluded[0]['reason'] if single.excluded else 'closed'}).", "facility_id")
        entry = single.problem["facilities"][0]
        problem["facilities"].append(entry)
        problem["facilities"].sort(key=lambda f: db_id(f["id"]))
    entry["must_visit"] = True
    entry["weight"] = 1.0
    entry["priority"] = round(top + 1.0, 2)
    return problem


def utc_now() -> dt.datetime:
    """The current moment (one place, so tests can set the clock)."""
    return dt.datetime.now(dt.UTC)


def _deadline(hours: int, now: dt.datetime) -> dt.datetime:
    return (now + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M")


def _displaced(facility_id: int, row) -> dict[str, Any]:
    """A displaced visit's facility with its names in Russian and Kazakh."""
    if row is None:
        return {"facility_id": facility_id, "name": "", "name_kk": ""}
    return {"facility_id": facility_id, "name": row.name_ru, "name_kk": row.name_kk or ""}


def urgent_options(session: Session, user: User, schedule: Schedule, data: dict[str, Any],
                   now: dt.datetime | None = None, *, runtime: Runtime) -> dict[str, Any]:
    """Feasible insertions before the deadline, best first (writes nothing).

    Returns {"facility", "deadline", "options": [{"inspector_id", "inspector", "date", "start", "extra_km",
    "displaced": [{"facility_id", "name", "name_kk"}]}], "problem", "schedules"} (the last two for `apply_urgent`).
    """

    require_editor(user, schedule)
    if schedule.status != ScheduleStatus.PUBLISHED:
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; urgent visits go into the published one.",
                       "status")
    facility = _facility(session, schedule, data["facility_id"])
    now = now or utc_now()
    deadline = _deadline(data.get("hours", 48), now)
    problem = urgent_problem(session, schedule, facility, runtime)
    current = _current_visit(schedule, facility.id)
    if current is not None and now.astimezone(ALMATY).date() <= current.date <= deadline.astimezone(ALMATY).date():
        raise Conflict(f"The facility is already planned on {current.date.isoformat()}, before the deadline.",
                       "facility_id")
    base = copy.deepcopy(schedule.schedule)
    base["problem_sha256"] = engine.problem_sha256(problem)
    earliest = max(_local(now), f"{schedule.first_day.isoformat()}T00:00")
    raw = engine.insertion_options(problem, base, facility_id(facility.id), _local(deadline),
                                   earliest=earliest, limit=OPTIONS)
    # Named as the review page names them: namesakes among the schedule's inspectors told apart by their town.
    names = distinct_names(list(session.scalars(sa.select(Inspector).where(
        Inspector.id.in_([db_id(i["id"]) for i in schedule.problem["inspectors"]])))))
    displaced_ids = {db_id(f) for o in raw for f in o["displaced"]}
    fac_names = {row.id: row for row in session.execute(sa.select(Facility.id, Facility.name_ru, Facility.name_kk)
                                                        .where(Facility.id.in_(displaced_ids)))}
    options = [{"inspector_id": db_id(o["inspector"]), "inspector": names.get(db_id(o["inspector"]), ""),
                "date": o["date"], "start": o["start"], "extra_km": o["extra_km"],
                "displaced": [_displaced(db_id(f), fac_names.get(db_id(f))) for f in o["displaced"]]}
               for o in raw]
    return {"facility": facility, "deadline": deadline, "options": options, "problem": problem,
            "schedules": [o["schedule"] for o in raw]}


def _current_visit(schedule: Schedule, fid: int):
    return next((v for v in schedule.visits if v.facility_id == fid), None)


def apply_urgent(session: Session, user: User, schedule: Schedule, data: dict[str, Any],
                 now: dt.datetime | None = None, *, runtime: Runtime) -> tuple[UrgentRequest, Schedule | None]:
    """Apply option `data["option"]` (None: record the request only, for the next build); commits.

    The options are recomputed under the region lock; when the chosen one no longer matches what the
    supervisor saw (`inspector_id`/`date` given), the answer is Conflict and nothing changes.
    """

    _check_revisable(session, user, schedule)
    found = urgent_options(session, user, schedule, data, now, runtime=runtime)
    facility, deadline = found["facility"], found["deadline"]
    revision = None
    if data.get("option") is not None:
        k = data["option"]
        if k >= len(found["options"]):
            raise Conflict("That option is no longer available; look at the options again.", "option")
        option = found["options"][k]
        if (data.get("inspector_id") not in (None, option["inspector_id"])
                or data.get("date") not in (None, option["date"])):
            raise Conflict("The options changed meanwhile; look at them again.", "option")
        displaced = [{"facility": facility_id(d["facility_id"]),
                      "date": _current_visit(schedule, d["facility_id"]).date.isoformat()}
                     for d in option["displaced"]]
        record = {"kind": "urgent", "facility": facility_id(facility.id), "reason": data.get("reason", "other"),
                  "deadline": deadline.isoformat(), "inspector": f"I{option['inspector_id']}",
                  "date": option["date"], "start": option["start"], "extra_km": option["extra_km"],
                  "displaced": displaced}
        revision = publish_revision(session, user, schedule, found["problem"], found["schedules"][k], "urgent",
                                    record)
        for visit in revision.visits:
            if visit.facility_id == facility.id:
                visit.urgent = True
                visit.deadline = deadline
    request = UrgentRequest(facility_id=facility.id, region_id=schedule.region_id, reason=data.get("reason", "other"),
                            note=data.get("note", ""), deadline=deadline,
                            schedule_id=revision.id if revision else None, created_by_id=user.id)
    session.add(request)
    session.commit()
    return request, revision

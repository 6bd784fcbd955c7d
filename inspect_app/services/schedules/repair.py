"""Absence repair: an inspector is absent on dates of a published schedule; their visits move to others.

What this promises:

- The engine (`scheduler.repair.repair_absence`) moves the absent inspector's visits on those dates to
  other inspectors; routes that receive nothing stay identical. The result is re-checked by the
  validator against the problem with the absence added, or nothing is written.
- The old commitment never changes: the repair is a new published revision (a new schedule row) whose
  stats name the previous commitment, so its own commitment covers the chain; the old schedule is
  superseded from the first changed date and keeps its earlier days. Both commitments stay verifiable.
- What moved and what could not be placed is recorded on the revision (shown on its page); unplaced
  visits become due again with raised priority in the next build (see `signals`).
- The absence is also declared on the inspector, so later builds know it.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Inspector, InspectorAbsence, Schedule, ScheduleStatus, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.errors import Conflict, InvalidInput
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.build import sync_visits
from inspect_app.services.schedules.problem import db_id, inspector_id
from inspect_app.services.schedules.publish import lock_for_change
from inspect_app.services.schedules.queries import require_editor
from inspect_app.services.schedules.review import violation_sentences


def changed_dates(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Dates on which some inspector-day's route differs between two schedules."""
    def days(s):
        return {(r["inspector"], r["date"]): r for r in s["routes"]}

    a, b = days(before), days(after)
    return {key[1] for key in a.keys() | b.keys() if a.get(key) != b.get(key)}


def publish_revision(session: Session, user: User, old: Schedule, problem: dict[str, Any],
                     schedule_json: dict[str, Any], kind: str, record: dict[str, Any]) -> Schedule:
    """Publish a revision of a published schedule (the caller holds the region lock); does not commit.

    The revision applies from the first changed date (never before today); its stats carry the previous
    commitment; the old schedule is superseded from that date.
    """
    schedule_json["problem_sha256"] = engine.problem_sha256(problem)
    stats = schedule_json.setdefault("stats", {})
    stats["previous_commitment"] = old.commitment
    # An urgent visit can make a facility a must-visit that the build did not count as one.
    stats["must_visit"] = sum(1 for f in problem["facilities"] if f.get("must_visit"))
    engine.recount(problem, schedule_json)
    errors = engine.validate(problem, schedule_json)
    if errors:
        broken = "; ".join(violation_sentences(session, errors[:3]))
        raise InvalidInput(gettext("Новая редакция графика нарушает правила: %(rules)s", rules=broken),
                           errors={"rules": sorted({e["rule"] for e in errors})})
    changed = changed_dates(old.schedule, schedule_json)
    if not changed:
        raise Conflict("Nothing changes: no route of the schedule is affected.", "dates")
    effective = max(old.first_day, dt.date.fromisoformat(min(changed)))
    if effective < today_almaty():
        raise Conflict("The revision would change a day that is already past.", "dates")

    revision = Schedule(
        region_id=old.region_id, start_date=old.start_date, end_date=old.end_date, seed=old.seed,
        time_limit=old.time_limit, status=ScheduleStatus.PUBLISHED, problem=problem,
        problem_sha256=schedule_json["problem_sha256"], schedule=schedule_json,
        stats={**(old.stats or {}), **engine.recount(problem, schedule_json)}, edited=True, fill=old.fill,
        supersedes_id=old.id, effective_from=effective, revision_kind=kind,
        revision={**record, "previous_commitment": old.commitment, "previous_id": old.id},
        commitment=engine.commitment(schedule_json), created_by_id=user.id, published_at=utcnow(),
        published_by_id=user.id,
    )
    session.add(revision)
    old.status = ScheduleStatus.SUPERSEDED
    old.superseded_from = effective
    sync_visits(revision)
    session.flush()
    return revision


def _check_revisable(session: Session, user: User, schedule: Schedule) -> None:
    lock_for_change(session, user, schedule)
    if schedule.status != ScheduleStatus.PUBLISHED:
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only the published one can be revised.",
                       "status")


def mark_absent(session: Session, user: User, schedule: Schedule, data: dict[str, Any]) -> Schedule:
    """Mark an inspector absent on dates of a published schedule and publish the repaired revision; commits.

    `data`: {"inspector_id": db id, "dates": [date, ...], "note": str}. Dates must be schedule dates
    from today on, within the days this schedule still governs.
    """
    _check_revisable(session, user, schedule)
    problem, result, record = _plan_absence(schedule, data)
    revision = publish_revision(session, user, schedule, problem, result["schedule"], "repair", record)
    inspector = session.get(Inspector, data["inspector_id"])
    for first, last in _runs(sorted(set(data["dates"]))):
        session.add(InspectorAbsence(inspector=inspector, start_date=first, end_date=last,
                                     reason=(data.get("note") or "absent")[:200]))
    session.commit()
    return revision


def absence_preview(session: Session, user: User, schedule: Schedule, data: dict[str, Any]) -> dict[str, Any]:
    """What `mark_absent` with the same `data` would move and leave unplaced (writes nothing): the record the
    revision would carry, {"moved": [...], "unplaced": [...], ...}. The repair is seeded, so the confirmed
    change is this one unless the schedule changed meanwhile (then it is recomputed)."""
    require_editor(user, schedule)
    if schedule.status != ScheduleStatus.PUBLISHED:
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only the published one can be revised.",
                       "status")
    return _plan_absence(schedule, data)[2]


def _plan_absence(schedule: Schedule, data: dict[str, Any]) -> tuple[dict, dict, dict]:
    """The problem with the absence, the engine's repair and the revision record (nothing written)."""
    pid = inspector_id(data["inspector_id"])
    if pid not in {i["id"] for i in schedule.problem["inspectors"]}:
        raise InvalidInput("This inspector is not part of the schedule.", "inspector_id")
    today = today_almaty()
    dates = sorted(set(data["dates"]))
    bad = [d for d in dates if d.isoformat() not in schedule.problem["dates"] or d < today
           or not schedule.first_day <= d <= schedule.last_day]
    if bad:
        raise InvalidInput(f"{bad[0].isoformat()} is not a remaining date of this schedule.", "dates")
    problem = copy.deepcopy(schedule.problem)
    for ins in problem["inspectors"]:
        if ins["id"] == pid:
            ins["unavailable_dates"] = sorted(set(ins["unavailable_dates"]) | {d.isoformat() for d in dates})
    result = engine.repair_absence(problem, schedule.schedule, pid, [d.isoformat() for d in dates], schedule.seed)
    moved = [{**m, "from_date": _date_of(schedule.schedule, m["facility"])} for m in result["moved"]]
    unplaced = [{**u, "date": _date_of(schedule.schedule, u["facility"])} for u in result["unplaced"]]
    record = {"kind": "absence", "inspector_id": data["inspector_id"], "dates": [d.isoformat() for d in dates],
              "note": data.get("note", ""), "moved": moved, "unplaced": unplaced}
    return problem, result, record


def _date_of(schedule_json: dict[str, Any], facility: str) -> str:
    for route in schedule_json["routes"]:
        if any(s["facility"] == facility for s in route["stops"]):
            return route["date"]
    return schedule_json["routes"][0]["date"] if schedule_json["routes"] else ""


def _runs(dates: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive calendar runs of sorted dates (weekend gaps split them; that is harmless)."""
    runs: list[list[dt.date]] = []
    for d in dates:
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return [(a, b) for a, b in runs]


def revision_names(session: Session, schedule: Schedule,
                   record: dict[str, Any] | None = None) -> dict[str, dict[int, str]]:
    """Names of the inspectors and facilities a revision record mentions (for its page, or for `record`,
    a revision not yet published)."""
    from inspect_app.models import Facility

    record = record if record is not None else (schedule.revision or {})
    scope_ids = [db_id(i["id"]) for i in schedule.problem["inspectors"]]
    ins_ids = {db_id(m["to_inspector"]) for m in record.get("moved", [])} | {db_id(m["from_inspector"])
                                                                           for m in record.get("moved", [])}
    if record.get("inspector_id"):
        ins_ids.add(record["inspector_id"])
    if record.get("inspector"):
        ins_ids.add(db_id(record["inspector"]))
    fac_ids = {db_id(m["facility"]) for key in ("moved", "unplaced", "displaced") for m in record.get(key, [])}
    if record.get("facility"):
        fac_ids.add(db_id(record["facility"]))
    inspectors = dict(session.execute(sa.select(Inspector.id, Inspector.full_name)
                                      .where(Inspector.id.in_(ins_ids), Inspector.id.in_(scope_ids))).all())
    facilities = dict(session.execute(sa.select(Facility.id, Facility.name_ru)
                                      .where(Facility.id.in_(fac_ids), Facility.region_id == schedule.region_id)).all())
    return {"inspectors": inspectors, "facilities": facilities}

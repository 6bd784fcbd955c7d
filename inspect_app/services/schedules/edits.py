"""Editing a draft: move, swap or remove visits, re-timed and re-checked by the engine's validator."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.models import Schedule, ScheduleStatus, ScheduleVisit, User
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.build import sync_visits
from inspect_app.services.schedules.problem import facility_id, inspector_id
from inspect_app.services.schedules.queries import require_editor
from inspect_app.services.schedules.review import refusal_text, violation_sentences


@dataclass
class EditResult:
    """An accepted edit: the schedule as saved and the predictability warnings it caused."""

    schedule: Schedule
    warnings: list[dict[str, str]]


def _find(schedule_json: dict[str, Any], fid: str) -> tuple[dict[str, Any], int]:
    for route in schedule_json["routes"]:
        for k, stop in enumerate(route["stops"]):
            if stop["facility"] == fid:
                return route, k
    raise NotFound("Visit not found.")


def _visit(schedule: Schedule, visit_id: int, field_name: str = "visit_id") -> ScheduleVisit:
    for visit in schedule.visits:
        if visit.id == visit_id:
            return visit
    raise NotFound("Visit not found.", field_name)


def edit_schedule(session: Session, user: User, schedule: Schedule, data: dict[str, Any]) -> EditResult:
    """Move, swap or remove visits of a draft; commits only when the validator accepts the result.

    `data`: {"action": "move", "visit_id", "date"?, "inspector_id"?} (a moved visit goes where it adds
    the fewest kilometres in the target inspector-day), {"action": "swap", "visit_id", "other_visit_id"}
    or {"action": "remove", "visit_id"}; `version` (optional) refuses an edit on a stale copy.
    Raises InvalidInput naming the broken rule(s) in `errors["rules"]`.
    """
    require_editor(user, schedule)
    if schedule.status != ScheduleStatus.DRAFT:
        raise Conflict("Only a draft schedule can be edited.", "status")
    if data.get("version") is not None and data["version"] != schedule.version:
        raise Conflict("Someone else changed this schedule meanwhile; reload it and edit again.", "version")
    before = schedule.schedule
    after = engine.copy_schedule(before)
    touched = _apply_edit(schedule, after, data)
    errors = engine.retime(schedule.problem, after, touched)
    counts = engine.recount(schedule.problem, after)
    errors += [e for e in engine.validate(schedule.problem, after) if e not in errors]
    if errors:
        rules = sorted({e["rule"] for e in errors})
        sentences = violation_sentences(session, errors[:20])
        raise InvalidInput(refusal_text(session, errors[:20]), errors={"rules": rules, "violations": sentences})
    warnings = engine.predictability_warnings(schedule.problem, schedule.original or before, after)
    if schedule.original is None:
        schedule.original = before
    schedule.schedule = after
    schedule.stats = {**(schedule.stats or {}), **counts}
    schedule.edited = True
    sync_visits(schedule)
    session.commit()
    return EditResult(schedule, warnings)


def _apply_edit(schedule: Schedule, after: dict[str, Any], data: dict[str, Any]) -> set[tuple[str, str]]:
    """Apply one move, swap or removal to `after` (a copy of the draft's routes); returns the inspector-days it
    touched, which are retimed and validated next. InvalidInput for a date, inspector or action out of bounds."""
    visit = _visit(schedule, data["visit_id"])
    fid = facility_id(visit.facility_id)
    action = data["action"]
    touched: set[tuple[str, str]] = set()
    if action == "remove":
        route, k = _find(after, fid)
        route["stops"].pop(k)
        touched.add((route["inspector"], route["date"]))
        if visit.must_visit:
            after["unscheduled"].append({"facility": fid, "reason": "removed by a supervisor"})
    elif action == "move":
        target_date = (data.get("date") or visit.date).isoformat()
        if target_date not in schedule.problem["dates"]:
            raise InvalidInput("The date is outside the schedule's horizon.", "date")
        target_ins = inspector_id(data.get("inspector_id") or visit.inspector_id)
        if target_ins not in {i["id"] for i in schedule.problem["inspectors"]}:
            raise InvalidInput("This inspector is not part of the schedule.", "inspector_id")
        route, k = _find(after, fid)
        stop = route["stops"].pop(k)
        touched.add((route["inspector"], route["date"]))
        target = engine.route_of(after, target_ins, target_date)
        engine.insert_best(schedule.problem, target, stop)
        touched.add((target_ins, target_date))
    elif action == "swap":
        other = _visit(schedule, data["other_visit_id"], "other_visit_id")
        r1, k1 = _find(after, fid)
        r2, k2 = _find(after, facility_id(other.facility_id))
        r1["stops"][k1], r2["stops"][k2] = r2["stops"][k2], r1["stops"][k1]
        touched |= {(r1["inspector"], r1["date"]), (r2["inspector"], r2["date"])}
    else:
        raise InvalidInput("Unknown edit action.", "action")
    return touched

"""Publishing a draft with a commitment that never changes after, checking it, exporting the JSON."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Inspector, Schedule, ScheduleVisit, User
from inspect_app.models.vocab import utcnow
from inspect_app.services import schedule_engine as engine
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.schedules.access import require_editor


def publish_schedule(session: Session, user: User, schedule: Schedule) -> Schedule:
    """Publish a draft: fix its commitment, supersede the region's published schedules it overlaps; commits."""
    require_editor(user, schedule)
    if schedule.status != "draft":
        raise Conflict("Only a draft schedule can be published.", "status")
    errors = engine.validate(schedule.problem, schedule.schedule)
    if errors:
        raise InvalidInput("The schedule breaks the rules: " + errors[0]["message"],
                           errors={"rules": sorted({e["rule"] for e in errors})})
    clash = session.execute(
        sa.select(Inspector.full_name, ScheduleVisit.date)
        .join(ScheduleVisit, ScheduleVisit.inspector_id == Inspector.id)
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(Schedule.status == "published", Schedule.region_id != schedule.region_id,
               sa.tuple_(ScheduleVisit.inspector_id, ScheduleVisit.date).in_(
                   sa.select(ScheduleVisit.inspector_id, ScheduleVisit.date)
                   .where(ScheduleVisit.schedule_id == schedule.id)))
        .limit(1)).first()
    if clash is not None:
        raise Conflict(f"{clash.full_name} is already sent out on {clash.date.isoformat()} by a published schedule "
                       "of another region; rebuild this schedule so it sees that booking.", "inspector")
    overlapping = session.scalars(sa.select(Schedule).where(
        Schedule.region_id == schedule.region_id, Schedule.status == "published", Schedule.id != schedule.id,
        Schedule.start_date <= schedule.end_date, Schedule.end_date >= schedule.start_date))
    for old in overlapping:
        old.status = "superseded"
    schedule.commitment = engine.commitment(schedule.schedule, schedule.seed)
    schedule.status = "published"
    schedule.published_at = utcnow()
    schedule.published_by_id = user.id
    session.commit()
    return schedule


def find_commitment(session: Session, commitment: str) -> Schedule:
    """The published schedule with this commitment (for the public check page), or NotFound."""
    text = (commitment or "").strip().lower()
    schedule = session.scalar(sa.select(Schedule).where(Schedule.commitment == text)) if len(text) == 64 else None
    if schedule is None:
        raise NotFound("No schedule was published with this commitment.")
    return schedule


def export_schedule(schedule: Schedule) -> dict[str, Any]:
    """The schedule in the engine's JSON format (what `python -m scheduler validate` reads)."""
    return schedule.schedule


def export_problem(schedule: Schedule) -> dict[str, Any]:
    """The exact problem the schedule was solved from (its sha256 is in the schedule)."""
    return schedule.problem

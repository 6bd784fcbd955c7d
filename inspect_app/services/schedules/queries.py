"""Finding schedules in the user's scope; the rules (who may see, build, change them) are in services/access/."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Region, Schedule, User
from inspect_app.services.access import (  # noqa: F401  (the package's public names)
    buildable_regions,
    require_builder,
    require_editor,
    schedule_filter,
)
from inspect_app.services.errors import NotFound


def schedule_query(user: User, args: dict[str, Any] | None = None) -> sa.Select:
    """A select of the schedules the user may see, newest first, optionally filtered by status/region."""
    args = args or {}
    query = sa.select(Schedule).where(schedule_filter(user))
    if args.get("status"):
        query = query.where(Schedule.status == args["status"])
    if args.get("region"):
        query = query.where(Schedule.region.has(Region.kato == args["region"]))
    return query.order_by(Schedule.created_at.desc(), Schedule.id.desc()).options(so.joinedload(Schedule.region))


def get_schedule(session: Session, user: User, schedule_id: int) -> Schedule:
    """The schedule with this id, or NotFound when missing or outside the user's scope."""
    schedule = session.scalar(sa.select(Schedule).where(Schedule.id == schedule_id, schedule_filter(user)))
    if schedule is None:
        raise NotFound("Schedule not found.")
    return schedule

"""Who may see, build and change schedules: admins and ministry all regions, supervisors their own."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Region, Schedule, User
from inspect_app.services.errors import Forbidden, NotFound


def schedule_filter(user: User) -> sa.ColumnElement[bool]:
    """Schedules the user may review: all for admins and ministry, the own region for supervisors."""
    if user.sees_all_regions:
        return sa.true()
    if user.role == "supervisor" and user.region_id is not None:
        return Schedule.region_id == user.region_id
    return sa.false()


def require_builder(user: User, region: Region | None) -> None:
    """Admins build anywhere (and nationally), supervisors for their own region, nobody else."""
    if user.role == "admin":
        return
    if user.role == "supervisor" and region is not None and region.id == user.region_id:
        return
    if user.role == "supervisor" and region is not None:
        raise NotFound("Region not found.", "region")
    raise Forbidden("Your role may not build schedules.")


def require_editor(user: User, schedule: Schedule) -> None:
    """Admins and the region's supervisors edit and publish; the ministry only reads."""
    if user.role == "admin" or (user.role == "supervisor" and user.region_id == schedule.region_id):
        return
    raise Forbidden("Your role may read schedules but not change them.")


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


def buildable_regions(session: Session, user: User) -> list[Region]:
    """Regions the user may build a schedule for."""
    query = sa.select(Region).order_by(Region.kato)
    if user.role == "supervisor":
        query = query.where(Region.id == user.region_id)
    elif user.role != "admin":
        return []
    return list(session.scalars(query))

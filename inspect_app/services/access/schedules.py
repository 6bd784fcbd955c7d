"""Who reads, builds and changes schedules, and reads a build's job."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Job, Region, Schedule, User
from inspect_app.services.access.roles import WRITERS, _role, is_admin, is_supervisor, sees_all_regions
from inspect_app.services.errors import Forbidden, NotFound


def schedule_filter(user: User) -> sa.ColumnElement[bool]:
    """Schedules the user may review: all for admins and ministry, the own region for supervisors."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Schedule.region_id == user.region_id
    return sa.false()


def default_build_region(user: User) -> Region | None:
    """The region a build without one is for: the supervisor's own; None (national) for the others."""
    return user.region if is_supervisor(user) else None


def may_build_schedules(user: User) -> bool:
    """Admins (any region, or nationally) and supervisors (their region) build schedules."""
    return _role(user) in WRITERS


def may_build_nationally(user: User) -> bool:
    """Only admins build every region at once."""
    return is_admin(user)


def require_builder(user: User, region: Region | None) -> None:
    """Admins build anywhere (and nationally), supervisors for their own region, nobody else."""
    if is_admin(user):
        return
    if is_supervisor(user) and region is not None and region.id == user.region_id:
        return
    if is_supervisor(user) and region is not None:
        raise NotFound("Region not found.", "region")
    raise Forbidden("Your role may not build schedules.")


def may_edit_schedule(user: User, schedule: Schedule) -> bool:
    """Admins and the region's supervisors edit, publish, repair and discard; the ministry only reads."""
    return is_admin(user) or (is_supervisor(user) and user.region_id == schedule.region_id)


def require_editor(user: User, schedule: Schedule) -> None:
    """Refuse a change of a schedule the user may only read."""
    if not may_edit_schedule(user, schedule):
        raise Forbidden("Your role may read schedules but not change them.")


def buildable_regions(session: Session, user: User) -> list[Region]:
    """Regions the user may build a schedule for."""
    query = sa.select(Region).order_by(Region.kato)
    if is_supervisor(user):
        query = query.where(Region.id == user.region_id)
    elif not is_admin(user):
        return []
    return list(session.scalars(query))


def may_read_job(user: User, job: Job) -> bool:
    """A job is its starter's; admins see every job."""
    return is_admin(user) or job.user_id == user.id

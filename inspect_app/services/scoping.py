"""Who may see and change what: every query of the registry passes through here."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, Region, ScheduleVisit, User
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound


def facility_filter(user: User) -> sa.ColumnElement[bool]:
    """Facilities the user may read: all for admins and the ministry, the own region for the rest."""
    if user.sees_all_regions:
        return sa.true()
    if user.role == "supervisor" and user.region_id is not None:
        return Facility.region_id == user.region_id
    return sa.false()


def inspector_filter(user: User) -> sa.ColumnElement[bool]:
    """Inspectors the user may read: by region for supervisors, only oneself for an inspector."""
    if user.sees_all_regions:
        return sa.true()
    if user.role == "supervisor" and user.region_id is not None:
        return Inspector.regions.any(Region.id == user.region_id)
    if user.role == "inspector":
        return Inspector.user_id == user.id
    return sa.false()


def region_filter(user: User) -> sa.ColumnElement[bool]:
    """Regions the user works in."""
    if user.sees_all_regions:
        return sa.true()
    if user.region_id is not None:
        return Region.id == user.region_id
    return sa.false()


def require_registry_reader(user: User) -> None:
    """Inspectors see their own routes, not the registry."""
    if user.role not in ("admin", "ministry", "supervisor"):
        raise Forbidden("Your role does not give access to the registry.")


def require_registry_editor(user: User) -> None:
    """Only admins and supervisors change the registry."""
    if not user.can_edit_registry:
        raise Forbidden("Your role may read the registry but not change it.")


def require_region_access(user: User, region_id: int, field: str = "region_kato") -> None:
    """Refuse to write a record into a region the user does not work in."""
    if user.sees_all_regions:
        return
    if user.region_id != region_id:
        raise Forbidden("You may only work with records of your own region.", field)


MAX_ID = 2**31 - 1


def is_storable_id(record_id: int) -> bool:
    """True for ids an integer primary key can hold; a larger one would be a database error, not a miss."""
    return 0 < record_id <= MAX_ID


def may_see_facility(user: User, facility: Facility) -> bool:
    """True when the facility is in the user's scope (the same rule as `facility_filter`)."""
    return user.sees_all_regions or (user.role == "supervisor" and facility.region_id == user.region_id)


def check_facility_visible(user: User, facility: Facility | None) -> Facility:
    """Return the facility, or NotFound when it is missing or outside the user's scope."""
    if facility is None or not (user.sees_all_regions or facility.region_id == user.region_id):
        raise NotFound("Facility not found.")
    return facility


def visible_facilities_by_bin(user: User, bins: list[str]) -> sa.Select:
    """A select of the facilities with these BINs that the user may see (others are as if unknown)."""
    return sa.select(Facility).where(Facility.bin.in_(bins), facility_filter(user))


def linkable_user(session: Session, user: User, username: str) -> User:
    """The account an inspector profile may be linked to: an inspector's, in the editor's region for a supervisor.

    An unknown username and one outside that scope (another region, an admin, a ministry analyst) get the
    same answer, so the form cannot be used to find out which usernames exist.
    """
    query = sa.select(User).where(User.username == username, User.role == "inspector")
    if not user.sees_all_regions:
        query = query.where(User.region_id == user.region_id)
    linked = session.scalar(query)
    if linked is None:
        raise InvalidInput("No inspector account with this username in your region.", "username")
    return linked


def readable_regions(session: Session, user: User) -> list[Region]:
    """The regions the user works in, by KATO code."""
    return list(session.scalars(sa.select(Region).where(region_filter(user)).order_by(Region.kato)))


def check_schedule_visit(session: Session, user: User, facility_id: int, visit_id: int | None) -> None:
    """Refuse to link an audit to a planned visit of another facility (or, for an inspector, of someone else).

    The facility is already in the user's scope, so a visit of it is too; any other id answers as unknown.
    """
    if visit_id is None:
        return
    visit = session.get(ScheduleVisit, visit_id) if is_storable_id(visit_id) else None
    mine = visit is not None and (user.role != "inspector" or (
        user.inspector is not None and visit.inspector_id == user.inspector.id))
    if not mine or visit.facility_id != facility_id:
        raise InvalidInput("No planned visit of this facility has this id.", "schedule_visit_id")

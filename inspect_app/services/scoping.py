"""Who may see and change what: every query of the registry passes through here."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, Region, User
from inspect_app.services.errors import Forbidden, NotFound


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


def check_facility_visible(user: User, facility: Facility | None) -> Facility:
    """Return the facility, or NotFound when it is missing or outside the user's scope."""
    if facility is None or not (user.sees_all_regions or facility.region_id == user.region_id):
        raise NotFound("Facility not found.")
    return facility


def readable_regions(session: Session, user: User) -> list[Region]:
    """The regions the user works in, by KATO code."""
    return list(session.scalars(sa.select(Region).where(region_filter(user)).order_by(Region.kato)))

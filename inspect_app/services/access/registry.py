"""Who reads and changes the registry: facilities, inspectors, regions, the accounts a profile links to."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, Region, User
from inspect_app.models.vocab import Role
from inspect_app.services.access.roles import (
    in_region,
    is_inspector,
    is_supervisor,
    may_edit_registry,
    sees_all_regions,
)
from inspect_app.services.errors import InvalidInput, NotFound


def facility_filter(user: User, facility=Facility) -> sa.ColumnElement[bool]:
    """Facilities the user may list: all for admins and the ministry, the own region for supervisors.

    `facility` is the entity to filter: `Facility` or an alias of it (both records of a duplicate pair).
    """
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return facility.region_id == user.region_id
    return sa.false()


def inspector_filter(user: User) -> sa.ColumnElement[bool]:
    """Inspectors the user may read: by region for supervisors, only oneself for an inspector."""
    if sees_all_regions(user):
        return sa.true()
    if is_supervisor(user) and user.region_id is not None:
        return Inspector.regions.any(Region.id == user.region_id)
    if is_inspector(user):
        return Inspector.user_id == user.id
    return sa.false()


def region_filter(user: User) -> sa.ColumnElement[bool]:
    """Regions the user works in."""
    if sees_all_regions(user):
        return sa.true()
    if user.region_id is not None:
        return Region.id == user.region_id
    return sa.false()


def may_see_facility(user: User, facility: Facility) -> bool:
    """True when the facility is in the user's listing scope (the same rule as `facility_filter`)."""
    return sees_all_regions(user) or (is_supervisor(user) and facility.region_id == user.region_id)


def may_edit_facility(user: User, facility: Facility) -> bool:
    """True when the user may change this facility (a registry editor of its region)."""
    return may_edit_registry(user) and in_region(user, facility.region_id)


def check_facility_visible(user: User, facility: Facility | None) -> Facility:
    """The facility of the user's work region (an inspector's too, for audits), or NotFound."""
    if facility is None or not in_region(user, facility.region_id):
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
    query = sa.select(User).where(User.username == username, User.role == Role.INSPECTOR.value)
    if not sees_all_regions(user):
        query = query.where(User.region_id == user.region_id)
    linked = session.scalar(query)
    if linked is None:
        raise InvalidInput("No inspector account with this username in your region.", "username")
    return linked


def readable_regions(session: Session, user: User) -> list[Region]:
    """The regions the user works in, by KATO code."""
    return list(session.scalars(sa.select(Region).where(region_filter(user)).order_by(Region.kato)))

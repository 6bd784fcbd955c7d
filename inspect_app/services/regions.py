"""Regions and districts found by their KATO codes; an unknown code is refused naming the field it came in."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import District, Region, User
from inspect_app.services.access import readable_regions
from inspect_app.services.errors import InvalidInput


def region_by_kato(session: Session, kato: str, field: str) -> Region:
    """The region of a KATO code; InvalidInput on `field` when there is none."""
    region = session.scalar(sa.select(Region).where(Region.kato == kato))
    if region is None:
        raise InvalidInput("Unknown region KATO code.", field)
    return region


def resolve_geo(session: Session, region_kato: str, district_kato: str | None) -> tuple[Region, District | None]:
    """Region and district records for KATO codes, with errors naming the field."""
    region = region_by_kato(session, region_kato, "region_kato")
    district = None
    if district_kato:
        district = session.scalar(sa.select(District).where(District.kato == district_kato))
        if district is None:
            raise InvalidInput("Unknown district KATO code.", "district_kato")
        if district.region_id != region.id:
            raise InvalidInput("The district lies in another region.", "district_kato")
    return region, district


def districts_in_scope(session: Session, user: User, region_kato: str | None) -> list[District]:
    """The districts a list's district filter offers, by name: those of the user's one region (a supervisor's),
    or of the chosen region for those who read several (none until a region is chosen)."""
    regions = readable_regions(session, user)
    if region_kato:
        regions = [r for r in regions if r.kato == region_kato]
    elif len(regions) != 1:
        return []
    if not regions:
        return []
    return list(session.scalars(sa.select(District).where(District.region_id == regions[0].id)
                                .order_by(District.name_ru)))

"""Records in two regions and payloads that the API accepts, shared by the API tests."""

import pytest

from inspect_app.extensions import db
from inspect_app.models import DuplicateCandidate
from tests.factories import FacilityFactory, InspectorFactory, valid_bin


def facility_payload(region_kato: str = "190000000", **overrides) -> dict:
    """A facility the API accepts as it is."""
    payload = {
        "bin": valid_bin(),
        "name_ru": "Детский сад «Балапан»",
        "name_kk": "«Балапан» балабақшасы",
        "type": "kindergarten",
        "agency": "education",
        "region_kato": region_kato,
        "address": "ул. Абая, 10",
        "lat": 43.3,
        "lon": 76.9,
        "children_count": 120,
        "risk": "medium",
        "opening_hours": {"mon": [["08:00", "18:00"]]},
    }
    payload.update(overrides)
    return payload


def inspector_payload(region_kato: str = "190000000", **overrides) -> dict:
    """An inspector the API accepts as it is."""
    payload = {
        "full_name": "Ахметова Айгуль Сериковна",
        "agency": "education",
        "region_katos": [region_kato],
        "skills": ["safety", "nutrition"],
        "home_lat": 43.24,
        "home_lon": 76.91,
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def facility_b(region_b):
    """A facility of region B, outside the region-A supervisor's reach."""
    return FacilityFactory(region=region_b, name_ru="Школа-гимназия № 7", lat=43.2389, lon=76.8897)


@pytest.fixture
def twin_b(region_b, facility_b):
    """A second record of the same place in region B, flagged as a likely duplicate of `facility_b`."""
    twin = FacilityFactory(region=region_b, name_ru="Школа гимназия №7", lat=43.2391, lon=76.8899,
                           agency="akimat")
    db.session.add(DuplicateCandidate(facility_a_id=facility_b.id, facility_b_id=twin.id, reason="test",
                                      distance_m=25.0, name_similarity=0.9))
    db.session.flush()
    return twin


@pytest.fixture
def inspector_b(region_b):
    """An inspector who works in region B only."""
    return InspectorFactory(regions=[region_b], full_name="Инспектор Региона Б")


# The real geography and a generated registry, shared with the service tests.
from tests.inspect_app.services.conftest import geography, registry_rows  # noqa: E402, F401

"""A tiny region to schedule: 20 facilities around Almaty, 3 inspectors, a Monday-to-Friday horizon."""

import datetime as dt
import random

import pytest

from inspect_app.extensions import db
from inspect_app.models import Inspector, InspectorAbsence, InspectorConflict
from tests.factories import FacilityFactory, InspectorFactory

# A Monday, so five working dates are Monday to Friday of one week.
START = dt.date(2031, 3, 3)
TIME_LIMIT = 2


def make_region_registry(region, n_facilities: int = 20, n_inspectors: int = 3, seed: int = 1,
                         centre: tuple[float, float] | None = None):
    """Facilities and inspectors of one region: a mix of due and not-due, all reachable in a day."""
    rng = random.Random(seed)
    lat0, lon0 = centre or (43.25, 76.95)
    facilities = []
    for k in range(n_facilities):
        facilities.append(FacilityFactory(
            region=region, lat=lat0 + rng.uniform(-0.06, 0.06), lon=lon0 + rng.uniform(-0.08, 0.08),
            type="school", risk=("high", "medium", "low")[k % 3], children_count=300,
            last_inspection_date=None if k % 2 == 0 else START - dt.timedelta(days=30),
        ))
    inspectors = [InspectorFactory(regions=[region], home_lat=lat0 + 0.01 * k, home_lon=lon0 - 0.01 * k,
                                   skills=["safety", "nutrition", "health"], max_visits_per_day=4)
                  for k in range(n_inspectors)]
    db.session.flush()
    return facilities, inspectors


@pytest.fixture
def registry_a(region_a):
    """Region A's facilities and inspectors."""
    return make_region_registry(region_a)


@pytest.fixture
def inspector_user(users, registry_a):
    """The `inspector` user linked to the first inspector of region A."""
    inspector: Inspector = registry_a[1][0]
    inspector.user = users["inspector"]
    db.session.flush()
    return inspector


def absence(inspector: Inspector, start: dt.date, end: dt.date) -> InspectorAbsence:
    """Declare an absence."""
    row = InspectorAbsence(inspector=inspector, start_date=start, end_date=end, reason="leave")
    db.session.add(row)
    db.session.flush()
    return row


def conflict(inspector: Inspector, facility) -> InspectorConflict:
    """Declare a conflict of interest."""
    row = InspectorConflict(inspector=inspector, facility=facility, reason="relative works there")
    db.session.add(row)
    db.session.flush()
    return row

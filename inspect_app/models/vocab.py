"""Controlled vocabularies of the registry, shared by models, schemas, forms and the importer."""

from datetime import UTC, datetime
from enum import StrEnum

import forms

# The checklist templates select their items by these types, so forms/ owns the list.
FACILITY_TYPES = forms.FACILITY_TYPES
AGENCIES = (
    "education",
    "health",
    "culture_sport",
    "tourism",
    "internal_affairs",
    "akimat",
    "private",
)
RISKS = ("high", "medium", "low")


class FacilityStatus(StrEnum):
    """Whether a facility works: all year, in its season, or no longer (a closed one is not inspected)."""

    ACTIVE = "active"
    SEASONAL = "seasonal"
    CLOSED = "closed"


FACILITY_STATUSES = tuple(FacilityStatus)
SKILLS = ("safety", "nutrition", "health")
# Why a facility closes for some dates (a supervisor enters them; the scheduler plans no visit then).
CLOSURE_REASONS = ("repair", "quarantine", "emergency", "other")
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "geojson": ("application/geo+json", "geojson"),
    "json": ("application/json", "json"),
}


class Role(StrEnum):
    """Who a user is; what each role may see and do is decided in `services/access/` only."""

    ADMIN = "admin"
    MINISTRY = "ministry"
    SUPERVISOR = "supervisor"
    INSPECTOR = "inspector"


ROLES = tuple(r.value for r in Role)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The largest value of an integer column (PostgreSQL's INTEGER, which every primary key is): an id or a count
# beyond it can name no record, and sent to the database it would be an overflow error instead of a miss.
DB_INT_MAX = 2**31 - 1

# Kazakhstan's bounding box with a small margin: coordinates outside it are typing errors.
KZ_LAT = (40.5, 55.5)
KZ_LON = (46.4, 87.4)
# Parts of that box that are surely a neighbour's, as (lat_min, lat_max, lon_min, lon_max): the Chuy valley
# around Bishkek south of the Chu, where the border runs at about 42.95 N (Kazakh Kordai is at 43.03 N).
# A coarse rule, not the border: a place just across the border elsewhere still passes.
KZ_NOT_KAZAKHSTAN = (
    (40.5, 42.90, 73.90, 75.20),
)


def utcnow() -> datetime:
    """Timezone-aware current time in UTC; used as a callable column default."""
    return datetime.now(UTC)

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
FACILITY_STATUSES = ("active", "seasonal", "closed")
SKILLS = ("safety", "nutrition", "health")
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "geojson": ("application/geo+json", "geojson"),
    "json": ("application/json", "json"),
}


class Role(StrEnum):
    """Who a user is; what each role may see and do is decided in `services/access.py` only."""

    ADMIN = "admin"
    MINISTRY = "ministry"
    SUPERVISOR = "supervisor"
    INSPECTOR = "inspector"


ROLES = tuple(r.value for r in Role)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Kazakhstan's bounding box with a small margin: coordinates outside it are typing errors.
KZ_LAT = (40.5, 55.5)
KZ_LON = (46.4, 87.4)


def utcnow() -> datetime:
    """Timezone-aware current time in UTC; used as a callable column default."""
    return datetime.now(UTC)

"""Which facilities are overdue for their routine inspection today, and by how long: the rows behind the
dashboard's "overdue by how long" figures (services/statistics/queries.py `count_due` counts the same)."""

from datetime import date, timedelta

import sqlalchemy as sa

from inspect_app.models import Facility, FacilityStatus
from inspect_app.models import setting as settings_values
from inspect_app.schemas.facility import OVERDUE_FILTERS
from inspect_app.services.statistics.results import OVERDUE_BUCKET_DAYS, OVERDUE_BUCKETS

# "any": every overdue facility (never-inspected ones included); "never": never inspected; the buckets: inspected,
# overdue by that many days past the interval of the facility's risk.
assert OVERDUE_FILTERS == ("any", "never", *OVERDUE_BUCKETS)  # noqa: S101 - one list of words, checked at import


def overdue_condition(which: str, today: date) -> sa.ColumnElement[bool]:
    """Active facilities overdue as `which` (OVERDUE_FILTERS) says on `today`, by `last_inspection_date`."""
    cutoffs = {risk: today - timedelta(days=days) for risk, days in settings_values.intervals().items()}

    def cutoff(late_by: int) -> sa.ColumnElement:
        # The day before which a facility's newest inspection makes it more than `late_by` days overdue.
        return sa.case(*[(Facility.risk == risk, sa.literal(day - timedelta(days=late_by), sa.Date))
                         for risk, day in cutoffs.items()],
                       else_=sa.literal(min(cutoffs.values()) - timedelta(days=late_by), sa.Date))

    last = Facility.last_inspection_date
    due = sa.and_(Facility.archived_at.is_(None), Facility.status != FacilityStatus.CLOSED)
    if which == "never":
        return sa.and_(due, last.is_(None))
    if which == "any":
        return sa.and_(due, sa.or_(last.is_(None), last < cutoff(0)))
    bounds = [0, *OVERDUE_BUCKET_DAYS]
    n = OVERDUE_BUCKETS.index(which)
    condition = sa.and_(due, last < cutoff(bounds[n]))
    return sa.and_(condition, last >= cutoff(bounds[n + 1])) if n + 1 < len(bounds) else condition

"""The results map: every facility in scope as a few numbers, in one compact answer, and one facility's detail.

The markers come as parallel arrays (ids, coordinates to about 10 m, and small codes for type, district, last
result, open critical items and lateness), so 30,000 facilities fit in well under 2 MB; names, the last audit and
the open items of one facility are read when a marker is clicked.
"""

import json
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms import SEVERITIES
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, District, Facility, FacilityStatus, Region, User, Violation, ViolationStatus
from inspect_app.models import setting as settings_values
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.models.vocab import FACILITY_TYPES
from inspect_app.services.access import facility_filter, may_see_facility, region_filter, require_registry_reader
from inspect_app.services.errors import NotFound

COORDINATE_DIGITS = 4  # about 10 m: a marker on the right street, at a tenth of the bytes of full precision
OPEN_ITEMS_SHOWN = 20


MARKER_KEYS = ("id", "lat", "lon", "type", "district", "result", "critical", "overdue")


def _districts(user: User, region_id: int | None) -> sa.Subquery:
    """The districts of the regions in scope, numbered from 0 in id order: the map's district codes."""
    in_scope = (District.region_id == region_id if region_id is not None
                else District.region_id.in_(sa.select(Region.id).where(region_filter(user))))
    return (sa.select(District.id, District.name_ru, District.name_kk,
                      (sa.func.row_number().over(order_by=District.id) - 1).label("n"))
            .where(in_scope).subquery("numbered_district"))


def _markers(user: User, region_id: int | None, districts: sa.Subquery) -> sa.Select:
    """One row per marker, every value already the small code the answer carries, computed in the database."""
    today = today_almaty()
    intervals = settings_values.intervals()
    cutoff = sa.case(*[(Facility.risk == risk, sa.literal(today - timedelta(days=days), sa.Date))
                       for risk, days in intervals.items()],
                     else_=sa.literal(today - timedelta(days=min(intervals.values())), sa.Date))
    overdue = sa.case((Facility.status == FacilityStatus.CLOSED, 0),
                      (sa.or_(Facility.last_inspection_date.is_(None), Facility.last_inspection_date < cutoff), 1),
                      else_=0)
    scale = 10 ** COORDINATE_DIGITS
    condition = [facility_filter(user), Facility.archived_at.is_(None)]
    if region_id is not None:
        condition.append(Facility.region_id == region_id)
    return (sa.select(
        Facility.id.label("id"), (sa.func.round(Facility.lat * scale) / float(scale)).label("lat"),
        (sa.func.round(Facility.lon * scale) / float(scale)).label("lon"),
        sa.case(*[(Facility.type == t, n) for n, t in enumerate(FACILITY_TYPES)], else_=-1).label("type"),
        sa.func.coalesce(districts.c.n, -1).label("district"),
        sa.case(*[(Facility.last_result == r, n) for n, r in enumerate(AUDIT_RESULTS)], else_=-1).label("result"),
        Facility.open_critical.label("critical"), overdue.label("overdue"))
        .outerjoin(districts, districts.c.id == Facility.district_id)
        .where(*condition).order_by(Facility.id))


def map_json(session: Session, user: User, region_id: int | None = None) -> str:
    """Every active facility in the user's scope (narrowed to `region_id` when given) as parallel arrays, as
    JSON text: on PostgreSQL the arrays are aggregated and written by the database, not by Python per marker.

    `result` indexes `results` (-1: never inspected), `type` indexes `types`, `district` indexes `districts`
    (the districts of the regions in scope; -1: none), `critical` counts open critical violations, `overdue` is 1
    when the routine inspection is late (by the risk intervals in force, never-inspected facilities included).
    Reads only; inspectors are refused.
    """
    require_registry_reader(user)
    districts = _districts(user, region_id)
    names = session.execute(sa.select(districts.c.name_ru, districts.c.name_kk).order_by(districts.c.n)).all()
    head = {"types": list(FACILITY_TYPES), "results": list(AUDIT_RESULTS), "districts": [list(n) for n in names]}
    marker = _markers(user, region_id, districts).subquery("marker")
    arrays = None
    if session.get_bind().dialect.name == "postgresql":
        # Every row feeds all the arrays in the same order, so they stay parallel (id order, as the rows come).
        arrays = session.scalar(sa.select(sa.cast(sa.func.json_build_object(*[
            part for key in MARKER_KEYS for part in (key, sa.func.array_agg(marker.c[key]))]), sa.Text))
            .having(sa.func.count() > 0))
    if arrays is None:  # SQLite, or no marker at all (array_agg of nothing is NULL)
        rows = session.execute(sa.select(marker)).all()
        arrays = json.dumps({key: [row[n] for row in rows] for n, key in enumerate(MARKER_KEYS)},
                            separators=(",", ":"))
    # Two JSON objects spliced into one: the small head written here, the arrays as they came.
    return json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + "," + arrays.lstrip()[1:]


def map_points(session: Session, user: User, region_id: int | None = None) -> dict[str, Any]:
    """The map's answer (`map_json`) as a dict."""
    return json.loads(map_json(session, user, region_id))


def facility_detail(session: Session, user: User, facility_id: int) -> dict[str, Any]:
    """A marker's popup: the facility's name, its newest audit (date, result, link id) and its open items.

    NotFound for an unknown facility and for one outside the user's scope (as its page answers).
    """
    require_registry_reader(user)
    facility = session.get(Facility, facility_id)
    if facility is None or not may_see_facility(user, facility):
        raise NotFound("No such facility.")
    last = session.get(Audit, facility.last_audit_id) if facility.last_audit_id else None
    severity_rank = sa.case(*[(Violation.severity == s, n) for n, s in enumerate(SEVERITIES)], else_=len(SEVERITIES))
    open_items = session.execute(
        sa.select(Violation.item_text, Violation.severity, Violation.due_date)
        .where(Violation.facility_id == facility.id, Violation.status == ViolationStatus.OPEN)
        .order_by(severity_rank, Violation.due_date).limit(OPEN_ITEMS_SHOWN)).all()
    return {
        "id": facility.id, "name_ru": facility.name_ru, "name_kk": facility.name_kk, "type": facility.type,
        "address": facility.address,
        "last_audit": None if last is None else {"id": last.id, "inspection_date": last.inspection_date.isoformat(),
                                                 "result": last.result},
        "open_items": [{"text": text, "severity": severity, "due_date": due.isoformat()}
                       for text, severity, due in open_items],
    }

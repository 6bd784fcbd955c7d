"""The results map: every facility in scope as a few numbers, in one compact answer, and one facility's detail.

The markers come as parallel arrays (ids, coordinates to about 10 m, and small codes for type, district, last
result, open critical items and lateness), so 30,000 facilities fit in well under 2 MB; names, the last audit and
the open items of one facility are read when a marker is clicked.
"""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forms import SEVERITIES
from inspect_app.i18n import today_almaty
from inspect_app.models import Audit, District, Facility, FacilityStatus, User, Violation, ViolationStatus
from inspect_app.models import setting as settings_values
from inspect_app.models.audit import AUDIT_RESULTS
from inspect_app.models.vocab import FACILITY_TYPES
from inspect_app.services.access import facility_filter, may_see_facility, require_registry_reader
from inspect_app.services.errors import NotFound

COORDINATE_DIGITS = 4  # about 10 m: a marker on the right street, at a tenth of the bytes of full precision
OPEN_ITEMS_SHOWN = 20


def map_points(session: Session, user: User, region_id: int | None = None) -> dict[str, Any]:
    """Every active facility in the user's scope (narrowed to `region_id` when given) as parallel arrays.

    `result` indexes `results` (-1: never inspected), `type` indexes `types`, `district` indexes `districts`
    (-1: none), `critical` counts open critical violations, `overdue` is 1 when the routine inspection is late
    (by the risk intervals in force, never-inspected facilities included). Reads only; inspectors are refused.
    """
    require_registry_reader(user)
    today = today_almaty()
    intervals = settings_values.intervals()
    cutoff = sa.case(*[(Facility.risk == risk, sa.literal(today - timedelta(days=days), sa.Date))
                       for risk, days in intervals.items()],
                     else_=sa.literal(today - timedelta(days=min(intervals.values())), sa.Date))
    overdue = sa.case((Facility.status == FacilityStatus.CLOSED, 0),
                      (sa.or_(Facility.last_inspection_date.is_(None), Facility.last_inspection_date < cutoff), 1),
                      else_=0)
    critical = (sa.select(Violation.facility_id, sa.func.count(Violation.id).label("n"))
                .where(Violation.status == ViolationStatus.OPEN, Violation.severity == "critical")
                .group_by(Violation.facility_id).subquery())
    condition = [facility_filter(user), Facility.archived_at.is_(None)]
    if region_id is not None:
        condition.append(Facility.region_id == region_id)
    rows = session.execute(
        sa.select(Facility.id, Facility.lat, Facility.lon, Facility.type, Facility.district_id,
                  Facility.last_result, sa.func.coalesce(critical.c.n, 0), overdue)
        .outerjoin(critical, critical.c.facility_id == Facility.id)
        .where(*condition).order_by(Facility.id))
    types, results = list(FACILITY_TYPES), list(AUDIT_RESULTS)
    district_index: dict[int, int] = {}
    data: dict[str, list] = {key: [] for key in ("id", "lat", "lon", "type", "district", "result", "critical",
                                                  "overdue")}
    for fid, lat, lon, type_, district_id, result, n_critical, late in rows:
        data["id"].append(fid)
        data["lat"].append(round(lat, COORDINATE_DIGITS))
        data["lon"].append(round(lon, COORDINATE_DIGITS))
        data["type"].append(types.index(type_) if type_ in types else -1)
        if district_id is not None and district_id not in district_index:
            district_index[district_id] = len(district_index)
        data["district"].append(district_index.get(district_id, -1) if district_id is not None else -1)
        data["result"].append(results.index(result) if result in results else -1)
        data["critical"].append(int(n_critical))
        data["overdue"].append(int(late))
    names = {did: [ru, kk] for did, ru, kk in session.execute(
        sa.select(District.id, District.name_ru, District.name_kk).where(District.id.in_(list(district_index))))}
    return {"types": types, "results": results,
            "districts": [names.get(did, ["", ""]) for did in district_index], **data}


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

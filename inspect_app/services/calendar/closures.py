"""A facility's own dated closures (repairs, quarantine, an emergency), entered by its region's supervisors.

Each addition or removal is one history row of the facility (`closure_add` / `closure_remove`) written in the
same transaction; the scheduler plans no visit on a closed date.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Facility, FacilityClosure, User
from inspect_app.services.access import may_edit_facility
from inspect_app.services.errors import Forbidden, NotFound
from inspect_app.services.registry.history import record_change


def facility_closures(session: Session, facility: Facility) -> list[FacilityClosure]:
    """The facility's closures, latest first."""
    return list(session.scalars(sa.select(FacilityClosure).where(FacilityClosure.facility_id == facility.id)
                                .order_by(FacilityClosure.start_date.desc(), FacilityClosure.id.desc())))


def _require_editor(user: User, facility: Facility) -> None:
    if not may_edit_facility(user, facility):
        raise Forbidden("You may not change this facility.")


def _summary(c: FacilityClosure) -> str:
    return f"{c.start_date}..{c.end_date} {c.reason} {c.note}".rstrip()


def add_closure(session: Session, user: User, facility: Facility, data: dict[str, Any]) -> FacilityClosure:
    """Record a closure (validated by `ClosureSchema`) with its history row; commits."""
    _require_editor(user, facility)
    closure = FacilityClosure(facility_id=facility.id, start_date=data["start_date"], end_date=data["end_date"],
                              reason=data["reason"], note=data.get("note", ""), created_by_id=user.id)
    session.add(closure)
    record_change(session, "facility", facility.id, "closure_add", {"closures": [None, _summary(closure)]}, user)
    session.commit()
    return closure


def remove_closure(session: Session, user: User, facility: Facility, closure_id: int) -> None:
    """Delete one of the facility's closures with its history row; commits."""
    _require_editor(user, facility)
    closure = session.scalar(sa.select(FacilityClosure).where(FacilityClosure.id == closure_id,
                                                              FacilityClosure.facility_id == facility.id))
    if closure is None:
        raise NotFound("Closure not found.", "closure_id")
    # One statement whose row count decides: a removal racing another removes it once, the other is a 404.
    gone = session.execute(sa.delete(FacilityClosure).where(FacilityClosure.id == closure.id)
                           .execution_options(synchronize_session=False)).rowcount
    if not gone:
        session.rollback()
        raise NotFound("Closure not found.", "closure_id")
    record_change(session, "facility", facility.id, "closure_remove", {"closures": [_summary(closure), None]}, user)
    session.expunge(closure)
    session.commit()

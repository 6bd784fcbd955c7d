"""Inspectors: profiles, regions, calendars and conflicts of interest, within the user's scope."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, InspectorAbsence, InspectorConflict, Region, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound
from inspect_app.services.history import record_change
from inspect_app.services.scoping import inspector_filter, require_registry_editor
from inspect_app.services.search import contains

SIMPLE_FIELDS = (
    "full_name", "agency", "skills", "home_address", "home_lat", "home_lon",
    "max_visits_per_day", "max_minutes_per_day", "day_start", "day_end",
)


def inspector_query(user: User, args: dict[str, Any]) -> sa.Select:
    """A select of the inspectors the user may see, filtered."""
    query = sa.select(Inspector).where(inspector_filter(user))
    query = query.where(Inspector.archived_at.is_not(None) if args.get("archived") else Inspector.archived_at.is_(None))
    if args.get("region"):
        query = query.where(Inspector.regions.any(Region.kato == args["region"]))
    if args.get("q"):
        query = query.where(contains(Inspector.full_name, args["q"].strip()))
    if args.get("skill"):
        # Skills are a small JSON list; matching the quoted name works on SQLite and PostgreSQL alike.
        query = query.where(sa.cast(Inspector.skills, sa.String).like(f'%"{args["skill"]}"%'))
    return query.order_by(Inspector.full_name, Inspector.id).options(
        so.selectinload(Inspector.regions), so.selectinload(Inspector.absences),
        so.selectinload(Inspector.conflicts).joinedload(InspectorConflict.facility),
        so.joinedload(Inspector.user),
    )


def get_inspector(session: Session, user: User, inspector_id: int) -> Inspector:
    """The inspector with this id, or NotFound when missing or outside the user's scope."""
    inspector = session.scalar(sa.select(Inspector).where(Inspector.id == inspector_id, inspector_filter(user)))
    if inspector is None:
        raise NotFound("Inspector not found.")
    return inspector


def _regions(session: Session, user: User, katos: list[str]) -> list[Region]:
    regions = list(session.scalars(sa.select(Region).where(Region.kato.in_(katos))))
    missing = sorted(set(katos) - {r.kato for r in regions})
    if missing:
        raise InvalidInput(f"Unknown region KATO code(s): {', '.join(missing)}.", "region_katos")
    if not user.sees_all_regions and any(r.id != user.region_id for r in regions):
        raise Forbidden("You may only assign inspectors to your own region.", "region_katos")
    return regions


def _apply(session: Session, user: User, inspector: Inspector, data: dict[str, Any]) -> dict[str, list]:
    changes: dict[str, list] = {}
    for key in SIMPLE_FIELDS:
        if key in data and getattr(inspector, key) != data[key]:
            changes[key] = [getattr(inspector, key), data[key]]
            setattr(inspector, key, data[key])
    if "region_katos" in data:
        regions = _regions(session, user, data["region_katos"])
        if sorted(r.kato for r in regions) != sorted(inspector.region_katos):
            changes["region_katos"] = [inspector.region_katos, sorted(r.kato for r in regions)]
            inspector.regions = regions
    if "username" in data:
        username = data["username"]
        linked = None
        if username:
            linked = session.scalar(sa.select(User).where(User.username == username))
            if linked is None:
                raise InvalidInput("No user with this username.", "username")
            other = session.scalar(sa.select(Inspector).where(Inspector.user_id == linked.id))
            if other is not None and other is not inspector:
                raise InvalidInput("This user is already linked to another inspector.", "username")
        if inspector.user is not linked:
            changes["username"] = [inspector.user.username if inspector.user else None, username]
            inspector.user = linked
    if "absences" in data:
        new = [(a["start_date"], a["end_date"], a.get("reason", "")) for a in data["absences"]]
        old = [(a.start_date, a.end_date, a.reason) for a in inspector.absences]
        if sorted(new) != sorted(old):
            changes["absences"] = [[f"{s}..{e}" for s, e, _ in old], [f"{s}..{e}" for s, e, _ in new]]
            inspector.absences = [InspectorAbsence(start_date=s, end_date=e, reason=r) for s, e, r in new]
    if "conflict_bins" in data:
        bins = data["conflict_bins"]
        facilities = list(session.scalars(sa.select(Facility).where(Facility.bin.in_(bins)))) if bins else []
        missing = sorted(set(bins) - {f.bin for f in facilities})
        if missing:
            raise InvalidInput(f"No facility with BIN {', '.join(missing)}.", "conflict_bins")
        old_bins = sorted(c.facility.bin for c in inspector.conflicts)
        if sorted(bins) != old_bins:
            changes["conflict_bins"] = [old_bins, sorted(bins)]
            keep = {c.facility_id: c for c in inspector.conflicts}
            inspector.conflicts = [keep.get(f.id) or InspectorConflict(facility=f) for f in facilities]
    return changes


def create_inspector(session: Session, user: User, data: dict[str, Any]) -> Inspector:
    """Create an inspector from validated input; commits."""
    require_registry_editor(user)
    inspector = Inspector(full_name=data["full_name"], agency=data["agency"],
                          home_lat=data["home_lat"], home_lon=data["home_lon"])
    session.add(inspector)
    _apply(session, user, inspector, data)
    session.flush()
    record_change(session, "inspector", inspector.id, "create", {"full_name": [None, inspector.full_name]}, user)
    session.commit()
    return inspector


def update_inspector(session: Session, user: User, inspector: Inspector, data: dict[str, Any]) -> Inspector:
    """Apply a (partial) validated update and record what changed; commits."""
    require_registry_editor(user)
    changes = _apply(session, user, inspector, data)
    if changes:
        record_change(session, "inspector", inspector.id, "update", changes, user)
        session.commit()
    return inspector


def archive_inspector(session: Session, user: User, inspector: Inspector) -> Inspector:
    """Archive an inspector: no new schedules include them; commits."""
    require_registry_editor(user)
    if inspector.archived_at is None:
        inspector.archived_at = utcnow()
        record_change(session, "inspector", inspector.id, "archive", {"archived": [False, True]}, user)
        session.commit()
    return inspector

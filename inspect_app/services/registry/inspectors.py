"""Inspectors: profiles, regions, calendars and conflicts of interest, within the user's scope."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from inspect_app.models import Facility, Inspector, InspectorAbsence, InspectorConflict, Region, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import (
    facility_filter,
    inspector_filter,
    linkable_user,
    may_see_facility,
    require_registry_editor,
    sees_all_regions,
    visible_facilities_by_bin,
)
from inspect_app.services.errors import Forbidden, InvalidInput, NotFound
from inspect_app.services.registry.history import record_change
from inspect_app.services.registry.search import contains

SIMPLE_FIELDS = (
    "full_name", "agency", "skills", "home_address", "home_lat", "home_lon",
    "max_visits_per_day", "max_minutes_per_day", "day_start", "day_end",
)


def visible_conflicts(user: User, inspector: Inspector) -> tuple[list[InspectorConflict], int]:
    """The inspector's conflicts of interest the user may see (facilities of the user's scope), and how many
    others there are: another region's facilities are counted, never named."""
    shown = [c for c in inspector.conflicts if may_see_facility(user, c.facility)]
    return shown, len(inspector.conflicts) - len(shown)


def visible_facility_ids(session: Session, user: User, ids: set[int]) -> set[int]:
    """Which of these facility ids the user may see (the listing scope of `facility_filter`)."""
    if not ids:
        return set()
    return set(session.scalars(sa.select(Facility.id).where(Facility.id.in_(ids), facility_filter(user))))


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


def _regions(session: Session, user: User, inspector: Inspector, katos: list[str]) -> list[Region]:
    """The inspector's new regions; a supervisor adds or removes only their own, the others stay as they are."""
    regions = list(session.scalars(sa.select(Region).where(Region.kato.in_(katos))))
    missing = sorted(set(katos) - {r.kato for r in regions})
    if missing:
        raise InvalidInput(f"Unknown region KATO code(s): {', '.join(missing)}.", "region_katos")
    if sees_all_regions(user):
        return regions
    current = list(inspector.regions)
    if any(r.id != user.region_id and r not in current for r in regions):
        raise Forbidden("You may only assign inspectors to your own region.", "region_katos")
    others = [r for r in current if r.id != user.region_id]
    return others + [r for r in regions if r.id == user.region_id]


def _apply(session: Session, user: User, inspector: Inspector, data: dict[str, Any]) -> dict[str, list]:
    changes: dict[str, list] = {}
    for key in SIMPLE_FIELDS:
        if key in data and getattr(inspector, key) != data[key]:
            changes[key] = [getattr(inspector, key), data[key]]
            setattr(inspector, key, data[key])
    if "region_katos" in data:
        regions = _regions(session, user, inspector, data["region_katos"])
        if sorted(r.kato for r in regions) != sorted(inspector.region_katos):
            changes["region_katos"] = [inspector.region_katos, sorted(r.kato for r in regions)]
            inspector.regions = regions
    if "username" in data:
        username = data["username"]
        linked = linkable_user(session, user, username) if username else None
        other = session.scalar(sa.select(Inspector).where(Inspector.user_id == linked.id)) if linked else None
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
        facilities = list(session.scalars(visible_facilities_by_bin(user, bins))) if bins else []
        missing = sorted(set(bins) - {f.bin for f in facilities})
        if missing:
            # Another region's BIN gets the answer of an unknown one: it neither names nor confirms the facility.
            raise InvalidInput(f"No facility with BIN {', '.join(missing)}.", "conflict_bins")
        # Conflicts with facilities the user cannot see (set by an admin) are kept, neither shown nor dropped.
        hidden = [c for c in inspector.conflicts if not may_see_facility(user, c.facility)]
        old_bins = sorted(c.facility.bin for c in inspector.conflicts if c not in hidden)
        if sorted(bins) != old_bins:
            changes["conflict_bins"] = [old_bins, sorted(bins)]
            keep = {c.facility_id: c for c in inspector.conflicts}
            inspector.conflicts = hidden + [keep.get(f.id) or InspectorConflict(facility=f) for f in facilities]
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
    """Apply a (partial) validated update and record what changed; commits.

    The row is locked and re-read first, so two concurrent edits apply one after the other (each against
    the other's result) instead of both merging into the same stale copy.
    """
    require_registry_editor(user)
    session.refresh(inspector, with_for_update=True)
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

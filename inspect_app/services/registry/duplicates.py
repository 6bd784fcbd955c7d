"""Finding facilities registered twice (by different ministries or akimats) and merging them."""

import math
import re
from datetime import date
from difflib import SequenceMatcher

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.extensions import db
from inspect_app.models import DuplicateCandidate, DuplicateStatus, Facility, FacilityStatus, InspectorConflict, User
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import (
    facility_filter,
    in_region,
    require_region_access,
    require_registry_editor,
)
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.registry.history import record_change
from inspect_app.services.statistics import tally

NEAR_METRES = 150.0
NAME_SIMILARITY = 0.6
_NOISE = re.compile(r"[«»\"'().,№#\-]|\b(кгу|гу|тоо|ип|гкп|на|пхв|ао|кмм|мкм|ммм|жшс|им|имени)\b")


def normalize_name(name: str) -> str:
    """A name without legal-form words, quotes and punctuation, in lower case."""
    return " ".join(_NOISE.sub(" ", name.lower()).split())


def _numbers(name: str) -> set[str]:
    return set(re.findall(r"\d+", name))


def _proper_names(name: str) -> set[str]:
    return {normalize_name(q) for q in re.findall(r"«([^«»]+)", name) if normalize_name(q)}


def name_similarity(a: str, b: str) -> float:
    """How alike two facility names are, 0..1.

    Names with different numbers (school 12 vs 13) or different proper names in quotes
    («Балапан» vs «Күншуақ») are different places whatever else they share, and score 0.
    """
    if _numbers(a) != _numbers(b):
        return 0.0
    proper_a, proper_b = _proper_names(a), _proper_names(b)
    if proper_a and proper_b and not proper_a & proper_b:
        return 0.0
    return SequenceMatcher(None, normalize_name(a), normalize_name(b)).ratio()


def _metres(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371009.0 * math.asin(math.sqrt(h))


def find_duplicates(session: Session, user: User) -> int:
    """Scan the facilities the user may see for likely duplicates and store new candidates; commits.

    A pair is likely one place when the two points lie within 150 m and the names (without legal-form words)
    are similar, or when the two records carry the same normalized name and address. Returns how many
    new candidates were stored.
    """
    require_registry_editor(user)
    rows = session.execute(
        sa.select(Facility.id, Facility.name_ru, Facility.lat, Facility.lon)
        .where(facility_filter(user), Facility.archived_at.is_(None))
        .order_by(Facility.id)
    ).all()
    cell = 0.002  # about 220 m of latitude: neighbours lie in this or an adjacent grid cell
    grid: dict[tuple[int, int], list] = {}
    for row in rows:
        grid.setdefault((int(row.lat / cell), int(row.lon / cell)), []).append(row)
    known = {(a, b) for a, b in session.execute(
        sa.select(DuplicateCandidate.facility_a_id, DuplicateCandidate.facility_b_id))}
    added = 0
    for (gy, gx), members in grid.items():
        neighbours = [r for dy in (-1, 0, 1) for dx in (-1, 0, 1) for r in grid.get((gy + dy, gx + dx), [])]
        for a in members:
            for b in neighbours:
                if b.id <= a.id or (a.id, b.id) in known:
                    continue
                distance = _metres(a.lat, a.lon, b.lat, b.lon)
                if distance > NEAR_METRES:
                    continue
                similarity = name_similarity(a.name_ru, b.name_ru)
                if similarity < NAME_SIMILARITY:
                    continue
                session.add(DuplicateCandidate(
                    facility_a_id=a.id, facility_b_id=b.id, distance_m=round(distance, 1),
                    name_similarity=round(similarity, 3),
                    reason=f"{distance:.0f} m apart, names {similarity:.0%} alike"))
                known.add((a.id, b.id))
                added += 1
    session.commit()
    return added


def candidate_query(user: User, status: str = DuplicateStatus.OPEN) -> sa.Select:
    """Duplicate candidates whose both records the user may see."""
    a, b = sa.orm.aliased(Facility), sa.orm.aliased(Facility)
    query = (
        sa.select(DuplicateCandidate)
        .join(a, DuplicateCandidate.facility_a_id == a.id)
        .join(b, DuplicateCandidate.facility_b_id == b.id)
        .where(DuplicateCandidate.status == status)
        .order_by(DuplicateCandidate.id)
    )
    return query.where(facility_filter(user, a), facility_filter(user, b))


def merge_facilities(session: Session, user: User, keep: Facility, drop: Facility, note: str = "") -> Facility:
    """Merge `drop` into `keep`: every record that points at `drop` (drafts, visits, conflicts, violations)
    is moved to `keep`, `drop` is archived with `merged_into` set, and both histories stay readable
    from `keep`'s page. One transaction; commits.

    A hashed audit keeps the facility it was hashed with (a hashed record is never rewritten; the database
    refuses it): lists, pages and statistics reach it through `drop.merged_into`. Records merged into `drop`
    before now point at `keep`, so a pointer is always one step long.
    """
    require_registry_editor(user)
    if keep.id == drop.id:
        raise InvalidInput("A facility cannot be merged into itself.", "drop_id")
    # Lock both rows (in id order, so two merges of one pair cannot deadlock) and re-read them: a concurrent
    # merge of the same record must be seen by the checks below, not merged a second time.
    for facility in sorted((keep, drop), key=lambda f: f.id):
        session.refresh(facility, with_for_update=True)
    if drop.merged_into_id is not None:
        raise Conflict("That facility was already merged.", "drop_id")
    if keep.archived_at is not None:
        # The survivor must stay in the registry, or the merged history would end up in an archived record.
        raise Conflict("The facility to keep is archived; restore it or keep the other record.", "keep_id")
    require_region_access(user, keep.region_id)
    require_region_access(user, drop.region_id)
    # A conflict of interest declared on both records would break the unique pair after the move.
    both = sa.select(InspectorConflict.inspector_id).where(InspectorConflict.facility_id == keep.id)
    session.execute(sa.delete(InspectorConflict).where(
        InspectorConflict.facility_id == drop.id, InspectorConflict.inspector_id.in_(both)))
    moved = {}
    skip = {("duplicate_candidate", "facility_a_id"), ("duplicate_candidate", "facility_b_id")}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in skip:
                continue
            if any(fk.column.table.name == "facility" and fk.column.name == "id" for fk in column.foreign_keys):
                moving = column == drop.id
                if table.name == "audit":
                    moving = sa.and_(moving, table.c.record_hash.is_(None))
                count = session.execute(
                    sa.update(table).where(moving).values({column.name: keep.id})).rowcount
                if count:
                    moved[f"{table.name}.{column.name}"] = count
    drop.merged_into_id = keep.id
    drop.archived_at = utcnow()
    drop.status = FacilityStatus.CLOSED
    if drop.last_inspection_date and drop.last_inspection_date > (keep.last_inspection_date or date.min):
        keep.last_inspection_date = drop.last_inspection_date
        keep.last_audit_id, keep.last_result = drop.last_audit_id, drop.last_result
    session.execute(
        sa.update(DuplicateCandidate)
        .where(sa.or_(DuplicateCandidate.facility_a_id.in_([keep.id, drop.id]),
                      DuplicateCandidate.facility_b_id.in_([keep.id, drop.id])),
               DuplicateCandidate.status == DuplicateStatus.OPEN)
        .values(status=DuplicateStatus.MERGED, resolved_at=utcnow(), resolved_by_id=user.id))
    record_change(session, "facility", keep.id, "merge", {"merged_bin": [None, drop.bin], "moved": [None, moved]},
                  user, note)
    record_change(session, "facility", drop.id, "merge", {"merged_into": [None, keep.bin]}, user, note)
    tally.rebuild(session)  # the merged record's inspections now count where the survivor is
    session.commit()
    return keep


def dismiss_candidate(session: Session, user: User, candidate_id: int) -> DuplicateCandidate:
    """Mark a candidate pair as two different places; commits."""
    require_registry_editor(user)
    candidate = session.get(DuplicateCandidate, candidate_id)
    if candidate is None or not in_region(user, candidate.facility_a.region_id):
        raise NotFound("Duplicate candidate not found.")
    candidate.status = DuplicateStatus.DISMISSED
    candidate.resolved_at = utcnow()
    candidate.resolved_by_id = user.id
    session.commit()
    return candidate

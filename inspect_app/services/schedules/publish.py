"""Publishing a draft with a commitment that never changes after, checking it, exporting the JSON."""

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Inspector, Region, Schedule, ScheduleStatus, ScheduleVisit, User
from inspect_app.models.notification import EventKind
from inspect_app.models.schedule import COMMITTED_SCHEDULE_STATUSES
from inspect_app.models.vocab import utcnow
from inspect_app.services.errors import Conflict, InvalidInput, NotFound, ServiceError
from inspect_app.services.notifications import emit, schedule_resource
from inspect_app.services.schedules import engine
from inspect_app.services.schedules.queries import require_editor
from inspect_app.services.schedules.review import violation_sentences
from inspect_app.services.schedules.signals import live_visit_clause


def lock_region(session: Session, region_id: int) -> None:
    """Serialise writers of one region's published schedules until this transaction ends.

    The UPDATE is the transaction's first statement: PostgreSQL holds the region row's lock, SQLite its
    write lock (a read first would pin a snapshot that could no longer write once another writer committed).
    """
    session.commit()
    session.execute(sa.update(Region).where(Region.id == region_id).values(id=Region.id)
                    .execution_options(synchronize_session=False))


def lock_for_change(session: Session, user: User, schedule: Schedule) -> None:
    """Refuse a user who may not change the schedule, then hold its region's writer lock (`lock_region`) and
    re-read it, so the status checks that follow see what the last writer committed."""
    require_editor(user, schedule)
    lock_region(session, schedule.region_id)
    session.refresh(schedule)


def publication_effect(session: Session, schedule: Schedule) -> dict[str, Any]:
    """What publishing would do (for the confirmation step), or the reason it is refused.

    Returns {"supersedes": Schedule | None, "from": date | None, "visits": n, "inspectors": n,
    "refusal": ServiceError | None}.
    """
    effect: dict[str, Any] = {"supersedes": schedule.supersedes, "from": schedule.effective_from,
                              "visits": len(schedule.visits),
                              "inspectors": len({v.inspector_id for v in schedule.visits}), "refusal": None}
    try:
        _check_publishable(session, schedule)
    except ServiceError as exc:
        effect["refusal"] = exc
    return effect


def _overlapping(session: Session, schedule: Schedule) -> list[Schedule]:
    rows = session.scalars(sa.select(Schedule).where(
        Schedule.region_id == schedule.region_id, Schedule.id != schedule.id,
        Schedule.status.in_(COMMITTED_SCHEDULE_STATUSES),
        Schedule.start_date <= schedule.end_date, Schedule.end_date >= schedule.first_day))
    return [s for s in rows if s.status == ScheduleStatus.PUBLISHED or s.superseded_from is not None
            if s.first_day <= schedule.end_date and s.last_day >= schedule.first_day and s.first_day <= s.last_day]


def _check_publishable(session: Session, schedule: Schedule) -> None:
    """Every reason a draft may not be published, as the ServiceError a user reads (writes nothing)."""
    if schedule.status != ScheduleStatus.DRAFT:
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only a draft can be published.", "status")
    if schedule.hit_cap:
        raise Conflict("This build stopped at the wall-clock safety net, so an auditor could not rebuild it; "
                       "rebuild it (same seed) on a less busy server before publishing.", "hit_cap")
    if schedule.first_day < today_almaty():
        raise InvalidInput("The schedule starts in the past; build a new one from today or later.", "start")
    errors = engine.validate(schedule.problem, schedule.schedule)
    if errors:
        broken = "; ".join(violation_sentences(session, errors[:3]))
        raise InvalidInput(gettext("График нарушает правила: %(rules)s", rules=broken),
                           errors={"rules": sorted({e["rule"] for e in errors})})
    same = session.scalar(sa.select(Schedule).where(
        Schedule.commitment == engine.commitment(schedule.schedule, schedule.seed)))
    if same is not None:
        raise Conflict(f"Schedule {same.id} with the same routes and seed is already published; "
                       "build with another seed or keep that one.", "commitment")
    clash = session.execute(
        sa.select(Inspector.full_name, ScheduleVisit.date)
        .join(ScheduleVisit, ScheduleVisit.inspector_id == Inspector.id)
        .join(Schedule, ScheduleVisit.schedule_id == Schedule.id)
        .where(Schedule.region_id != schedule.region_id, live_visit_clause(),
               sa.tuple_(ScheduleVisit.inspector_id, ScheduleVisit.date).in_(
                   sa.select(ScheduleVisit.inspector_id, ScheduleVisit.date)
                   .where(ScheduleVisit.schedule_id == schedule.id)))
        .limit(1)).first()
    if clash is not None:
        raise Conflict(f"{clash.full_name} is already sent out on {clash.date.isoformat()} by a published schedule "
                       "of another region; rebuild this schedule so it sees that booking.", "inspector")
    for old in _overlapping(session, schedule):
        if old.id == schedule.supersedes_id and old.status == ScheduleStatus.PUBLISHED:
            continue
        raise Conflict(f"Published schedule {old.id} ({old.first_day.isoformat()}..{old.last_day.isoformat()}) "
                       "covers these dates; build a replacement that names it and the date it applies from.",
                       "supersedes")
    if schedule.supersedes_id is not None and schedule.supersedes.status != ScheduleStatus.PUBLISHED:
        raise Conflict(f"Schedule {schedule.supersedes_id}, which this one replaces, is no longer published.",
                       "supersedes")


def publish_schedule(session: Session, user: User, schedule: Schedule) -> Schedule:
    """Publish a draft: fix its commitment; commits.

    Refused (nothing written) when the draft is no longer a draft, hit the wall-clock cap, starts in the
    past, breaks a rule, repeats a published commitment, double-books a shared inspector, or overlaps a
    published schedule of its region other than the one it explicitly replaces; that one is superseded
    from the replacement date (its earlier days and commitment stay). Writers of a region are serialised
    (`lock_region`), so two publications at once cannot both pass the checks.
    """
    lock_for_change(session, user, schedule)
    _check_publishable(session, schedule)
    if schedule.supersedes_id is not None:
        old = schedule.supersedes
        old.status = ScheduleStatus.SUPERSEDED
        old.superseded_from = schedule.effective_from
    schedule.commitment = engine.commitment(schedule.schedule, schedule.seed)
    schedule.status = ScheduleStatus.PUBLISHED
    schedule.published_at = utcnow()
    schedule.published_by_id = user.id
    # Its commitment and region only: never a visit, a route or the horizon's dates.
    emit(session, EventKind.SCHEDULE_PUBLISHED, schedule_resource(schedule), region_id=schedule.region_id)
    try:
        session.commit()
    except (sa.exc.IntegrityError, so.exc.StaleDataError):
        session.rollback()
        raise Conflict("Another publication of this region came first; reload the schedule.", "status") from None
    return schedule


def discard_schedule(session: Session, user: User, schedule: Schedule) -> Schedule:
    """Mark a draft discarded (kept, never deleted, so what was built stays on record); commits."""
    lock_for_change(session, user, schedule)
    if schedule.status != ScheduleStatus.DRAFT:
        raise Conflict(f"Schedule {schedule.id} is {schedule.status}; only a draft can be discarded.", "status")
    schedule.status = ScheduleStatus.DISCARDED
    schedule.discarded_at = utcnow()
    schedule.discarded_by_id = user.id
    session.commit()
    return schedule


def find_commitment(session: Session, commitment: str) -> Schedule:
    """The published schedule with this commitment (for the public check page), or NotFound."""
    text = (commitment or "").strip().lower()
    schedule = session.scalar(sa.select(Schedule).where(Schedule.commitment == text)) if len(text) == 64 else None
    if schedule is None:
        raise NotFound("No schedule was published with this commitment.")
    return schedule


def export_schedule(schedule: Schedule) -> dict[str, Any]:
    """The schedule in the engine's JSON format (what `python -m scheduler validate` reads)."""
    return schedule.schedule


def export_problem(schedule: Schedule) -> dict[str, Any]:
    """The exact problem the schedule was solved from (its sha256 is in the schedule)."""
    return schedule.problem

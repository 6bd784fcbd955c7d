"""The weekly summary: each region's figures of the past week (Monday to Sunday, Almaty) for its supervisors,
the country's for the ministry; one per person per week, whoever runs it and however often."""

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.database import begin_write
from inspect_app.i18n import ALMATY
from inspect_app.models import Audit, Facility, OutboxMessage, Region, User, Violation
from inspect_app.models.notification import EventKind
from inspect_app.models.vocab import Role, utcnow
from inspect_app.services.notifications.outbox import almaty_midnight, emit


def figures(session: Session, region: Region | None, week_start: date) -> dict[str, Any]:
    """The week's figures of a region (None: the country)."""
    start, end = almaty_midnight(week_start), almaty_midnight(week_start + timedelta(days=7))
    today = week_start + timedelta(days=7)

    def count(query: sa.Select, model) -> int:
        if region is not None:
            query = query.where(model.region_id == region.id)
        return session.scalar(query) or 0

    submitted = sa.select(sa.func.count()).select_from(Audit).where(
        Audit.status == "submitted", Audit.submitted_at >= start, Audit.submitted_at < end)
    found = sa.select(sa.func.count()).select_from(Violation).join(Audit).where(
        Audit.submitted_at >= start, Audit.submitted_at < end)
    open_ = sa.select(sa.func.count()).select_from(Violation).join(Audit).where(Violation.status == "open")
    return {
        "region_kato": region.kato if region else None,
        "region_name_ru": region.name_ru if region else None,
        "region_name_kk": region.name_kk if region else None,
        "week_start": week_start.isoformat(), "week_end": (week_start + timedelta(days=6)).isoformat(),
        "audits": count(submitted, Audit),
        "violations": count(found, Audit),
        "critical": count(found.where(Violation.severity == "critical"), Audit),
        "resolved": count(sa.select(sa.func.count()).select_from(Violation).join(Audit).where(
            Violation.resolved_at >= start, Violation.resolved_at < end), Audit),
        "open": count(open_, Audit),
        "overdue": count(open_.where(Violation.due_date < today), Audit),
        "facilities_added": count(sa.select(sa.func.count()).select_from(Facility).where(
            Facility.created_at >= start, Facility.created_at < end), Facility),
    }


def send_weekly(session: Session, now: datetime | None = None) -> int:
    """Queue last week's summaries unless this week's run did already (a stable event id per area and week,
    and the outbox's unique keys); commits. Returns how many areas were summarised now."""
    now = now or utcnow()
    today = now.astimezone(ALMATY).date()
    week_start = today - timedelta(days=today.weekday() + 7)
    begin_write(session)
    made = 0
    areas: list[Region | None] = [*session.scalars(sa.select(Region).order_by(Region.id)), None]
    for region in areas:
        event_id = f"weekly{week_start:%Y%m%d}r{region.id if region else 0}"
        if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.event_id == event_id).limit(1)):
            continue
        readers = sa.select(User.id).where(User.active.is_(True), User.email.is_not(None), User.email != "")
        readers = readers.where(User.role == Role.SUPERVISOR, User.region_id == region.id) if region else \
            readers.where(User.role == Role.MINISTRY)
        if session.scalar(readers.limit(1)) is None:
            continue  # nobody to tell: no figures to count
        emit(session, EventKind.WEEKLY_SUMMARY, figures(session, region, week_start),
             region_id=region.id if region else None, event_id=event_id)
        made += 1
    session.commit()
    return made

"""Who read which schedule or route, and the secret per-user calendar feed of the released day.

Every read of a schedule or an inspector's day (pages, API, PDF, calendar, exports) is logged with who,
when, which schedule and day; the region's supervisors read and export the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from exports.tabular import write_csv
from inspect_app.database import begin_write, keeping_loaded
from inspect_app.i18n import to_almaty
from inspect_app.models import CalendarFeed, Schedule, User
from inspect_app.models.route import RouteAccess
from inspect_app.models.vocab import utcnow
from inspect_app.services.access import access_log_region, may_have_calendar
from inspect_app.services.errors import Forbidden, NotFound

LOG_PAGE = 200


def record(session: Session, user: User | None, channel: str, *, schedule: Schedule | None = None,
           route: Any = None, what: str = "") -> None:
    """Log one read of a schedule (`schedule`) or of a day's route (`route`, a `routes.DayRoute`); commits.

    The read that came before is ended and the log written under SQLite's write lock, waited for: a GET's
    deferred transaction cannot take it once another writer committed (503 under load otherwise). What the read
    loaded is not expired by that commit: the response is written from it without loading each row again.
    """
    rows = []
    if schedule is not None:
        rows.append(RouteAccess(user_id=user.id if user else None, region_id=schedule.region_id,
                                schedule_id=schedule.id, channel=channel, what=what[:200]))
    if route is not None:
        inspector = route.inspector
        region_ids = [r.id for r in inspector.regions] if inspector is not None else []
        region_id = user.region_id if user is not None and user.region_id else (region_ids[0] if region_ids else None)
        for schedule_id in route.schedule_ids or [None]:
            rows.append(RouteAccess(user_id=user.id if user else None, region_id=region_id, schedule_id=schedule_id,
                                    inspector_id=inspector.id if inspector else None, day=route.day,
                                    channel=channel, what=what[:200]))
    with keeping_loaded(session):
        begin_write(session)
        session.add_all(rows)
        session.commit()


def log_query(user: User, args: dict[str, Any] | None = None) -> sa.Select:
    """The access log rows the user may read (their region's for supervisors, all for admins), newest first."""
    args = args or {}
    region_id = access_log_region(user)
    query = sa.select(RouteAccess)
    if region_id is not None:
        query = query.where(RouteAccess.region_id == region_id)
    if args.get("date_from"):
        query = query.where(RouteAccess.at >= dt.datetime.combine(args["date_from"], dt.time(0), dt.UTC))
    if args.get("date_to"):
        query = query.where(RouteAccess.at < dt.datetime.combine(args["date_to"] + dt.timedelta(days=1),
                                                                 dt.time(0), dt.UTC))
    if args.get("schedule_id"):
        query = query.where(RouteAccess.schedule_id == args["schedule_id"])
    return query.order_by(RouteAccess.at.desc(), RouteAccess.id.desc()).options(
        so.joinedload(RouteAccess.user), so.joinedload(RouteAccess.inspector))


def log_rows(session: Session, user: User, args: dict[str, Any] | None = None,
             limit: int | None = LOG_PAGE) -> list[dict[str, Any]]:
    """The log as plain rows (time in Almaty), for the page, the API and the CSV."""
    query = log_query(user, args)
    if limit:
        query = query.limit(limit)
    return [{"at": to_almaty(r.at).replace(microsecond=0), "user": r.user.username if r.user else "",
             "user_name": (r.user.full_name if r.user else "") or "", "role": r.user.role if r.user else "",
             "channel": r.channel, "schedule_id": r.schedule_id, "day": r.day,
             "inspector": r.inspector.full_name if r.inspector else "", "what": r.what}
            for r in session.scalars(query)]


def log_csv(rows: list[dict[str, Any]], headers: list[str], channel_label) -> bytes:
    """The log as UTF-8 CSV with a BOM (Excel opens it with Cyrillic intact).

    Written by the registry export's writer, so a name Excel would run as a formula arrives as text.
    """
    keys = ["at", "user", "user_name", "role", "channel", "schedule_id", "day", "inspector", "what"]
    out = io.BytesIO()
    write_csv(({**r, "channel": channel_label(r["channel"])} for r in rows), list(zip(keys, headers, strict=True)),
              out)
    return out.getvalue()


# ---------------------------------------------------------------- calendar feeds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_feed(session: Session, user: User) -> bool:
    """True when the user has a calendar URL."""
    return session.scalar(sa.select(CalendarFeed.id).where(CalendarFeed.user_id == user.id)) is not None


def rotate_feed(session: Session, user: User) -> str:
    """Give the user a new secret calendar token (the old URL stops working at once); commits.

    Returns the token, shown once: only its SHA-256 is stored.
    """
    if not may_have_calendar(user):
        raise Forbidden("Only inspectors have a route calendar.")
    token = secrets.token_urlsafe(32)
    feed = session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    else:
        feed.token_hash, feed.created_at, feed.last_used_at = _hash(token), utcnow(), None
    session.commit()
    return token


def revoke_feed(session: Session, user: User) -> None:
    """Delete the user's calendar URL; commits."""
    session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    session.commit()


def feed_user(session: Session, token: str) -> User:
    """The active inspector owning a calendar token; NotFound for an unknown, revoked or rotated one."""
    feed = session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token or "")))
    if feed is None or not may_have_calendar(feed.user):
        raise NotFound("No such calendar.")
    feed.last_used_at = utcnow()
    return feed.user

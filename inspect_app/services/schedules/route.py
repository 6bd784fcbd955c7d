"""The inspector's route: their own visits of published schedules, today and the next working day."""

import datetime as dt

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from sqlalchemy.orm import Session

from inspect_app.i18n import today_almaty
from inspect_app.models import Inspector, Schedule, ScheduleVisit, User
from inspect_app.services.errors import Forbidden
from inspect_app.services.schedule_problem import horizon_dates


def route_days(today: dt.date | None = None) -> list[dt.date]:
    """The days an inspector may see: today and the next working day (Almaty time)."""
    today = today or today_almaty()
    workdays = current_app.config["SCHEDULE_WORKDAYS"]
    nxt = horizon_dates(today + dt.timedelta(days=1), 1, workdays)[0]
    return [today, nxt]


def my_route(session: Session, user: User, day: dt.date | None = None) -> tuple[dt.date, list[ScheduleVisit]]:
    """The user's own visits of published schedules on one day, in route order.

    Only today and the next working day are shown, so the surprise survives a leaked phone.
    """
    if user.role != "inspector":
        raise Forbidden("Only inspectors have a route.")
    allowed = route_days()
    day = day or allowed[0]
    if day not in allowed:
        raise Forbidden("Routes are shown for today and the next working day only.", "date")
    inspector = session.scalar(sa.select(Inspector).where(Inspector.user_id == user.id))
    if inspector is None:
        return day, []
    visits = session.scalars(
        sa.select(ScheduleVisit).join(Schedule)
        .where(ScheduleVisit.inspector_id == inspector.id, ScheduleVisit.date == day,
               Schedule.status == "published")
        .order_by(ScheduleVisit.order)
        .options(so.joinedload(ScheduleVisit.facility)))
    return day, list(visits)

"""A user's e-mail address and per-event choices (at once, daily digest, off) for the events of their role."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError, validate
from sqlalchemy.orm import Session

from inspect_app.models import NotificationPreference, User
from inspect_app.models.notification import Delivery, EventKind
from inspect_app.services.errors import InvalidInput
from inspect_app.services.notifications.events import EVENTS, EventSpec, choosable
from inspect_app.services.notifications.outbox import delivery_for


@dataclass(frozen=True)
class Choice:
    """One line of the preferences form: the event, the user's delivery now, and what they may pick."""

    spec: EventSpec
    delivery: Delivery
    allowed: tuple[Delivery, ...]


def choices(session: Session, user: User) -> list[Choice]:
    """The events of the user's role, each with its current delivery and the allowed ones."""
    return [Choice(spec, delivery_for(session, spec, user), spec.allowed_for(user.role))
            for spec in choosable(user.role)]


def save(session: Session, user: User, data: dict[str, Any]) -> User:
    """Save the address (`email`, empty for none) and choices (`prefs`: kind -> delivery); commits.

    An address that is not one, an event the user's role does not hear of, a delivery that is not one or not
    allowed (a supervisor switching off critical violations) are refused naming the field; nothing is written.
    """
    errors: dict[str, list[str]] = {}
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate.Email(error="Not a valid e-mail address.")(email)
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
        if len(email) > 254:
            errors["email"] = ["Longer than maximum length 254."]
    mine = {str(spec.kind): spec for spec in choosable(user.role)}
    wanted: dict[str, Delivery] = {}
    for kind, value in (data.get("prefs") or {}).items():
        field = f"pref_{kind}"
        if kind not in mine:
            errors[field] = ["Unknown event." if kind not in {str(k) for k in EVENTS} else
                             "This event is not sent to your role."]
            continue
        if value not in {str(d) for d in Delivery}:
            errors[field] = ["Must be one of: immediate, digest, off."]
            continue
        if Delivery(value) not in mine[kind].allowed_for(user.role):
            errors[field] = ["This event cannot be switched off for your role."]
            continue
        wanted[kind] = Delivery(value)
    if errors:
        raise InvalidInput("The notification settings were not saved.", errors=errors)
    user.email = email or None
    for kind, delivery in wanted.items():
        row = session.scalar(sa.select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
        if row is None:
            session.add(NotificationPreference(user_id=user.id, kind=kind, delivery=delivery))
        else:
            row.delivery = delivery
    session.commit()
    return user


def kinds() -> tuple[str, ...]:
    """Every event kind's code."""
    return tuple(str(kind) for kind in EventKind)

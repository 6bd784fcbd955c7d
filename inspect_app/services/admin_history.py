"""The administration history: one row per change of an account or token (who, when, what); never rewritten."""

from collections.abc import Iterator
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from exports.tabular import write_csv
from inspect_app.models import AdminEvent, User

# What the history records (labels in inspect_app/labels/, "admin_action").
ACTIONS = ("user_created", "role_changed", "region_changed", "language_changed", "deactivated", "reactivated",
           "password_changed", "password_reset_link", "temporary_password",
           "token_created", "token_revoked", "tokens_revoked", "checklist_uploaded", "checklist_activated",
           "checklist_rebased", "setting_changed")


def record(session: Session, actor: User | None, action: str, target: User | None = None, **details: Any) -> None:
    """Add one history row to the session's transaction (the caller commits it with the change it records).

    `actor` None is the command line on the server. Details hold names and values, never a secret.
    """
    assert action in ACTIONS, action
    session.add(AdminEvent(actor_id=actor.id if actor is not None else None,
                           actor_name=actor.username if actor is not None else "",
                           action=action, target_user_id=target.id if target is not None else None,
                           target_name=target.username if target is not None else "", details=details))


def history_query(q: str = "", action: str = "") -> sa.Select:
    """History rows, newest first, filtered by a username (actor or target) and an action."""
    query = sa.select(AdminEvent).order_by(AdminEvent.at.desc(), AdminEvent.id.desc())
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(AdminEvent.actor_name.ilike(like, escape="\\"),
                                   AdminEvent.target_name.ilike(like, escape="\\")))
    if action:
        query = query.where(AdminEvent.action == action)
    return query


def write_history_csv(session: Session, fp: IO[bytes], headers: dict[str, str], describe) -> int:
    """The whole history as CSV (the registry export's writer, so no cell runs as a formula in Excel).

    `headers` are the column headings and `describe(action)` the action's words, in the reader's language.
    """
    def rows() -> Iterator[dict]:
        for event in session.scalars(history_query().execution_options(yield_per=500)):
            yield {"at": event.at, "actor": event.actor_name, "action": describe(event.action),
                   "target": event.target_name, "details": event.details or None}

    columns = [(key, headers[key]) for key in ("at", "actor", "action", "target", "details")]
    return write_csv(rows(), columns, fp)

"""The administration history: who changed which account, token, checklist or setting, and when. Append-only."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class AdminEvent(db.Model):
    """One administrative change. Rows are only ever added: an UPDATE or DELETE through the ORM raises.

    The actor's and target's usernames are copied, so the line reads the same after a rename; the actor is
    None for the command line run on the server.
    """

    __tablename__ = "admin_event"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    actor_name: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    action: so.Mapped[str] = so.mapped_column(sa.String(32))
    target_user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    target_name: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    details: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)


class AppendOnly(Exception):
    """A change or deletion of a history row was attempted."""


@sa.event.listens_for(AdminEvent, "before_update")
@sa.event.listens_for(AdminEvent, "before_delete")
def _refuse_rewrite(mapper, connection, target) -> None:
    raise AppendOnly("The administration history is append-only.")

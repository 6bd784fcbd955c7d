"""Change history kept for every registry record: who changed what, and when."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from inspect_app.extensions import db
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class ChangeRecord(db.Model):
    """One change of one record: `changes` maps a field to `[old, new]`."""

    __tablename__ = "change_record"
    __table_args__ = (sa.Index("ix_change_record_entity", "entity_type", "entity_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    entity_type: so.Mapped[str] = so.mapped_column(sa.String(32))
    entity_id: so.Mapped[int] = so.mapped_column(sa.Integer)
    action: so.Mapped[str] = so.mapped_column(sa.String(16))
    changes: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)

    user: so.Mapped["User | None"] = so.relationship()  # noqa: F821

"""Each prescription item's newest event, which gives its state and deadline (the lists, the reminders)."""

import sqlalchemy as sa

from inspect_app.models import PrescriptionEvent


def newest_events() -> sa.Subquery:
    """Each item's newest event: (item_id, state, due_date, escalation, at)."""
    newest = (sa.select(PrescriptionEvent.item_id, sa.func.max(PrescriptionEvent.id).label("event_id"))
              .group_by(PrescriptionEvent.item_id).subquery())
    return (sa.select(PrescriptionEvent.item_id, PrescriptionEvent.state, PrescriptionEvent.due_date,
                      PrescriptionEvent.escalation, PrescriptionEvent.at)
            .join(newest, newest.c.event_id == PrescriptionEvent.id).subquery("latest"))

"""Recording changes as history rows."""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.models import ChangeRecord, User


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def diff(record: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of `data` whose values differ from the record's, as `{field: [old, new]}`."""
    changes = {}
    for key, new in data.items():
        old = getattr(record, key)
        if old != new:
            changes[key] = [_plain(old), _plain(new)]
    return changes


def record_change(
    session: Session,
    entity_type: str,
    entity_id: int,
    action: str,
    changes: dict[str, Any] | None = None,
    user: User | None = None,
    note: str = "",
) -> ChangeRecord:
    """Add one history row to the session (the caller commits)."""
    row = ChangeRecord(
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        changes=changes or {},
        user_id=user.id if user is not None else None,
        note=note[:500],
    )
    session.add(row)
    return row

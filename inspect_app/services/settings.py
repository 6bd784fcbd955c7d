"""Changing settings on the settings page: each change is a new row (the history), checked against the key's
range; only admins change them (`access.may_change_settings`)."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.models import Region, SettingValue, User
from inspect_app.models.setting import SPECS, current, forget_cached, stored
from inspect_app.services import access
from inspect_app.services.admin_history import record
from inspect_app.services.errors import InvalidInput


def set_value(session: Session, actor: User, key: str, raw: Any, region: Region | None = None) -> SettingValue | None:
    """Store a new value of `key` (for `region` when the key is set by region) from now on; None when it equals
    the value in force (nothing written). A value out of range is refused naming the key. Commits."""
    access.require_settings_editor(actor)
    spec = SPECS.get(key)
    if spec is None:
        raise InvalidInput("Unknown setting.", key)
    if region is not None and not spec.per_region:
        raise InvalidInput("This setting is the same in every region.", key)
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError as exc:
        raise InvalidInput("Enter a number.", key) from exc
    if spec.integer:
        if value != int(value):
            raise InvalidInput("Enter a whole number.", key)
        value = int(value)
    if not spec.minimum <= value <= spec.maximum:
        raise InvalidInput(f"Must be between {spec.minimum:g} and {spec.maximum:g}.", key)
    region_id = region.id if region is not None else None
    in_force = stored(key, region_id)
    if (in_force.value if in_force else current(key, region_id)) == value and (in_force or region is None):
        return None
    row = SettingValue(key=key, region_id=region_id, value=value, set_by_id=actor.id, set_by_name=actor.username)
    session.add(row)
    record(session, actor, "setting_changed", None, key=key, region=region.kato if region else None,
           old=in_force.value if in_force else None, new=value)
    session.commit()
    forget_cached()
    return row


def history(session: Session, limit: int = 200) -> list[SettingValue]:
    """The newest changes first."""
    return list(session.scalars(sa.select(SettingValue).order_by(SettingValue.id.desc()).limit(limit)))

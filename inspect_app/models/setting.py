"""Settings a ministry changes without a release: one row per change, never rewritten; the newest row of a key
(and region) is the value in force, else the built-in default in config.py.

The value is read when work is done (a schedule built, a check-in made, a violation's deadline fixed), so a
change applies to later work only and never rewrites a record. The reader lives here, beside its table, so
that the access module (the route release rule), which reads models only, may ask it too.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_request_context, request

from inspect_app.extensions import db
from inspect_app.models.admin_event import AppendOnly
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class SettingValue(db.Model):
    """A setting's value from `set_at` on, nationally (`region_id` None) or for one region."""

    __tablename__ = "setting_value"
    __table_args__ = (sa.Index("ix_setting_value_key_region", "key", "region_id", "id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(48))
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"))
    value: so.Mapped[Any] = so.mapped_column(sa.JSON)
    set_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    set_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    set_by_name: so.Mapped[str] = so.mapped_column(sa.String(64), default="")


@sa.event.listens_for(SettingValue, "before_update")
@sa.event.listens_for(SettingValue, "before_delete")
def _refuse_rewrite(mapper, connection, target) -> None:
    raise AppendOnly("A setting's history is append-only: a change is a new row.")


@dataclass(frozen=True)
class Spec:
    """One setting: its range, whether a region may have its own value, and its default in config.py."""

    key: str
    minimum: float
    maximum: float
    integer: bool
    per_region: bool
    default: Any  # a callable taking the app config


SPECS = {s.key: s for s in (
    Spec("interval_high_days", 7, 3650, True, False, lambda c: c["INSPECTION_INTERVAL_DAYS"]["high"]),
    Spec("interval_medium_days", 7, 3650, True, False, lambda c: c["INSPECTION_INTERVAL_DAYS"]["medium"]),
    Spec("interval_low_days", 7, 3650, True, False, lambda c: c["INSPECTION_INTERVAL_DAYS"]["low"]),
    Spec("route_release_hour", 0, 23, True, True, lambda c: c["ROUTE_RELEASE_HOUR"]),
    Spec("route_evening_release_hour", 0, 23, True, True, lambda c: c["ROUTE_EVENING_RELEASE_HOUR"]),
    Spec("checkin_max_distance_m", 10, 100_000, True, False, lambda c: c["CHECKIN_MAX_DISTANCE_M"]),
    Spec("schedule_fill", 0, 1, False, False, lambda c: c["SCHEDULE_FILL"]),
    Spec("deadline_critical_days", 1, 365, True, False, lambda c: c["AUDIT_DEADLINE_DAYS"]["critical"]),
    Spec("deadline_major_days", 1, 365, True, False, lambda c: c["AUDIT_DEADLINE_DAYS"]["major"]),
    Spec("deadline_minor_days", 1, 365, True, False, lambda c: c["AUDIT_DEADLINE_DAYS"]["minor"]),
    Spec("prescription_min_days", 1, 365, True, False, lambda c: c["PRESCRIPTION_MIN_DAYS"]),
)}


def stored(key: str, region_id: int | None) -> SettingValue | None:
    """The newest row of a key for exactly this region (None: the national value)."""
    where = SettingValue.region_id.is_(None) if region_id is None else SettingValue.region_id == region_id
    return db.session.scalar(sa.select(SettingValue).where(SettingValue.key == key, where)
                             .order_by(SettingValue.id.desc()).limit(1))


def current(key: str, region_id: int | None = None) -> Any:
    """The value in force: the region's own (for per-region keys), the national one, else the default.

    One query (the region's newest row before the national newest), cached for the rest of the request.
    """
    spec = SPECS[key]
    cache = request.environ.setdefault("tekseru.settings", {}) if has_request_context() else {}
    region_id = region_id if spec.per_region else None
    ident = (key, region_id)
    if ident not in cache:
        scope = SettingValue.region_id.is_(None)
        if region_id is not None:
            scope = sa.or_(scope, SettingValue.region_id == region_id)
        row = db.session.scalar(sa.select(SettingValue).where(SettingValue.key == key, scope)
                                .order_by(SettingValue.region_id.is_(None), SettingValue.id.desc()).limit(1))
        cache[ident] = row.value if row is not None else spec.default(current_app.config)
    return cache[ident]


def forget_cached() -> None:
    """Drop this request's cached values (after a change)."""
    if has_request_context():
        request.environ.pop("tekseru.settings", None)


def intervals() -> dict[str, int]:
    """Days between routine inspections by risk category, in force now."""
    return {risk: int(current(f"interval_{risk}_days")) for risk in ("high", "medium", "low")}


def deadlines() -> dict[str, int]:
    """Days to correct a violation by severity, in force now."""
    return {sev: int(current(f"deadline_{sev}_days")) for sev in ("critical", "major", "minor")}

"""The deployment's configuration as services read it: one frozen value built from the app's config once.

`create_app` builds it (`Runtime.from_config`) and keeps it on the app; the pages, the API, the CLI and the
job runners take it from there (`inspect_app.runtime.current_runtime()`) and pass it to the services that
need it, so no service reads the Flask application's config (an import-linter contract keeps it so). Settings a
ministry changes without a release are not here: they are data, read through `inspect_app.models.setting`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy, nested mappings included, so the Runtime cannot be changed through a dict it holds."""
    return MappingProxyType({k: _frozen(v) if isinstance(v, Mapping) else v for k, v in (value or {}).items()})


@dataclass(frozen=True)
class Runtime:
    """What this deployment's config says to the services (environment values, not ministry settings)."""

    public_base_url: str = "http://127.0.0.1:5000"
    upload_dir: str = "instance/uploads"
    photo_max_bytes: int = 8 * 1024 * 1024
    stats_cache_seconds: int = 0
    # The scheduler: working week, travel rule, the problem's weights, solve limits.
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    calendar_type_rules: Mapping[str, Mapping[str, bool]] = field(default_factory=lambda: _frozen({}))
    travel_speed_kmh: float = 40.0
    road_factor: float = 1.3
    optional_weights: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    priority: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    inspection_interval_days: Mapping[str, int] = field(default_factory=lambda: _frozen({}))
    schedule_fill: float = 0.5
    schedule_time_limit: float = 30.0
    schedule_processes: int = 1
    schedule_wall_clock_cap: bool = True
    capacity_fill: float = 0.85
    capacity_sample_time_limit: float = 3.0
    capacity_whatif_time_limit: float = 10.0
    # Background jobs: where they run and how a dead runner is recognised.
    redis_url: str = ""
    rq_queue: str = "tekseru"
    jobs_inline: bool = False
    job_heartbeat_seconds: float = 10.0
    job_dead_after_seconds: float = 60.0
    job_task_modules: tuple[str, ...] = ()
    # How a job runs in a thread of this app when there is neither Redis nor JOBS_INLINE (set by create_app).
    run_in_thread: Callable[[str], None] | None = field(default=None, compare=False, repr=False)

    @property
    def travel(self) -> dict[str, float]:
        """The travel rule as the scheduler's problem takes it."""
        return {"speed_kmh": self.travel_speed_kmh, "road_factor": self.road_factor}

    @property
    def distributes_jobs(self) -> bool:
        """Jobs go to RQ workers (a Redis URL and not inline)."""
        return bool(self.redis_url) and not self.jobs_inline

    @classmethod
    def from_config(cls, config: Mapping[str, Any],
                    run_in_thread: Callable[[str], None] | None = None) -> Runtime:
        """The Runtime of an app's config (a Flask `app.config` or any mapping with the same keys)."""
        travel = config.get("SCHEDULE_TRAVEL") or {}
        return cls(
            public_base_url=str(config.get("PUBLIC_BASE_URL", cls.public_base_url)),
            upload_dir=str(config.get("UPLOAD_DIR", cls.upload_dir)),
            photo_max_bytes=int(config.get("PHOTO_MAX_BYTES", cls.photo_max_bytes)),
            stats_cache_seconds=int(config.get("STATS_CACHE_SECONDS") or 0),
            workdays=tuple(config.get("SCHEDULE_WORKDAYS", cls.workdays)),
            calendar_type_rules=_frozen(config.get("CALENDAR_TYPE_RULES")),
            travel_speed_kmh=float(travel.get("speed_kmh", cls.travel_speed_kmh)),
            road_factor=float(travel.get("road_factor", cls.road_factor)),
            optional_weights=_frozen(config.get("SCHEDULE_OPTIONAL_WEIGHTS")),
            priority=_frozen(config.get("SCHEDULE_PRIORITY")),
            inspection_interval_days=_frozen(config.get("INSPECTION_INTERVAL_DAYS")),
            schedule_fill=float(config.get("SCHEDULE_FILL", cls.schedule_fill)),
            schedule_time_limit=float(config.get("SCHEDULE_TIME_LIMIT", cls.schedule_time_limit)),
            schedule_processes=int(config.get("SCHEDULE_PROCESSES", cls.schedule_processes)),
            schedule_wall_clock_cap=bool(config.get("SCHEDULE_WALL_CLOCK_CAP", True)),
            capacity_fill=float(config.get("CAPACITY_FILL", cls.capacity_fill)),
            capacity_sample_time_limit=float(config.get("CAPACITY_SAMPLE_TIME_LIMIT", cls.capacity_sample_time_limit)),
            capacity_whatif_time_limit=float(config.get("CAPACITY_WHATIF_TIME_LIMIT", cls.capacity_whatif_time_limit)),
            redis_url=str(config.get("REDIS_URL") or ""),
            rq_queue=str(config.get("RQ_QUEUE", cls.rq_queue)),
            jobs_inline=bool(config.get("JOBS_INLINE")),
            job_heartbeat_seconds=float(config.get("JOB_HEARTBEAT_SECONDS") or 10),
            job_dead_after_seconds=float(config.get("JOB_DEAD_AFTER_SECONDS") or 60),
            job_task_modules=tuple(config.get("JOB_TASK_MODULES", ())),
            run_in_thread=run_in_thread,
        )

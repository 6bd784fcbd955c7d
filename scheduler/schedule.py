"""Schedule dataclasses and their JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .commitment import VOLATILE_STATS  # noqa: F401 (its home was here)
from .problem import format_hhmm, read_json_file


@dataclass(frozen=True)
class Stop:
    """One visit: facility id and start/end minutes after midnight."""

    facility: str
    start: int
    end: int


@dataclass(frozen=True)
class Route:
    """One inspector-day: leave home, visit the stops in order, come back."""

    inspector: str
    date: str
    depart: int
    ret: int
    stops: tuple[Stop, ...]
    travel_km: float


@dataclass(frozen=True)
class Unscheduled:
    """A must-visit facility that could not be placed, and why."""

    facility: str
    reason: str


@dataclass
class Schedule:
    """A full schedule for one problem and seed."""

    seed: int
    problem_sha256: str
    routes: list[Route]
    unscheduled: list[Unscheduled]
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict in the documented schedule format."""
        return {
            "seed": self.seed,
            "problem_sha256": self.problem_sha256,
            "routes": [
                {
                    "inspector": r.inspector,
                    "date": r.date,
                    "depart": format_hhmm(r.depart),
                    "return": format_hhmm(r.ret),
                    "stops": [{"facility": s.facility, "start": format_hhmm(s.start),
                               "end": format_hhmm(s.end)} for s in r.stops],
                    "travel_km": r.travel_km,
                }
                for r in self.routes
            ],
            "unscheduled": [{"facility": u.facility, "reason": u.reason} for u in self.unscheduled],
            "stats": dict(self.stats),
        }

    def to_json(self) -> str:
        """Pretty JSON text (stable key order)."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"


class ScheduleError(ValueError):
    """A malformed schedule file."""


def _hhmm(value: Any, where: str) -> int:
    from .problem import ProblemError, parse_hhmm

    try:
        return parse_hhmm(value, where)
    except ProblemError as exc:
        raise ScheduleError(str(exc)) from None


def schedule_from_dict(data: Any) -> Schedule:
    """Parse a schedule dict (structure only; rules are checked by the validator)."""
    if not isinstance(data, dict):
        raise ScheduleError("schedule: expected an object")
    for key in ("seed", "problem_sha256", "routes", "unscheduled"):
        if key not in data:
            raise ScheduleError(f"schedule.{key}: missing required field")
    if isinstance(data["seed"], bool) or not isinstance(data["seed"], int):
        raise ScheduleError("schedule.seed: expected a JSON integer")
    if not isinstance(data["problem_sha256"], str):
        raise ScheduleError("schedule.problem_sha256: expected a string")
    if not isinstance(data["routes"], list):
        raise ScheduleError("schedule.routes: expected a list")
    routes = []
    for k, r in enumerate(data["routes"]):
        where = f"routes[{k}]"
        if not isinstance(r, dict):
            raise ScheduleError(f"{where}: expected an object")
        for key in ("inspector", "date", "depart", "return", "stops", "travel_km"):
            if key not in r:
                raise ScheduleError(f"{where}.{key}: missing required field")
        if not isinstance(r["inspector"], str) or not isinstance(r["date"], str):
            raise ScheduleError(f"{where}: inspector and date must be strings")
        km = r["travel_km"]
        if isinstance(km, bool) or not isinstance(km, (int, float)):
            raise ScheduleError(f"{where}.travel_km: expected a number")
        if not isinstance(r["stops"], list):
            raise ScheduleError(f"{where}.stops: expected a list")
        stops = []
        for j, s in enumerate(r["stops"]):
            sw = f"{where}.stops[{j}]"
            if not isinstance(s, dict) or not isinstance(s.get("facility"), str):
                raise ScheduleError(f"{sw}: expected an object with a facility id")
            for key in ("start", "end"):
                if key not in s:
                    raise ScheduleError(f"{sw}.{key}: missing required field")
            stops.append(Stop(s["facility"], _hhmm(s["start"], f"{sw}.start"), _hhmm(s["end"], f"{sw}.end")))
        routes.append(Route(r["inspector"], r["date"], _hhmm(r["depart"], f"{where}.depart"),
                            _hhmm(r["return"], f"{where}.return"), tuple(stops), float(km)))
    if not isinstance(data["unscheduled"], list):
        raise ScheduleError("schedule.unscheduled: expected a list")
    unscheduled = []
    for k, u in enumerate(data["unscheduled"]):
        if not isinstance(u, dict) or not isinstance(u.get("facility"), str) \
                or not isinstance(u.get("reason"), str):
            raise ScheduleError(f"unscheduled[{k}]: expected {{facility, reason}} strings")
        unscheduled.append(Unscheduled(u["facility"], u["reason"]))
    stats = data.get("stats", {})
    if not isinstance(stats, dict):
        raise ScheduleError("schedule.stats: expected an object")
    return Schedule(data["seed"], data["problem_sha256"], routes, unscheduled, dict(stats))


def load_schedule(path: str) -> Schedule:
    """Read a schedule JSON file (errors are ScheduleError)."""
    return schedule_from_dict(read_json_file(path, ScheduleError))

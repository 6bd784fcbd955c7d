"""Problem dataclasses and strict parsing of the problem JSON.

Every error is a :class:`ProblemError` whose message starts with the JSON path of the
offending field, with the facility or inspector id when known, e.g.
``facilities[3] (F17).windows[0].from: expected HH:MM``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from .commitment import canonical_json, problem_sha256  # noqa: F401 (their home was here)

_HHMM = re.compile(r"^([0-9]{2}):([0-9]{2})$")

TOP_KEYS = {"dates", "travel", "facilities", "inspectors", "skills", "fill", "meta"}
FACILITY_KEYS = {
    "id", "lat", "lon", "service_minutes", "skills", "windows", "dates", "must_visit",
    "weight", "priority", "excluded_inspectors", "region", "kind", "name",
}
INSPECTOR_KEYS = {
    "id", "lat", "lon", "skills", "day_start", "day_end", "max_visits_per_day",
    "max_minutes_per_day", "unavailable_dates", "region", "name",
}


class ProblemError(ValueError):
    """A malformed problem; the message names the field and the facility or inspector."""


@dataclass(frozen=True)
class TimeWindow:
    """Opening window in minutes after midnight; a visit lies wholly inside one window."""

    start: int
    end: int


@dataclass(frozen=True)
class Travel:
    """Travel rule parameters: minutes = ceil(km * road_factor / speed_kmh * 60)."""

    speed_kmh: float
    road_factor: float


@dataclass(frozen=True)
class Facility:
    """A facility that may be inspected in the horizon."""

    id: str
    lat: float
    lon: float
    service_minutes: int
    skills: tuple[str, ...]
    windows: tuple[TimeWindow, ...]
    dates: tuple[str, ...]
    must_visit: bool
    weight: float
    excluded_inspectors: tuple[str, ...]
    region: str | None = None
    priority: float = 1.0
    kind: str | None = None       # informative (the fairness stats group by it)


@dataclass(frozen=True)
class Inspector:
    """An inspector; every working day starts and ends at the home base."""

    id: str
    lat: float
    lon: float
    skills: tuple[str, ...]
    day_start: int
    day_end: int
    max_visits_per_day: int
    max_minutes_per_day: int
    unavailable_dates: tuple[str, ...]
    region: str | None = None


@dataclass(frozen=True)
class Problem:
    """A parsed, validated problem plus the sha256 of its canonical JSON."""

    dates: tuple[str, ...]
    travel: Travel
    facilities: tuple[Facility, ...]
    inspectors: tuple[Inspector, ...]
    sha256: str
    fill: float | None = None   # share of spare capacity for optional visits (None: the legacy lottery)


def parse_hhmm(text: Any, where: str) -> int:
    """Minutes after midnight for 'HH:MM' (00:00..24:00)."""
    if not isinstance(text, str) or not _HHMM.match(text):
        raise ProblemError(f"{where}: expected HH:MM, got {text!r}")
    h, m = int(text[:2]), int(text[3:])
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise ProblemError(f"{where}: expected HH:MM between 00:00 and 24:00, got {text!r}")
    return h * 60 + m


def format_hhmm(minutes: int) -> str:
    """'HH:MM' for minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ProblemError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _integer(value: Any, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(f"{where}: expected a JSON integer, got {value!r}")
    if value < minimum:
        raise ProblemError(f"{where}: must be >= {minimum}, got {value}")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ProblemError(f"{where}: expected a list, got {type(value).__name__}")
    return value


def _obj(value: Any, where: str, allowed: set[str], required: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ProblemError(f"{where}: expected an object, got {type(value).__name__}")
    for key in value:
        if key not in allowed:
            raise ProblemError(f"{where}.{key}: unknown field")
    for key in required:
        if key not in value:
            raise ProblemError(f"{where}.{key}: missing required field")
    return value


def _lat_lon(obj: dict, where: str) -> tuple[float, float]:
    lat = _number(obj["lat"], f"{where}.lat")
    lon = _number(obj["lon"], f"{where}.lon")
    if not -90.0 <= lat <= 90.0:
        raise ProblemError(f"{where}.lat: must be within -90..90, got {lat}")
    if not -180.0 <= lon <= 180.0:
        raise ProblemError(f"{where}.lon: must be within -180..180, got {lon}")
    return lat, lon


def _skills(value: Any, where: str, vocabulary: set[str] | None) -> tuple[str, ...]:
    out = []
    for k, s in enumerate(_list(value, where)):
        s = _string(s, f"{where}[{k}]")
        if vocabulary is not None and s not in vocabulary:
            raise ProblemError(f"{where}[{k}]: unknown skill {s!r} (not in top-level skills)")
        if s in out:
            raise ProblemError(f"{where}[{k}]: duplicate skill {s!r}")
        out.append(s)
    return tuple(out)


def _dates_in(value: Any, where: str, horizon: set[str]) -> tuple[str, ...]:
    out = []
    for k, d in enumerate(_list(value, where)):
        if not isinstance(d, str) or d not in horizon:
            raise ProblemError(f"{where}[{k}]: {d!r} is not a date of the horizon")
        if d in out:
            raise ProblemError(f"{where}[{k}]: duplicate date {d!r}")
        out.append(d)
    return tuple(sorted(out))


def _parse_dates(value: Any) -> tuple[str, ...]:
    dates = _list(value, "dates")
    if not dates:
        raise ProblemError("dates: the horizon needs at least one date")
    seen = set()
    for k, d in enumerate(dates):
        try:
            if not isinstance(d, str) or dt.date.fromisoformat(d).isoformat() != d:
                raise ValueError
        except ValueError:
            raise ProblemError(f"dates[{k}]: expected YYYY-MM-DD, got {d!r}") from None
        if d in seen:
            raise ProblemError(f"dates[{k}]: duplicate date {d!r}")
        seen.add(d)
    if list(dates) != sorted(dates):
        raise ProblemError("dates: must be in increasing order")
    return tuple(dates)


def _parse_travel(value: Any) -> Travel:
    obj = _obj(value, "travel", {"speed_kmh", "road_factor"}, ("speed_kmh", "road_factor"))
    speed = _number(obj["speed_kmh"], "travel.speed_kmh")
    factor = _number(obj["road_factor"], "travel.road_factor")
    if speed <= 0:
        raise ProblemError("travel.speed_kmh: must be > 0")
    if factor < 1.0:
        raise ProblemError("travel.road_factor: must be >= 1")
    return Travel(speed, factor)


def _parse_inspector(k: int, obj: Any, horizon: set[str], vocab: set[str] | None) -> Inspector:
    where = f"inspectors[{k}]"
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        where = f"inspectors[{k}] ({obj['id']})"
    required = ("id", "lat", "lon", "skills", "day_start", "day_end", "max_visits_per_day",
                "max_minutes_per_day")
    obj = _obj(obj, where, INSPECTOR_KEYS, required)
    iid = _string(obj["id"], f"{where}.id")
    lat, lon = _lat_lon(obj, where)
    start = parse_hhmm(obj["day_start"], f"{where}.day_start")
    end = parse_hhmm(obj["day_end"], f"{where}.day_end")
    if end <= start:
        raise ProblemError(f"{where}.day_end: must be after day_start")
    region = obj.get("region")
    if region is not None:
        region = _string(region, f"{where}.region")
    return Inspector(
        id=iid, lat=lat, lon=lon,
        skills=_skills(obj["skills"], f"{where}.skills", vocab),
        day_start=start, day_end=end,
        max_visits_per_day=_integer(obj["max_visits_per_day"], f"{where}.max_visits_per_day", 1),
        max_minutes_per_day=_integer(obj["max_minutes_per_day"], f"{where}.max_minutes_per_day", 1),
        unavailable_dates=_dates_in(obj.get("unavailable_dates", []), f"{where}.unavailable_dates",
                                    horizon),
        region=region,
    )


def _parse_windows(value: Any, where: str) -> tuple[TimeWindow, ...]:
    windows = _list(value, where)
    if not windows:
        raise ProblemError(f"{where}: needs at least one window")
    out = []
    for k, w in enumerate(windows):
        w = _obj(w, f"{where}[{k}]", {"from", "to"}, ("from", "to"))
        a = parse_hhmm(w["from"], f"{where}[{k}].from")
        b = parse_hhmm(w["to"], f"{where}[{k}].to")
        if b <= a:
            raise ProblemError(f"{where}[{k}].to: must be after from")
        out.append(TimeWindow(a, b))
    out.sort(key=lambda w: w.start)
    for a, b in zip(out, out[1:]):
        if b.start < a.end:
            raise ProblemError(f"{where}: windows overlap")
    return tuple(out)


def _parse_facility(k: int, obj: Any, dates: tuple[str, ...], horizon: set[str],
                    vocab: set[str] | None, inspector_ids: set[str]) -> Facility:
    where = f"facilities[{k}]"
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        where = f"facilities[{k}] ({obj['id']})"
    obj = _obj(obj, where, FACILITY_KEYS, ("id", "lat", "lon", "service_minutes", "skills", "windows"))
    fid = _string(obj["id"], f"{where}.id")
    lat, lon = _lat_lon(obj, where)
    must = obj.get("must_visit", False)
    if not isinstance(must, bool):
        raise ProblemError(f"{where}.must_visit: expected true or false, got {must!r}")
    weight = _number(obj.get("weight", 1.0), f"{where}.weight")
    if weight <= 0:
        raise ProblemError(f"{where}.weight: must be > 0")
    priority = _number(obj.get("priority", 1.0), f"{where}.priority")
    if priority <= 0:
        raise ProblemError(f"{where}.priority: must be > 0, got {priority:g}")
    fdates = dates
    if "dates" in obj:
        fdates = _dates_in(obj["dates"], f"{where}.dates", horizon)
        if not fdates:
            raise ProblemError(f"{where}.dates: empty; omit the field to allow every date")
    excluded = []
    for j, iid in enumerate(_list(obj.get("excluded_inspectors", []), f"{where}.excluded_inspectors")):
        if iid not in inspector_ids:
            raise ProblemError(f"{where}.excluded_inspectors[{j}]: unknown inspector {iid!r}")
        excluded.append(iid)
    region = obj.get("region")
    if region is not None:
        region = _string(region, f"{where}.region")
    kind = obj.get("kind")
    if kind is not None:
        kind = _string(kind, f"{where}.kind")
    return Facility(
        id=fid, lat=lat, lon=lon,
        service_minutes=_integer(obj["service_minutes"], f"{where}.service_minutes", 1),
        skills=_skills(obj["skills"], f"{where}.skills", vocab),
        windows=_parse_windows(obj["windows"], f"{where}.windows"),
        dates=fdates, must_visit=must, weight=weight,
        excluded_inspectors=tuple(excluded), region=region, priority=priority, kind=kind,
    )


def _unique_ids(items: tuple, where: str, what: str) -> set[str]:
    """The ids of parsed inspectors or facilities; a repeated one is an error naming its place."""
    ids: set[str] = set()
    for k, item in enumerate(items):
        if item.id in ids:
            raise ProblemError(f"{where}[{k}] ({item.id}).id: duplicate {what} id")
        ids.add(item.id)
    return ids


def parse_problem(data: Any) -> Problem:
    """Validate a problem JSON dict and build the frozen :class:`Problem`."""
    obj = _obj(data, "problem", TOP_KEYS, ("dates", "travel", "facilities", "inspectors"))
    dates = _parse_dates(obj["dates"])
    horizon = set(dates)
    travel = _parse_travel(obj["travel"])
    vocab = None
    if "skills" in obj:
        vocab = set(_skills(obj["skills"], "skills", None))
    inspectors = tuple(_parse_inspector(k, o, horizon, vocab)
                       for k, o in enumerate(_list(obj["inspectors"], "inspectors")))
    ids = _unique_ids(inspectors, "inspectors", "inspector")
    facilities = tuple(_parse_facility(k, o, dates, horizon, vocab, ids)
                       for k, o in enumerate(_list(obj["facilities"], "facilities")))
    _unique_ids(facilities, "facilities", "facility")
    fill = None
    if "fill" in obj:
        fill = _number(obj["fill"], "fill")
        if not 0.0 <= fill <= 1.0:
            raise ProblemError(f"fill: must be within 0..1, got {fill:g}")
    try:
        sha256 = problem_sha256(data)
    except ValueError as exc:  # a NaN or infinity where no field is read (meta), which JSON cannot carry
        raise ProblemError(f"problem: {exc}") from exc
    return Problem(dates, travel, facilities, inspectors, sha256, fill)


def read_json_file(path: str, error: type[ValueError]) -> Any:
    """The JSON document of a file; an unreadable file or invalid JSON raises `error` naming the path."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}: not valid JSON ({exc})") from None


def load_problem(path: str) -> Problem:
    """Read and parse a problem JSON file (errors are ProblemError)."""
    return parse_problem(read_json_file(path, ProblemError))

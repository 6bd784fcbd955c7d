"""What the review page says about capacity: unscheduled facilities by reason, and the share used.

Pure functions over the engine's problem and schedule dicts (no database), so the review page, the API
and the year benchmark read the same figures.
"""

from __future__ import annotations

import math
from typing import Any

# The engine's unscheduled reasons by what a supervisor can do about them; the first matching word wins.
REASON_GROUPS = (
    ("capacity", ("capacity", "not drawn", "shortage", "priority")),
    ("too_far", ("too far",)),
    ("skills", ("skills",)),
    ("conflict", ("conflict of interest",)),
    ("window", ("opening window",)),
    ("dates", ("no date",)),
    ("removed", ("removed by a supervisor",)),
    ("absence", ("absent", "absence")),
)
# Groups that more inspector-days would place (the others need another inspector, skill or date).
DAY_GROUPS = ("capacity", "dates", "absence")


def reason_group(reason: str) -> str:
    """The group of an engine reason ("other" when it names none of the known causes)."""
    text = reason.lower()
    for group, words in REASON_GROUPS:
        if any(w in text for w in words):
            return group
    return "other"


def visits_per_day(problem: dict[str, Any], schedule: dict[str, Any]) -> float:
    """Visits an inspector-day holds in this schedule (its own average; the inspectors' limit if empty)."""
    routes = [r for r in schedule.get("routes", []) if r["stops"]]
    if routes:
        return sum(len(r["stops"]) for r in routes) / len(routes)
    limits = [i.get("max_visits_per_day", 4) for i in problem.get("inspectors", [])]
    return sum(limits) / len(limits) if limits else 4.0


def unscheduled_groups(problem: dict[str, Any], schedule: dict[str, Any]) -> list[dict[str, Any]]:
    """Unscheduled must-visits grouped by reason: [{"group", "count", "facilities": [ids], "days"}].

    `days` is how many more inspector-days would place the group (None when days would not help),
    at the schedule's own visits per inspector-day. Largest groups first.
    """
    groups: dict[str, list[str]] = {}
    for item in schedule.get("unscheduled", []):
        groups.setdefault(reason_group(item["reason"]), []).append(item["facility"])
    per_day = visits_per_day(problem, schedule)
    out = []
    for group, ids in groups.items():
        days = math.ceil(len(ids) / per_day) if group in DAY_GROUPS and per_day > 0 else None
        out.append({"group": group, "count": len(ids), "facilities": ids, "days": days})
    return sorted(out, key=lambda g: (-g["count"], g["group"]))


def capacity_use(problem: dict[str, Any], schedule: dict[str, Any]) -> dict[str, Any]:
    """Inspector-day capacity in visits (available inspector-days x visits per day) and the shares used."""
    dates = problem.get("dates", [])
    must = {f["id"] for f in problem.get("facilities", []) if f.get("must_visit")}
    inspector_days = 0
    capacity = 0
    for ins in problem.get("inspectors", []):
        free = len([d for d in dates if d not in set(ins.get("unavailable_dates", []))])
        inspector_days += free
        capacity += free * int(ins.get("max_visits_per_day", 4))
    routed = [s["facility"] for r in schedule.get("routes", []) for s in r["stops"]]
    n_must = sum(1 for f in routed if f in must)
    n_extra = len(routed) - n_must
    used_days = len([r for r in schedule.get("routes", []) if r["stops"]])

    def share(n: int) -> float:
        return round(n / capacity, 3) if capacity else 0.0

    return {"inspector_days": inspector_days, "inspector_days_used": used_days, "capacity_visits": capacity,
            "must_visits": n_must, "extra_visits": n_extra, "must_share": share(n_must),
            "extra_share": share(n_extra), "free_share": round(max(0.0, 1 - share(n_must) - share(n_extra)), 3),
            "fill": problem.get("fill")}

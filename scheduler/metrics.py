"""Unpredictability metrics over schedules built with different seeds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .schedule import Schedule


def days_per_facility(schedules: Iterable[Schedule | dict]) -> dict[str, list[str]]:
    """Facility id -> the dates it is visited on, one entry per schedule that routes it."""
    out: dict[str, list[str]] = {}
    for sched in schedules:
        data = sched.to_dict() if isinstance(sched, Schedule) else sched
        for route in data["routes"]:
            for stop in route["stops"]:
                out.setdefault(stop["facility"], []).append(route["date"])
    return out


def modal_date_share(schedules: list[Schedule | dict], facility_ids: Iterable[str]) -> float:
    """Mean over facilities of the share of schedules putting it on its most frequent date.

    The denominator is the number of schedules, so a facility left unscheduled by some
    seeds counts those seeds as "not on the modal date". A fixed order scores 1.0; uniform
    dates over D days and S seeds score about max-of-S-draws / S (about 0.15 for 22 days,
    20 seeds). Lower is less predictable.
    """
    days = days_per_facility(schedules)
    ids = list(facility_ids)
    if not ids or not schedules:
        return 0.0
    total = 0.0
    for fid in ids:
        seen = days.get(fid, [])
        total += (Counter(seen).most_common(1)[0][1] if seen else 0) / len(schedules)
    return total / len(ids)

"""Urgent visits (a complaint, an incident): feasible insertions before a deadline, best first.

Each option puts the facility into one inspector-day before the deadline, with the extra road km and
the visit it displaces when a stop must give way (optional visits and must-visits of the urgent
facility's priority class or lower: the urgent visit counts as a must-visit of its class). Only the
receiving route (and the facility's old route, if it was already planned) change; the resulting
schedule is re-timed with the canonical rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .eligibility import Instance
from .insertion import Insertion, best_insertion, best_replacement, eligible_days
from .priority import importance, priority_class
from .problem import Problem, format_hhmm, parse_hhmm, parse_problem
from .repair import rebuild, routes_of
from .timing import Legs, indexes

REASON_DISPLACED = "displaced by the urgent visit to {facility}"


@dataclass(frozen=True)
class InsertionOption:
    """One way to make the urgent visit: who, when, what it costs, and the schedule it gives."""

    inspector: str
    date: str
    start: str
    extra_km: float
    displaced: tuple[str, ...]
    schedule: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"inspector": self.inspector, "date": self.date, "start": self.start,
                "extra_km": self.extra_km, "displaced": list(self.displaced), "schedule": self.schedule}


def _moment(value: str, name: str) -> tuple[str, int]:
    """('YYYY-MM-DD', minutes) of 'YYYY-MM-DDTHH:MM' (local time of the problem's dates)."""
    try:
        date, hhmm = value.split("T")
        dt.date.fromisoformat(date)
        return date, parse_hhmm(hhmm, name)
    except (AttributeError, ValueError) as exc:
        raise ValueError(f"{name}: expected YYYY-MM-DDTHH:MM, got {value!r}") from exc


def insertion_options(problem: Problem | dict, schedule: dict[str, Any], facility_id: str, deadline: str,
                      earliest: str | None = None, limit: int = 5, displace: bool = True) -> list[InsertionOption]:
    """Feasible insertions of an urgent visit starting no later than `deadline`, best first.

    Args:
        problem: the schedule's problem (parsed or JSON); the facility must be in it.
        schedule: the schedule dict (not changed).
        facility_id: the facility to visit.
        deadline: latest start, 'YYYY-MM-DDTHH:MM'.
        earliest: earliest start ('YYYY-MM-DDTHH:MM', e.g. now); default the horizon's start.
        limit: options returned (at most one per inspector-day).
        displace: also offer days where one lower-class visit gives way.
    Returns:
        options sorted by (visits displaced, extra km, date, inspector).
    """
    p = problem if isinstance(problem, Problem) else parse_problem(problem)
    fidx, _ = indexes(p)
    if facility_id not in fidx:
        raise ValueError(f"unknown facility {facility_id!r}")
    f = fidx[facility_id]
    last_date, last_min = _moment(deadline, "deadline")
    first_date, first_min = _moment(earliest, "earliest") if earliest else (p.dates[0], 0)
    inst, legs = Instance(p), Legs(p)
    routes = routes_of(p, schedule)
    changed = set()
    for day, seq in routes.items():
        if f in seq:
            seq.remove(f)
            changed.add(day)
    dates = [d for d, date in enumerate(p.dates) if first_date <= date <= last_date]

    def start_ok(day, start: int) -> bool:
        date = p.dates[day[1]]
        return (date != last_date or start <= last_min) and (date != first_date or start >= first_min)

    # An urgent visit counts as a must-visit of its class, whatever the problem says about this horizon.
    rank = (1, priority_class(p.facilities[f].priority))
    options: list[tuple[tuple, Insertion]] = []
    for day in eligible_days(inst, f, range(len(p.inspectors)), dates):
        ins = best_insertion(p, legs, routes, f, [day], start_ok=start_ok)
        if ins is None and displace and routes.get(day):
            ins = best_replacement(p, legs, routes, f, [day], lambda g: importance(p.facilities[g]) <= rank and g != f,
                                   start_ok=start_ok)
        if ins is not None:
            options.append(((bool(ins.replaced), round(ins.extra_km, 3), day[1], day[0]), ins))
    options.sort(key=lambda x: x[0])
    out = []
    for _, ins in options[:limit]:
        new_routes = dict(routes)
        new_routes[ins.day] = list(ins.seq)
        displaced = list(ins.replaced)
        waiting = [{"facility": p.facilities[g].id, "reason": REASON_DISPLACED.format(facility=facility_id)}
                   for g in displaced if p.facilities[g].must_visit]
        new = rebuild(p, schedule, new_routes, changed | {ins.day}, legs, waiting)
        out.append(InsertionOption(p.inspectors[ins.day[0]].id, p.dates[ins.day[1]], format_hhmm(ins.start),
                                   round(ins.extra_km, 1), tuple(p.facilities[g].id for g in displaced), new))
    return out

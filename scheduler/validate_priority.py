"""The priority rule, checked independently of the solver.

A must-visit's class is the integer part of its `priority` (0 below 1). Rule "priority": no must-visit
left unscheduled for lack of capacity (its reason starts with "capacity": the engine's claim that
everything was full; a visit removed by hand or displaced on purpose is not checked) of class c could
have taken the place of a routed visit of a lower class (or of an optional
visit) in that visit's route: same inspector-day, every other stop kept in order, the facility inserted
at any position. Feasibility is checked conservatively (earliest starts from day_start, leaving home
just in time for the first stop), so a flagged case is always a real one.
"""

from __future__ import annotations

import math


def _class(fac) -> int:
    return max(0, math.floor(fac.priority)) if fac.must_visit else -1


def _feasible(c, ins, date: str, facs: list) -> bool:
    """Can `ins` visit `facs` in this order on `date` (windows, travel, working day, visits, minutes)?"""
    if len(facs) > ins.max_visits_per_day:
        return False
    t, prev, depart = ins.day_start, ins, None
    for fac in facs:
        minutes = c.leg(prev, fac)[0]
        arrive = t + minutes
        start = None
        for w in fac.windows:
            s = max(arrive, w.start)
            if s + fac.service_minutes <= w.end:
                start = s
                break
        if start is None:
            return False
        if depart is None:
            depart = start - minutes
        t, prev = start + fac.service_minutes, fac
    ret = t + c.leg(prev, ins)[0]
    return ret <= ins.day_end and ret - depart <= ins.max_minutes_per_day


def _may_serve(ins, fac, date: str) -> bool:
    return (all(s in ins.skills for s in fac.skills) and ins.id not in fac.excluded_inspectors
            and (fac.region is None or ins.region is None or fac.region == ins.region)
            and date in fac.dates and date not in ins.unavailable_dates)


CAPACITY_PREFIX = "capacity"


def check_priorities(c, data: dict) -> None:
    """Add a "priority" violation for each must-visit left out for capacity that fits in place of a lower one."""
    listed = {u["facility"] for u in data.get("unscheduled", [])
              if str(u.get("reason", "")).startswith(CAPACITY_PREFIX) and u.get("facility") in c.facs}
    waiting = sorted((c.facs[fid] for fid in listed if c.facs[fid].must_visit), key=lambda f: -_class(f))
    if not waiting:
        return
    routes = []
    for r in data.get("routes", []):
        stops = [c.facs[s["facility"]] for s in r["stops"]]
        routes.append((c.inss[r["inspector"]], r["date"], stops, min(_class(f) for f in stops)))
    for fac in waiting:
        cls = _class(fac)
        alone: dict[str, bool] = {}
        for ins, date, stops, lowest in routes:
            if lowest >= cls or not _may_serve(ins, fac, date):
                continue
            # A visit too far for a lone trip cannot replace anything.
            if ins.id not in alone:
                alone[ins.id] = _feasible(c, ins, date, [fac])
            if not alone[ins.id]:
                continue
            hit = _replaceable(c, ins, date, stops, fac, cls)
            if hit is not None:
                c.add("priority", f"facility {fac.id}: priority {fac.priority:g} is unscheduled but fits in "
                                  f"place of {hit.id} (priority {hit.priority:g}"
                                  f"{'' if hit.must_visit else ', optional'}) on {ins.id}'s route of {date}",
                      facility=fac.id, inspector=ins.id, date=date)
                break


def _replaceable(c, ins, date, stops, fac, cls):
    for j, g in enumerate(stops):
        if _class(g) >= cls:
            continue
        rest = stops[:j] + stops[j + 1:]
        for pos in range(len(rest) + 1):
            if _feasible(c, ins, date, rest[:pos] + [fac] + rest[pos:]):
                return g
    return None

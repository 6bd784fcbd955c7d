"""Baselines and measurements for bench_scheduler.py: a greedy planner and the shortage fairness figures."""

from __future__ import annotations

import random

import numpy as np

from scheduler.eligibility import Instance, eligibility
from scheduler.problem import Problem
from scheduler.timing import Legs, route_km, time_route
from scheduler.travel import km_matrix


def greedy_nearest(problem: Problem) -> tuple[int, float]:
    """(visits, road km) of a greedy nearest-feasible planner: each inspector-day, from home, always
    goes on to the nearest unvisited facility it may serve that still fits the day, until none does."""
    inst = Instance(problem)
    usable, reasons = eligibility(inst)
    legs = Legs(problem)
    p = problem
    lat = np.array([f.lat for f in p.facilities])
    lon = np.array([f.lon for f in p.facilities])
    free = np.array([f not in reasons for f in range(len(p.facilities))])
    may = [set(int(k) for k in usable[f]) for f in range(len(p.facilities))]
    visits, km = 0, 0.0
    for d in range(len(p.dates)):
        for k, ins in enumerate(p.inspectors):
            if not inst.ins_avail[k, d]:
                continue
            seq: list[int] = []
            here = (ins.lat, ins.lon)
            while len(seq) < ins.max_visits_per_day:
                dist = km_matrix([here[0]], [here[1]], lat, lon)[0]
                nxt = None
                for f in np.argsort(dist, kind="stable"):
                    f = int(f)
                    if not free[f] or k not in may[f] or not inst.fac_dates[f, d]:
                        continue
                    if time_route(seq + [f], k, p, legs) is not None:
                        nxt = f
                        break
                if nxt is None:
                    break
                seq.append(nxt)
                free[nxt] = False
                here = (p.facilities[nxt].lat, p.facilities[nxt].lon)
            if seq:
                visits += len(seq)
                km += route_km(seq, k, legs)
    return visits, km


def with_priorities(data: dict, seed: int) -> dict:
    """The problem with seeded priorities independent of geography: 70 % 1, 20 % 2, 7 % 3, 3 % 5."""
    rng = random.Random(f"priorities:{seed}")
    for fac in data["facilities"]:
        fac["priority"] = rng.choices([1, 2, 3, 5], weights=[70, 20, 7, 3])[0]
    return data


def shortage_figures(problem: Problem, schedules: list) -> dict:
    """Visit rates by fifth of distance to the nearest eligible home, never-visited count, high-priority share."""
    inst = Instance(problem)
    usable, reasons = eligibility(inst)
    p = problem
    reach = [f for f in range(len(p.facilities)) if f not in reasons and p.facilities[f].must_visit]
    near_km = {}
    for f in reach:
        cand = [int(k) for k in usable[f]]
        d = km_matrix([p.facilities[f].lat], [p.facilities[f].lon], [p.inspectors[k].lat for k in cand],
                      [p.inspectors[k].lon for k in cand])[0]
        near_km[f] = float(d.min())
    order = sorted(reach, key=lambda f: (near_km[f], f))
    counts = {f: 0 for f in reach}
    for s in schedules:
        routed = {st.facility for r in s.routes for st in r.stops}
        for f in reach:
            counts[f] += p.facilities[f].id in routed
    n = len(schedules)
    fifth = len(order) // 5
    nearest, farthest = order[:fifth], order[-fifth:]
    rate = lambda group: sum(counts[f] for f in group) / (n * len(group))  # noqa: E731
    high = [f for f in reach if p.facilities[f].priority >= 3]
    return {"near_rate": rate(nearest), "far_rate": rate(farthest),
            "near_km": (near_km[nearest[0]], near_km[nearest[-1]]),
            "far_km": (near_km[farthest[0]], near_km[farthest[-1]]),
            "never": sum(1 for f in reach if counts[f] == 0), "reachable": len(reach),
            "high_rate": rate(high) if high else 1.0, "high": len(high),
            "visits": [sum(len(r.stops) for r in s.routes) for s in schedules]}

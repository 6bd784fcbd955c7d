"""Baselines and measurements for bench_scheduler.py: a greedy planner and the shortage fairness figures."""

from __future__ import annotations

import random
from collections import Counter

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


# The shortage problems: (name, generator seed, skill mix). "generator": the generator's own skills; "by_type": the
# app's rule (kindergartens and camps need safety, nutrition and health, schools safety and nutrition, clinics
# safety); "third_full": a third of the facilities need all three and a third of the inspectors hold them, the
# rest need or hold safety and at most one other.
SHORTAGE_PROBLEMS = (("generator", 1, "generator"), ("by_type", 2, "by_type"), ("third_full", 3, "third_full"))
FULL = ["safety", "nutrition", "health"]
BY_TYPE = {"kindergarten": FULL, "camp": FULL, "school": ["safety", "nutrition"], "clinic": ["safety"]}


def with_skill_mix(data: dict, mix: str, seed: int) -> dict:
    """The problem with the skills of a mix (see SHORTAGE_PROBLEMS), drawn with its own seeded stream."""
    rng = random.Random(f"skills:{mix}:{seed}")
    if mix == "by_type":
        for fac in data["facilities"]:
            fac["skills"] = list(BY_TYPE[fac["kind"]])
    elif mix == "third_full":
        for fac in data["facilities"]:
            u = rng.random()
            fac["skills"] = list(FULL) if u < 1 / 3 else ["safety"] if u < 2 / 3 else ["safety", rng.choice(FULL[1:])]
        full = set(rng.sample(range(len(data["inspectors"])), len(data["inspectors"]) // 3))
        for k, ins in enumerate(data["inspectors"]):
            ins["skills"] = FULL + ["fire"] if k in full else ["safety", rng.choice(FULL[1:])]
    return data


def shortage_problem(seed: int, mix: str) -> dict:
    """1,500 due facilities (priorities 1/2/3/5), 40 inspectors, 10 dates, skills by `mix`."""
    from scheduler.generator import generate

    return with_skill_mix(with_priorities(generate(1500, 1500, 40, 10, seed=seed), seed), mix, seed)


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


def drawn_inside(problem: Problem, seeds: list[int]) -> dict[int, int]:
    """Per must-visit, in how many of the seeds the shortage draw put it inside its stratum's quota (bands 0-1)."""
    from scheduler.solve import SolveOptions, choose_targets

    inst = Instance(problem)
    usable, reasons = eligibility(inst)
    inside: dict[int, int] = {}
    for seed in seeds:
        band = choose_targets(inst, usable, dict(reasons), SolveOptions(), seed).tiers.band
        for f, b in band.items():
            inside[f] = inside.get(f, 0) + (b <= 1)
    return inside


def chance_never(problem: Problem, groups, visits: dict[int, float], n: int) -> float:
    """How many reachable due facilities independent draws would leave out of all n seeds at the rates reached:
    the sum over (class, stratum) of members x (1 - rate)^n."""
    from scheduler.priority import stratum

    members: dict[tuple, list[int]] = {}
    for f in groups.due:
        if f not in groups.reasons:
            members.setdefault((groups.cls[f], stratum(problem.facilities[f])), []).append(f)
    return sum(len(m) * (1 - sum(visits.get(f, 0) for f in m) / len(m)) ** n for m in members.values())


def short_days(problem: Problem, schedules: list) -> dict:
    """Where capacity goes: per schedule, the inspector-days, those with fewer visits than the inspector's cap (long
    trips, long services, windows), their km a day against the full days', and the visits they hold of the lowest
    class of due facilities."""
    from scheduler.priority import priority_class

    cap = {i.id: i.max_visits_per_day for i in problem.inspectors}
    cls = {f.id: priority_class(f.priority) for f in problem.facilities if f.must_visit}
    low = min(cls.values(), default=0)
    short, full = [], []
    for s in schedules:
        for r in s.routes:
            (short if len(r.stops) < cap[r.inspector] else full).append(r)
    runs = max(1, len(schedules))
    km = lambda days: sum(r.travel_km for r in days) / max(1, len(days))  # noqa: E731
    return {"days": (len(short) + len(full)) / runs, "short": len(short) / runs, "short_km": km(short),
            "full_km": km(full), "short_visits": sum(len(r.stops) for r in short) / runs,
            "short_lowest": sum(cls.get(st.facility) == low for r in short for st in r.stops) / runs, "lowest": low}


def what_instead(problem: Problem, schedules: list, f: int, usable, nearest: int = 3) -> dict:
    """What the `nearest` eligible inspectors of facility f (by km from home) did in the schedules: their ids and km,
    visits and days per schedule, km per day, and the share of their visits of a higher class, of f's class needing
    fewer skills than f (others could make them), needing f's skills, and the rest (more skills, lower class,
    optional)."""
    from scheduler.priority import priority_class

    fac = problem.facilities[f]
    cand = sorted(int(k) for k in usable[f])
    km = km_matrix([fac.lat], [fac.lon], [problem.inspectors[k].lat for k in cand],
                   [problem.inspectors[k].lon for k in cand])[0] if cand else []
    near = sorted(zip(km, cand))[:nearest]
    ids = {problem.inspectors[k].id for _, k in near}
    kind = {g.id: (priority_class(g.priority) if g.must_visit else -1, frozenset(g.skills)) for g in problem.facilities}
    mine, skills = priority_class(fac.priority), frozenset(fac.skills)
    what: Counter = Counter()
    days, road = 0, 0.0
    for s in schedules:
        for r in s.routes:
            if r.inspector not in ids:
                continue
            days, road = days + 1, road + r.travel_km
            for st in r.stops:
                c, need = kind[st.facility]
                what["higher" if c > mine else "fewer_skills" if c == mine and need < skills
                     else "same_skills" if c == mine and need == skills else "other"] += 1
    n, runs = sum(what.values()), max(1, len(schedules))
    return {"inspectors": [(problem.inspectors[k].id, round(float(d), 1)) for d, k in near],
            "visits": n / runs, "days": days / runs, "km_per_day": road / max(1, days),
            **{key: what[key] / max(1, n) for key in ("higher", "fewer_skills", "same_skills", "other")}}


def fairness_figures(problem: Problem, schedules: list, seeds: list[int] | None = None) -> dict:
    """Every axis's visit rates over the seeds (the engine's own groups), the worst ratio inside a class, and the
    facilities no seed visited with why (with `seeds`: in how many the draw put them inside their quota)."""
    from scheduler.fairness import AXES, MIN_GROUP, Groups, axis_rows

    groups = Groups.of_problem(problem)
    fidx = {f.id: k for k, f in enumerate(problem.facilities)}
    visits: dict[int, float] = {}
    for s in schedules:
        for r in s.routes:
            for st in r.stops:
                visits[fidx[st.facility]] = visits.get(fidx[st.facility], 0) + 1 / len(schedules)
    worst = {}
    for axis in AXES:
        for c in sorted(set(groups.cls.values())):
            members: dict[str, list[int]] = {}
            for f in groups.due:
                if groups.cls[f] == c:
                    members.setdefault(groups.of[axis][f].key, []).append(f)
            rate = {k: sum(visits.get(f, 0) for f in m) / len(m) for k, m in members.items() if len(m) >= MIN_GROUP}
            if len(rate) < 2 or not max(rate.values()):
                continue
            best = max(sorted(rate), key=lambda k: rate[k])
            low = min(sorted(rate), key=lambda k: rate[k])
            ratio = rate[low] / rate[best]
            if axis not in worst or ratio < worst[axis][0]:
                worst[axis] = (ratio, c, low, rate[low], best, rate[best])
    # How each seed's own stats explain the worst group of every axis: {axis: Counter of reasons (None: unnamed)}.
    named = {axis: Counter(e["reason"] for s in schedules for e in s.stats.get("fairness", {}).get("below", [])
                           if e["axis"] == axis and e["class"] == w[1] and e["group"] == w[2])
             for axis, w in worst.items()}
    tr = problem.travel
    inside = drawn_inside(problem, seeds) if seeds else {}
    never = []
    for f in groups.due:
        if f in groups.reasons or visits.get(f, 0) > 0:
            continue
        fac = problem.facilities[f]
        reasons = {u.reason for s in schedules for u in s.unscheduled if u.facility == fac.id}
        minutes = groups.near_km[f] * tr.road_factor / tr.speed_kmh * 60
        never.append({"id": fac.id, "skills": "+".join(fac.skills), "kind": fac.kind, "priority": fac.priority,
                      "near_km": round(groups.near_km[f], 1), "near_minutes": round(minutes),
                      "service": fac.service_minutes, "inspectors": len(groups.usable[f]),
                      "dates": len(fac.dates), "windows": " ".join(f"{w.start // 60:02d}:{w.start % 60:02d}-"
                                                                   f"{w.end // 60:02d}:{w.end % 60:02d}"
                                                                   for w in fac.windows),
                      "reason": "; ".join(sorted(reasons)), "inside": inside.get(f),
                      "instead": what_instead(problem, schedules, f, groups.usable)})
    all_skills = max((len(problem.facilities[f].skills) for f in groups.due), default=0)
    full_near = [n for n in never if len(n["skills"].split("+")) == all_skills and n["near_minutes"] <= 60]
    return {"rows": axis_rows(groups, visits), "worst": worst, "named": named, "never": never, "full_near": full_near,
            "chance": chance_never(problem, groups, visits, len(schedules)),
            "reachable": sum(1 for f in groups.due if f not in groups.reasons)}

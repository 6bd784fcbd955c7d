"""Decomposition: facility -> inspector by min-cost flow, inspectors' homes bisected into areas, area models."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .eligibility import Instance
from .model import AreaTask
from .travel import km_matrix, minutes_matrix

# Cost of leaving a facility unassigned in the flow (per unit; km costs are about 100 per km):
# optional facilities go first, then must-visits by level, lowest first.
OPTIONAL_SINK_COST = 10**7
LEVEL_SINK_COST = 10**8
# A must-visit that leaves an inspector's scarce skills idle is worth this share less on his day (routing): among
# visits of one level he takes those only he can make; across levels the 8x ratio still rules.
SKILL_PRICE = 0.25


@dataclass
class Area:
    """Inspectors whose homes are close, and the facilities the flow gave them."""

    inspectors: list[int]
    facilities: list[int]
    owner: dict[int, int]   # facility -> inspector chosen by the flow (the region's whole map)


def assign(inst: Instance, targets: list[int], usable, standing: dict[int, float], neighbours: int, jitter: float,
           rng: random.Random | None, idle=None) -> dict[int, int]:
    """Facility -> inspector by min-cost flow on (jittered) round-trip km with capacities.

    Args:
        inst: the instance.
        targets: facilities to place.
        usable: eligible inspectors per facility.
        standing: per must-visit facility (absent: optional), its level plus the draw's tie-break share;
            higher standings keep their place first.
        neighbours: eligible homes tried per facility (nearest first).
        jitter: relative cost noise (moves cluster boundaries between seeds); no noise without `rng`.
        rng: the seeded stream for the noise.
        idle: (inspector, facility) -> whether the visit leaves the inspector's scarce skills idle (priced).
    Returns:
        the owner of every target (unassigned ones keep their nearest eligible inspector).
    """
    p = inst.p
    ins_ids = sorted({int(k) for f in targets for k in usable[f]})
    col = {k: c for c, k in enumerate(ins_ids)}
    if not targets:
        return {}
    fl = np.array([p.facilities[f].lat for f in targets])
    fo = np.array([p.facilities[f].lon for f in targets])
    il = np.array([p.inspectors[k].lat for k in ins_ids])
    io = np.array([p.inspectors[k].lon for k in ins_ids])
    km = km_matrix(fl, fo, il, io) * p.travel.road_factor
    service = float(np.mean([p.facilities[f].service_minutes for f in targets]))
    flow = min_cost_flow.SimpleMinCostFlow()
    nF = len(targets)
    sink = nF + len(ins_ids)
    nearest: dict[int, int] = {}
    for r, f in enumerate(targets):
        cols = np.array([col[int(k)] for k in usable[f]], dtype=int)
        order = cols[np.argsort(km[r, cols], kind="stable")][:neighbours]
        nearest[f] = ins_ids[int(order[0])]
        for c in order:
            noise = 1.0 + jitter * (2.0 * rng.random() - 1.0) if rng is not None else 1.0
            # Scarce skills are kept for the visits that need them: a fraction of a level's worth, above any detour.
            idle_cost = int(SKILL_PRICE * LEVEL_SINK_COST) if idle is not None and f in standing \
                and idle(ins_ids[int(c)], f) else 0
            flow.add_arc_with_capacity_and_unit_cost(r, nF + int(c), 1, int(2 * km[r, c] * 100 * noise) + 1 + idle_cost)
        # Who is left out when capacity is short is decided by level and the draw, never by distance: the
        # tie-break share is worth far more than any detour, so another inspector's capacity goes to a drawn
        # visit rather than to a later-drawn one next door.
        cost = int(LEVEL_SINK_COST * (standing[f] + 1)) if f in standing else OPTIONAL_SINK_COST
        flow.add_arc_with_capacity_and_unit_cost(r, sink, 1, cost)
        flow.set_node_supply(r, 1)
    for c, k in enumerate(ins_ids):
        flow.add_arc_with_capacity_and_unit_cost(nF + c, sink, inst.capacity(k, service), 0)
    flow.set_node_supply(sink, -nF)
    if flow.solve() != flow.OPTIMAL:
        return nearest
    owner = dict(nearest)
    for a in range(flow.num_arcs()):
        if flow.flow(a) > 0 and flow.tail(a) < nF and flow.head(a) < sink:
            owner[targets[flow.tail(a)]] = ins_ids[flow.head(a) - nF]
    return owner


def split_areas(inst: Instance, ins_list: list[int], load: dict[int, int], limit: int) -> list[list[int]]:
    """Recursive bisection of inspectors' homes until each area's facility load <= limit."""
    total = sum(load.get(k, 0) for k in ins_list)
    if total <= limit or len(ins_list) < 2:
        return [ins_list]
    p = inst.p
    lat = np.array([p.inspectors[k].lat for k in ins_list])
    lon = np.array([p.inspectors[k].lon for k in ins_list]) * np.cos(np.radians(lat.mean()))
    axis = lat if np.ptp(lat) >= np.ptp(lon) else lon
    order = [ins_list[j] for j in np.argsort(axis, kind="stable")]
    acc, cut = 0, 1
    for j, k in enumerate(order[:-1]):
        acc += load.get(k, 0)
        cut = j + 1
        if acc * 2 >= total:
            break
    return split_areas(inst, order[:cut], load, limit) + split_areas(inst, order[cut:], load, limit)


def make_areas(inst: Instance, targets: list[int], usable, standing: dict[int, float], opts,
               rng: random.Random, idle=None) -> list[Area]:
    """Per region: assign facilities to inspectors, then bisect the inspectors' homes into areas.

    Facilities the flow leaves out or that end in an area without inspectors are in no area; the
    repair pass tries them.
    """
    p = inst.p
    by_region: dict[str | None, list[int]] = {}
    for f in targets:
        by_region.setdefault(p.facilities[f].region if len(inst.regions) > 1 else None, []).append(f)
    areas: list[Area] = []
    taken: set[int] = set()
    for region in sorted(by_region, key=lambda r: (r is None, r or "")):
        facs = by_region[region]
        owner = assign(inst, facs, usable, standing, opts.neighbours, opts.jitter, rng if opts.randomize else None,
                       idle)
        load: dict[int, int] = {}
        for f in facs:
            load[owner[f]] = load.get(owner[f], 0) + 1
        # Idle inspectors join too: the routing may need their days (tight windows).
        # An inspector without a region may serve several regions but joins one area only,
        # so no inspector-day is planned twice.
        ins_list = sorted({int(k) for f in facs for k in usable[f]} - taken)
        taken.update(ins_list)
        for group in split_areas(inst, ins_list, load, opts.max_area_facilities):
            gset = set(group)
            mine = [f for f in facs if owner[f] in gset]
            if group and mine:
                areas.append(Area(group, mine, owner))
    return areas


def vehicle_days(inst: Instance, area: Area, extra_days: int, day_slack: float, all_days: bool) -> dict[int, list[int]]:
    """Which dates of each inspector become vehicles: enough days for the load, spread out (all with `all_days`).

    Dates are re-drawn afterwards (see dates.shuffle_dates), so only their number and the
    coverage of date-restricted facilities matter here.
    """
    p = inst.p
    out = {}
    for k in area.inspectors:
        mine = [f for f in area.facilities if area.owner[f] == k]
        avail = [int(d) for d in np.flatnonzero(inst.ins_avail[k])]
        service = float(np.mean([p.facilities[f].service_minutes for f in mine])) if mine else 90.0
        need = -(-len(mine) // inst.per_day(k, service))
        n = len(avail) if all_days else min(len(avail), need + extra_days + int(need * day_slack))
        chosen = {avail[int(j * len(avail) / n)] for j in range(n)} if n else set()
        # Date-restricted facilities need at least one of their own dates among the vehicles.
        for f in mine:
            ok = [d for d in avail if inst.fac_dates[f, d]]
            if ok and not any(d in chosen for d in ok):
                chosen.add(ok[len(ok) // 2])
        out[k] = sorted(chosen)
    return out


def area_task(inst: Instance, key: int, area: Area, usable, penalty: dict[int, int], days: dict[int, list[int]],
              starts: int, lns: int, rng_seed: str, deadline: float, idle=None, must=frozenset()) -> AreaTask:
    """The routing model's data for one area (penalty: per facility, the price of skipping it; `idle`: whether
    an inspector's visit to a facility leaves scarce skills idle, priced SKILL_PRICE of a must-visit's worth)."""
    p = inst.p
    tr = p.travel
    ins_list, facs = area.inspectors, area.facilities
    lat = [p.inspectors[k].lat for k in ins_list] + [p.facilities[f].lat for f in facs]
    lon = [p.inspectors[k].lon for k in ins_list] + [p.facilities[f].lon for f in facs]
    km = km_matrix(lat, lon, lat, lon)
    minutes = minutes_matrix(km, tr.speed_kmh, tr.road_factor)
    metres = np.rint(km * tr.road_factor * 1000).astype(np.int64)
    H = len(ins_list)
    service = [0] * H + [p.facilities[f].service_minutes for f in facs]
    windows: list[list[tuple[int, int]]] = [[(0, 1440)] for _ in range(H)]
    for f in facs:
        fac = p.facilities[f]
        windows.append([(w.start, w.end - fac.service_minutes) for w in fac.windows
                        if w.end - fac.service_minutes >= w.start])
    v_home, v_ids, v_start, v_end, v_vis, v_min = [], [], [], [], [], []
    for h, k in enumerate(ins_list):
        ins = p.inspectors[k]
        for d in days[k]:
            v_home.append(h)
            v_ids.append((k, int(d)))
            v_start.append(ins.day_start)
            v_end.append(ins.day_end)
            v_vis.append(ins.max_visits_per_day)
            v_min.append(ins.max_minutes_per_day)
    allowed = []
    for f in facs:
        ok = set(int(k) for k in usable[f])
        allowed.append([v for v, (k, d) in enumerate(v_ids) if k in ok and inst.fac_dates[f, d]])
    rows: dict[tuple, int] = {}
    price_row, prices = [], []
    for k, _ in v_ids:
        row = tuple(int(SKILL_PRICE * penalty[f]) if idle is not None and f in must and idle(k, f) else 0
                    for f in facs)
        if row not in rows:
            rows[row] = len(prices)
            prices.append(list(row))
        price_row.append(rows[row])
    return AreaTask(
        vehicle_price_row=price_row, skill_price=prices,
        key=key, n_homes=H, minutes=minutes.tolist(), metres=metres.tolist(), service=service,
        windows=windows, vehicle_home=v_home, vehicle_day_start=v_start, vehicle_day_end=v_end,
        vehicle_max_visits=v_vis, vehicle_max_minutes=v_min, allowed=allowed, penalty=[penalty[f] for f in facs],
        facility_ids=list(facs), vehicle_ids=v_ids, starts=starts, lns_iterations=lns, rng_seed=rng_seed,
        deadline=deadline,
    )

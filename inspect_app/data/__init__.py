"""Reference geography of Kazakhstan shipped with the app.

Loaders return fresh lists of plain dicts parsed with the csv module; the
parsed rows are cached so repeated calls do not re-read the files. See
README.md beside this file for sources and what is synthetic.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent

_REGION_FLOATS = ("center_lat", "center_lon")
_TOWN_FLOATS = ("lat", "lon")


@cache
def _read(name: str) -> tuple[dict, ...]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def load_regions() -> list[dict]:
    """Return the 20 regions (17 oblasts and 3 cities of republican significance).

    Keys: kato, name_ru, name_kk, center_name_ru (str) and center_lat,
    center_lon (float). KATO codes are 9-digit strings.
    """
    out = []
    for row in _read("regions.csv"):
        item = dict(row)
        for key in _REGION_FLOATS:
            item[key] = float(item[key])
        out.append(item)
    return out


def load_towns() -> list[dict]:
    """Return the towns and villages from towns.csv, largest first.

    Keys: name_ru, name_kk, region_kato, district_kato, district_name_ru,
    district_name_kk (str), lat, lon (float), population (int).
    """
    out = []
    for row in _read("towns.csv"):
        item = dict(row)
        for key in _TOWN_FLOATS:
            item[key] = float(item[key])
        item["population"] = int(item["population"] or 0)
        out.append(item)
    return out


@cache
def _english_region_names() -> dict[str, str]:
    return {row["kato"]: row["name_en"] for row in _read("regions.csv")}


def region_name_en(kato: str | None) -> str | None:
    """The English name of a region by its KATO code (None for a code that is not a region's)."""
    return _english_region_names().get(kato or "")

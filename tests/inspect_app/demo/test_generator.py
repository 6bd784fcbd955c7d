"""The demo registry generator: determinism, validity and realism."""

import collections
import json
import math
from datetime import date

import pytest

from inspect_app.data import load_regions, load_towns
from inspect_app.demo.generator import (
    FACILITY_KEYS,
    INSPECTOR_KEYS,
    generate_registry,
    is_valid_bin,
)

# Pure code: no database transaction needed.

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def regional():
    return generate_registry(42, today=TODAY)


@pytest.fixture(scope="module")
def national():
    return generate_registry(7, today=TODAY, national=True)


def _km(a, b):
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371 * math.hypot(x, math.radians(b[0] - a[0]))


def _dump(reg):
    return json.dumps([reg.facilities, reg.inspectors, reg.duplicate_pairs], sort_keys=True)


def test_reference_data():
    regions = load_regions()
    assert len(regions) == 20
    assert len({r["kato"] for r in regions}) == 20
    assert all(len(r["kato"]) == 9 and r["kato"].isdigit() for r in regions)
    katos = {r["kato"] for r in regions}
    towns = load_towns()
    assert 200 < len(towns) < 1000
    assert {t["region_kato"] for t in towns} == katos
    assert all(40.5 <= t["lat"] <= 55.5 and 46.4 <= t["lon"] <= 87.4 for t in towns)


def test_deterministic_per_seed():
    a = generate_registry(3, today=TODAY, facilities=300, inspectors=10)
    b = generate_registry(3, today=TODAY, facilities=300, inspectors=10)
    c = generate_registry(4, today=TODAY, facilities=300, inspectors=10)
    assert _dump(a) == _dump(b)
    assert _dump(a) != _dump(c)


def test_default_is_one_region(regional):
    assert regional.region_katos == ["190000000"]
    assert len(regional.facilities) == 1500
    assert len(regional.inspectors) == 40
    assert {f["region_kato"] for f in regional.facilities} == {"190000000"}


def test_shapes(regional):
    for f in regional.facilities:
        assert tuple(f) == FACILITY_KEYS
        assert set(f["opening_hours"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
        assert f["contact_phone"].startswith("+7 7")
        assert "@" in f["contact_email"] and f["contact_email"].isascii()
    for i in regional.inspectors:
        assert tuple(i) == INSPECTOR_KEYS
        assert i["username"].isascii()
        assert 3 <= i["max_visits_per_day"] <= 5
        assert 420 <= i["max_minutes_per_day"] <= 540
        assert set(i["skills"]) <= {"safety", "nutrition", "health"} and i["skills"]
        for a in i["absences"]:
            assert TODAY.isoformat() < a["start"] <= a["end"]
            assert a["reason"] in ("отпуск", "больничный", "обучение")


def test_bins_valid_and_unique(national):
    bins = [f["bin"] for f in national.facilities]
    assert len(bins) == len(set(bins))
    assert all(is_valid_bin(b) for b in bins)
    assert all(b[4] in "456" for b in bins)
    try:
        from stdnum.kz import bin as kzbin
    except ImportError:  # python-stdnum < 2.3 has no kz module
        kzbin = None
    if kzbin is not None:
        assert all(kzbin.is_valid(b) for b in bins)
    try:
        from inspect_app import kz_bin as app_bin
    except ImportError:  # the app's validator lives outside this module's ownership
        app_bin = None
    if app_bin is not None:
        assert all(app_bin.is_valid(b) for b in bins)


def test_bin_checksum_reference_values():
    # Published examples (python-stdnum's doctests).
    assert is_valid_bin("940140000385")
    assert is_valid_bin("990140004654")
    assert not is_valid_bin("940140000386")
    assert not is_valid_bin("949940000385")


def test_coordinates_in_bounds(national):
    for f in national.facilities:
        assert 40.5 <= f["lat"] <= 55.5 and 46.4 <= f["lon"] <= 87.4
    for i in national.inspectors:
        assert 40.5 <= i["home_lat"] <= 55.5 and 46.4 <= i["home_lon"] <= 87.4


def test_proportions(national):
    n = len(national.facilities)
    share = {k: v / n for k, v in collections.Counter(f["type"] for f in national.facilities).items()}
    assert 0.36 < share["kindergarten"] < 0.44
    assert 0.24 < share["school"] < 0.30
    assert 0.12 < share["sports_club"] + share["leisure_centre"] < 0.18
    assert 0.05 < share["summer_camp"] < 0.07
    risk = collections.Counter(f["risk"] for f in national.facilities)
    assert 0.11 < risk["high"] / n < 0.19
    assert 0.40 < risk["medium"] / n < 0.50
    never = sum(f["last_inspection_date"] is None for f in national.facilities) / n
    assert 0.15 < never < 0.27
    private_kg = [f for f in national.facilities if f["type"] == "kindergarten" and f["agency"] == "private"]
    assert len(private_kg) > 0.3 * n * share["kindergarten"]


def test_camps_seasonal(regional):
    for f in regional.facilities:
        if f["type"] == "summer_camp":
            assert f["status"] == "seasonal"
            assert f["season_start"] < f["season_end"]
            assert f["season_start"].startswith("06-") and f["season_end"].startswith("08-")
            assert all(f["opening_hours"][d] for d in f["opening_hours"])
        else:
            assert f["season_start"] is None and f["season_end"] is None
            assert f["status"] in ("active", "closed")


def test_last_inspection_in_past_two_years(regional):
    for f in regional.facilities:
        d = f["last_inspection_date"]
        if d is not None:
            assert (TODAY - date.fromisoformat(d)).days <= 731


def test_national_size(national):
    assert len(national.facilities) == 30000
    assert len(national.inspectors) == 700
    assert len(national.region_katos) == 20
    per_region = collections.Counter(f["region_kato"] for f in national.facilities)
    assert len(per_region) == 20
    # Spread by population: Almaty city outnumbers Ulytau by far.
    assert per_region["750000000"] > 5 * per_region["620000000"]
    usernames = [i["username"] for i in national.inspectors]
    assert len(usernames) == len(set(usernames))


def test_inspector_conflicts_in_own_region(national):
    region_of = {f["bin"]: f["region_kato"] for f in national.facilities}
    centres = {r["kato"]: (r["center_lat"], r["center_lon"]) for r in load_regions()}
    for i in national.inspectors:
        assert len(i["conflict_bins"]) <= 2
        for b in i["conflict_bins"]:
            assert region_of[b] in i["region_katos"]
        home = (i["home_lat"], i["home_lon"])
        bases = [centres[i["region_katos"][0]]] + [(t["lat"], t["lon"]) for t in load_towns()
                                                   if t["region_kato"] == i["region_katos"][0]]
        assert min(_km(b, home) for b in bases) < 10


def test_half_of_the_inspectors_live_in_district_towns(regional):
    """Are inspectors based across the region (not all in the centre), so remote schools stay reachable?"""
    centre = next((r["center_lat"], r["center_lon"]) for r in load_regions() if r["kato"] == "190000000")
    away = [i for i in regional.inspectors if _km(centre, (i["home_lat"], i["home_lon"])) > 30]
    assert len(regional.inspectors) * 0.3 <= len(away) <= len(regional.inspectors) * 0.6


def test_every_inspector_checks_safety_and_district_inspectors_check_everything(national):
    """Can every inspector inspect some facility (every type needs safety), and does one posted in a district
    town, often the only inspector within a day's drive, hold every skill?"""
    centres = {r["kato"]: r["center_name_ru"] for r in load_regions()}
    posted = 0
    for i in national.inspectors:
        assert "safety" in i["skills"], i["username"]
        if i["home_address"].split(",")[0] != centres[i["region_katos"][0]]:
            assert i["skills"] == ["safety", "nutrition", "health"], i["username"]
            posted += 1
    assert posted >= len(national.inspectors) * 0.4


@pytest.mark.parametrize("seed", [1, 42])
def test_every_district_of_the_demo_region_has_an_inspector(seed):
    """With more district inspectors than districts, is one posted in every district with facilities
    (the centre's has the regional office)?"""
    regional = generate_registry(seed, today=TODAY)
    towns = {t["name_ru"]: t["district_kato"] for t in load_towns() if t["region_kato"] == "190000000"}
    centre = towns[next(r["center_name_ru"] for r in load_regions() if r["kato"] == "190000000")]
    posted = {towns[i["home_address"].split(",")[0]] for i in regional.inspectors}
    assert {f["district_kato"] for f in regional.facilities} <= posted
    assert centre in posted


def test_duplicates_present(regional, national):
    for reg in (regional, national):
        n = len(reg.facilities)
        assert 0.005 * n <= len(reg.duplicate_pairs) <= 0.02 * n
        by_bin = {f["bin"]: f for f in reg.facilities}
        for a, b in reg.duplicate_pairs:
            fa, fb = by_bin[a], by_bin[b]
            assert a != b
            assert fa["agency"] != fb["agency"]
            assert fa["name_ru"] != fb["name_ru"]
            assert fa["type"] == fb["type"] and fa["district_kato"] == fb["district_kato"]
            assert _km((fa["lat"], fa["lon"]), (fb["lat"], fb["lon"])) < 0.05


def test_subset_of_regions():
    reg = generate_registry(1, today=TODAY, regions=["710000000", "330000000"], facilities=400, inspectors=12)
    assert {f["region_kato"] for f in reg.facilities} == {"710000000", "330000000"}
    assert len(reg.facilities) == 400 and len(reg.inspectors) == 12
    with pytest.raises(ValueError):
        generate_registry(1, today=TODAY, regions=["999999999"])

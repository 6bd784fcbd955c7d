"""Strict parsing: every malformed field is named, with the facility or inspector id."""

import copy

import pytest
from conftest import facility, inspector, problem_dict

from scheduler.problem import ProblemError, parse_problem, problem_sha256


def _err(data):
    with pytest.raises(ProblemError) as exc:
        parse_problem(data)
    return str(exc.value)


def test_valid_problem_parses_with_defaults():
    p = parse_problem(problem_dict([facility("F1", must_visit=False)], [inspector("I1")]))
    f = p.facilities[0]
    assert f.dates == tuple(p.dates) and f.weight == 1.0 and f.windows[0].start == 8 * 60
    assert p.inspectors[0].day_end == 18 * 60


@pytest.mark.parametrize("field,value,message", [
    ("windows", [{"from": "8:30", "to": "17:00"}], "facilities[1] (F2).windows[0].from: expected HH:MM"),
    ("windows", [{"from": "12:00", "to": "11:00"}], "facilities[1] (F2).windows[0].to: must be after from"),
    ("service_minutes", 90.0, "facilities[1] (F2).service_minutes: expected a JSON integer"),
    ("lat", 95.0, "facilities[1] (F2).lat: must be within -90..90"),
    ("lon", "76.9", "facilities[1] (F2).lon: expected a number"),
    ("dates", ["2027-03-01"], "facilities[1] (F2).dates[0]: '2027-03-01' is not a date of the horizon"),
    ("excluded_inspectors", ["I9"], "facilities[1] (F2).excluded_inspectors[0]: unknown inspector 'I9'"),
    ("must_visit", "yes", "facilities[1] (F2).must_visit: expected true or false"),
    ("weight", 0, "facilities[1] (F2).weight: must be > 0"),
    ("colour", "red", "facilities[1] (F2).colour: unknown field"),
])
def test_facility_errors_name_field_and_id(field, value, message):
    data = problem_dict([facility("F1"), facility("F2", **{field: value})], [inspector("I1")])
    assert _err(data).startswith(message)


@pytest.mark.parametrize("field,value,message", [
    ("max_visits_per_day", 4.5, "inspectors[0] (I1).max_visits_per_day: expected a JSON integer"),
    ("max_minutes_per_day", 0, "inspectors[0] (I1).max_minutes_per_day: must be >= 1"),
    ("day_end", "08:00", "inspectors[0] (I1).day_end: must be after day_start"),
    ("day_start", "25:00", "inspectors[0] (I1).day_start: expected HH:MM between"),
    ("unavailable_dates", ["2027-02-09"], "inspectors[0] (I1).unavailable_dates[0]"),
])
def test_inspector_errors_name_field_and_id(field, value, message):
    data = problem_dict([facility("F1")], [inspector("I1", **{field: value})])
    assert _err(data).startswith(message)


def test_missing_field_and_duplicates():
    data = problem_dict([facility("F1")], [inspector("I1")])
    del data["facilities"][0]["windows"]
    assert _err(data) == "facilities[0] (F1).windows: missing required field"
    assert "duplicate facility id" in _err(problem_dict([facility("F1"), facility("F1")], [inspector("I1")]))
    assert "duplicate inspector id" in _err(problem_dict([facility("F1")], [inspector("I1"), inspector("I1")]))


def test_unknown_skill_against_declared_vocabulary():
    data = problem_dict([facility("F1", skills=["safety", "fire"])], [inspector("I1")])
    data["skills"] = ["safety", "nutrition"]
    assert _err(data).startswith("facilities[0] (F1).skills[1]: unknown skill 'fire'")


def test_horizon_and_travel_errors():
    assert _err(problem_dict([facility("F1")], [inspector("I1")], ["2027-02-30"])).startswith("dates[0]")
    data = problem_dict([facility("F1")], [inspector("I1")])
    data["travel"]["speed_kmh"] = -1
    assert _err(data).startswith("travel.speed_kmh")


def test_sha256_is_canonical():
    a = problem_dict([facility("F1")], [inspector("I1")])
    b = copy.deepcopy(dict(reversed(list(a.items()))))
    assert problem_sha256(a) == problem_sha256(b)
    a["facilities"][0]["lat"] = 43.26
    assert problem_sha256(a) != problem_sha256(b)


def test_fast_great_circle_is_geopy_bit_for_bit():
    """Do the solver's fast legs give exactly geopy's km, so written times follow the canonical rule?"""
    import random

    from scheduler.travel import fast_great_circle_km, great_circle_km

    rng = random.Random(5)
    for _ in range(5000):
        a = (rng.uniform(40, 55), rng.uniform(46, 87), rng.uniform(40, 55), rng.uniform(46, 87))
        assert fast_great_circle_km(*a) == great_circle_km(*a)
    assert fast_great_circle_km(43.25, 76.95, 43.25, 76.95) == great_circle_km(43.25, 76.95, 43.25, 76.95)

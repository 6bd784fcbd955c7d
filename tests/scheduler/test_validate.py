"""The validator catches each hand-broken rule (and accepts the untouched schedule)."""

import copy

import pytest

from scheduler.problem import parse_problem
from scheduler.solve import solve
from scheduler.validate import validate
from tests.scheduler.helpers import facility, inspector, problem_dict

FACS = [facility("F1", lat=43.25, lon=76.95), facility("F2", lat=43.26, lon=76.93, skills=["safety", "health"]),
        facility("F3", lat=43.23, lon=76.97, dates=["2027-02-02", "2027-02-03"]),
        facility("F4", lat=43.27, lon=76.90, excluded_inspectors=["I2"]), facility("F5", lat=43.22, lon=76.92)]
INSPECTORS = [inspector("I1", skills=["safety", "health"], max_visits_per_day=5, max_minutes_per_day=600),
              inspector("I2", lat=43.20, lon=76.85, unavailable_dates=["2027-02-01"], max_visits_per_day=1)]


@pytest.fixture(scope="module")
def base():
    problem = parse_problem(problem_dict(FACS, INSPECTORS, ["2027-02-01", "2027-02-02", "2027-02-03"]))
    sched = solve(problem, seed=5, time_limit=2).to_dict()
    assert validate(problem, sched) == []
    return problem, sched


def _route_with(sched, fid):
    for r in sched["routes"]:
        for j, s in enumerate(r["stops"]):
            if s["facility"] == fid:
                return r, j
    raise AssertionError(fid)


def _hhmm(m):
    return f"{m // 60:02d}:{m % 60:02d}"


def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _break(sched, how):
    s = copy.deepcopy(sched)
    how(s)
    return s


def _first_route_of(s, iid):
    return next(r for r in s["routes"] if r["inspector"] == iid)


def br_window(s):
    r, j = _route_with(s, "F1")
    r["stops"][j]["start"], r["stops"][j]["end"] = "17:30", "18:30"


def br_service(s):
    r, j = _route_with(s, "F1")
    r["stops"][j]["end"] = _hhmm(_m(r["stops"][j]["start"]) + 30)


def br_travel(s):
    r = s["routes"][0]
    r["depart"] = r["stops"][0]["start"]


def br_day_end(s):
    r = s["routes"][-1]
    r["return"] = "23:00"


def br_minutes(s):
    r = s["routes"][0]
    r["depart"] = "00:00"


def br_visits(s):
    r = next(r for r in s["routes"] if r["inspector"] == "I2") if any(
        r["inspector"] == "I2" for r in s["routes"]) else None
    if r is None:
        r = s["routes"][0]
        r["inspector"] = "I2"
        r["date"] = "2027-02-02"
    r["stops"].append(dict(r["stops"][0]))


def br_unavailable(s):
    r = s["routes"][0]
    r["inspector"], r["date"] = "I2", "2027-02-01"


def br_facility_date(s):
    r, _ = _route_with(s, "F3")
    r["date"] = "2027-02-01"


def br_skills(s):
    r, _ = _route_with(s, "F2")
    r["inspector"] = "I2"


def br_excluded(s):
    r, _ = _route_with(s, "F4")
    r["inspector"] = "I2"


def br_twice(s):
    r, j = _route_with(s, "F1")
    s["routes"][-1]["stops"].append(dict(r["stops"][j]))


def br_missing(s):
    r, j = _route_with(s, "F5")
    del r["stops"][j]
    if not r["stops"]:
        s["routes"].remove(r)


def br_both(s):
    s["unscheduled"].append({"facility": "F1", "reason": "capacity"})


def br_sha(s):
    s["problem_sha256"] = "0" * 64


def br_stats(s):
    s["stats"]["must_visit_scheduled"] += 1


def br_km(s):
    s["routes"][0]["travel_km"] += 3.0


@pytest.mark.parametrize("how,rule,expect", [
    (br_window, "opening_hours", "is not inside one opening window"),
    (br_service, "service_minutes", "end must be start + 60 service minutes"),
    (br_travel, "travel_time", "cannot arrive before"),
    (br_day_end, "working_hours", "after day_end"),
    (br_minutes, "max_minutes_per_day", "exceed max_minutes_per_day"),
    (br_visits, "max_visits_per_day", "exceed max_visits_per_day"),
    (br_unavailable, "inspector_unavailable", "is unavailable on 2027-02-01"),
    (br_facility_date, "facility_dates", "may not be visited on 2027-02-01"),
    (br_skills, "skills", "lacks skills health"),
    (br_excluded, "conflict_of_interest", "is excluded (conflict of interest)"),
    (br_twice, "visited_twice", "already visited"),
    (br_missing, "must_visit", "F5: must-visit but neither routed nor listed as unscheduled"),
    (br_both, "unscheduled", "(F1): facility is also routed"),
    (br_sha, "problem", "problem_sha256"),
    (br_stats, "stats", "stats.must_visit_scheduled"),
    (br_km, "travel_km", "travel_km"),
])
def test_validator_catches_broken_rule(base, how, rule, expect):
    """Does the validator name the broken rule, in a sentence that says what is wrong?"""
    problem, sched = base
    broken = validate(problem, _break(sched, how))
    assert any(v.rule == rule and expect in v.message for v in broken), broken


def test_validator_checks_regions():
    data = problem_dict([facility("F1", region="Almaty")], [inspector("I1", region="Astana"),
                                                             inspector("I2", region="Almaty")])
    problem = parse_problem(data)
    sched = solve(problem, seed=1, time_limit=1).to_dict()
    assert validate(problem, sched) == [] and sched["routes"][0]["inspector"] == "I2"
    sched["routes"][0]["inspector"] = "I1"
    assert [(v.rule, v.facility, v.inspector) for v in validate(problem, sched)] == [("region", "F1", "I1")]

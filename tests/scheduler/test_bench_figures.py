"""The shortage bench's account of a facility no seed visited: what its nearest eligible inspectors did instead, and
how many inspector-days fell short of the visit cap (where capacity went)."""

import os
import sys

from conftest import facility, inspector, problem_dict

from scheduler.eligibility import Instance, eligibility
from scheduler.problem import parse_problem
from scheduler.schedule import Route, Schedule, Stop

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))

FULL = ["safety", "nutrition", "health"]


def _problem_and_schedule():
    """K1 (a kindergarten, every skill, priority 1) waits. The full inspector next door spent his day on a priority-2
    school, a priority-1 school (fewer skills: others could make it) and a priority-1 kindergarten; a safety
    inspector 30 km away, who may not go there, visited one clinic."""
    facs = [facility("K1", skills=FULL, kind="kindergarten"),
            facility("S2", lat=43.251, skills=["safety", "nutrition"], kind="school", priority=2),
            facility("S1", lat=43.252, skills=["safety", "nutrition"], kind="school"),
            facility("K2", lat=43.253, skills=FULL, kind="kindergarten"),
            facility("C1", lat=43.5, kind="clinic")]
    inss = [inspector("I1", skills=FULL), inspector("I2", lat=43.5, skills=["safety"])]
    problem = parse_problem(problem_dict(facs, inss, ["2027-02-01"]))
    day = Route("I1", "2027-02-01", 540, 900, (Stop("S2", 560, 620), Stop("S1", 630, 690), Stop("K2", 700, 760)), 12.0)
    other = Route("I2", "2027-02-01", 540, 700, (Stop("C1", 560, 620),), 3.0)
    return problem, Schedule(1, problem.sha256, [day, other], [])


def test_the_bench_says_what_a_waiting_facilitys_nearest_inspectors_did_instead():
    """Does the bench name the one inspector who may visit K1 and split his visits into a higher class, its class
    needing fewer skills, and its own skills, so a reader sees whether the scarce skills went elsewhere?"""
    from scheduler_baselines import what_instead

    problem, sched = _problem_and_schedule()
    usable, _ = eligibility(Instance(problem))
    w = what_instead(problem, [sched], 0, usable)
    assert [k for k, _ in w["inspectors"]] == ["I1"]
    assert (w["visits"], w["days"], w["km_per_day"]) == (3, 1, 12.0)
    assert w["higher"] == w["fewer_skills"] == w["same_skills"] == 1 / 3 and w["other"] == 0


def test_the_bench_counts_the_days_under_the_visit_cap_and_the_lowest_class_visits_on_them():
    """Both days hold fewer than four visits: the bench reports them, their km, and the three priority-1 visits."""
    from scheduler_baselines import short_days

    problem, sched = _problem_and_schedule()
    d = short_days(problem, [sched])
    assert (d["days"], d["short"], d["short_visits"], d["short_lowest"], d["lowest"]) == (2, 2, 4, 3, 1)
    assert d["short_km"] == 7.5 and d["full_km"] == 0

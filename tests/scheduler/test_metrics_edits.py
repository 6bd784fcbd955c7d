"""Unpredictability metric, lottery, predictability warnings on hand edits, commitments."""

import copy
import random

from scheduler.edits import commitment, predictability_warnings
from scheduler.lottery import draw_optional, inclusion_probabilities
from scheduler.metrics import days_per_facility, modal_date_share
from scheduler.problem import parse_problem
from tests.scheduler.helpers import facility, inspector, problem_dict

DATES = ["2027-02-01", "2027-02-02", "2027-02-03", "2027-02-04", "2027-02-05",
         "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"]


def _sched(assign):
    """A schedule dict with one stop per route: {facility: date}."""
    routes = [{"inspector": "I1", "date": d, "depart": "09:00", "return": "11:00",
               "stops": [{"facility": f, "start": "09:30", "end": "10:30"}], "travel_km": 1.0}
              for f, d in assign.items()]
    return {"seed": 1, "problem_sha256": "x", "routes": routes, "unscheduled": [],
            "stats": {"solve_seconds": 1.0}}


def test_modal_share_fixed_order_is_one_and_spread_is_low():
    fixed = [_sched({"F1": "2027-02-01", "F2": "2027-02-02"})] * 4
    assert modal_date_share(fixed, ["F1", "F2"]) == 1.0
    spread = [_sched({"F1": d, "F2": d}) for d in DATES[:4]]
    assert modal_date_share(spread, ["F1", "F2"]) == 0.25
    assert days_per_facility(spread)["F1"] == DATES[:4]
    # A facility never scheduled counts as 0, so leaving it out does not look "unpredictable" by luck.
    assert modal_date_share(spread, ["F3"]) == 0.0


def test_lottery_is_proportional_capped_and_never_certain_for_low_weight():
    probs = inclusion_probabilities([10.0, 1.0, 1.0, 1.0], 2.0)
    assert probs[0] == 1.0 and abs(sum(probs) - 2.0) < 1e-9 and 0 < probs[1] < 1
    facs = parse_problem(problem_dict([facility(f"F{k}", must_visit=False, weight=1.0 + k) for k in range(20)],
                                      [inspector("I1")])).facilities
    counts = {f.id: 0 for f in facs}
    rng = random.Random(3)
    for _ in range(400):
        for f in draw_optional(facs, rng, 5.0):
            counts[f.id] += 1
    assert 0 < counts["F0"] < counts["F19"] < 400


def _problem():
    facs = [facility(f"F{k}", lat=43.25 + 0.001 * k) for k in range(10)]
    return parse_problem(problem_dict(facs, [inspector("I1")], DATES))


def test_warnings_for_pulled_forward_clustered_and_weekday_edits():
    problem = _problem()
    original = _sched({f"F{k}": DATES[k] for k in range(10)})
    assert predictability_warnings(problem, original, copy.deepcopy(original)) == []
    edited = _sched({f"F{k}": DATES[0] for k in range(10)})
    warnings = predictability_warnings(problem, original, edited)
    assert any("pulled earlier" in w for w in warnings)
    assert any("neighbouring facilities" in w and "2027-02-01" in w for w in warnings)
    assert any("Mondays" in w for w in warnings)


def test_commitment_ignores_timings_but_not_routes_or_seed():
    a = _sched({"F1": DATES[0]})
    b = copy.deepcopy(a)
    b["stats"]["solve_seconds"] = 99.0
    assert commitment(a) == commitment(b)
    b["routes"][0]["date"] = DATES[1]
    assert commitment(a) != commitment(b)
    c = copy.deepcopy(a)
    c["seed"] = 2
    assert commitment(a) != commitment(c)

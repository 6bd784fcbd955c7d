"""Priorities, the shortage draw and fill: who waits when capacity is short, how much spare is used."""

import re

import pytest
from conftest import DATES, facility, inspector, problem_dict

from scheduler.eligibility import REASON_CAPACITY
from scheduler.problem import ProblemError, parse_problem
from scheduler.solve import solve
from scheduler.timing import Legs, recount, route_dict
from scheduler.validate import validate

ONE_DAY = ["2027-02-01"]


def _solve(data, seed=1, **kw):
    problem = parse_problem(data)
    sched = solve(problem, seed=seed, time_limit=1, wall_clock_cap=False, **kw)
    assert validate(problem, sched) == []
    return problem, sched


def _routed(sched):
    return {s.facility for r in sched.routes for s in r.stops}


def _visits_over_seeds(data, seeds, placed):
    """How many of the seeds visit each facility; every seed places `placed` of them."""
    counts = {f["id"]: 0 for f in data["facilities"]}
    for seed in range(seeds):
        _, sched = _solve(data, seed)
        assert len(_routed(sched)) == placed
        for fid in _routed(sched):
            counts[fid] += 1
    return counts


@pytest.mark.parametrize("field,value,message", [
    ("priority", 0, "facilities[0] (F1).priority: must be > 0"),
    ("priority", -2, "facilities[0] (F1).priority: must be > 0"),
    ("priority", "high", "facilities[0] (F1).priority: expected a number"),
    ("priority", True, "facilities[0] (F1).priority: expected a number"),
])
def test_priority_must_be_a_positive_number(field, value, message):
    """Is a bad priority refused with the field named?"""
    with pytest.raises(ProblemError, match=re.escape(message)):
        parse_problem(problem_dict([facility("F1", **{field: value})], [inspector("I1")]))


@pytest.mark.parametrize("value,ok", [(0, True), (0.3, True), (1, True), (1.5, False), (-0.1, False),
                                      ("all", False)])
def test_fill_is_a_share(value, ok):
    """Is `fill` accepted within 0..1 and refused outside, naming the field?"""
    data = dict(problem_dict([facility("F1")], [inspector("I1")]), fill=value)
    if ok:
        assert parse_problem(data).fill == value
    else:
        with pytest.raises(ProblemError, match="^fill: "):
            parse_problem(data)


def test_defaults_are_priority_one_and_no_fill():
    p = parse_problem(problem_dict([facility("F1")], [inspector("I1")]))
    assert p.facilities[0].priority == 1.0 and p.fill is None


def test_a_higher_priority_must_visit_is_never_dropped_for_a_nearer_lower_one():
    """One visit fits: does the far priority-2 facility win over the near priority-1 one, in every seed?"""
    facs = [facility("NEAR", lat=43.245), facility("FAR", lat=43.55, priority=2)]
    data = problem_dict(facs, [inspector("I1", max_visits_per_day=1)], ONE_DAY)
    for seed in range(4):
        _, sched = _solve(data, seed)
        assert _routed(sched) == {"FAR"}
        assert [(u.facility, u.reason) for u in sched.unscheduled] == [("NEAR", REASON_CAPACITY)]


def test_validator_flags_a_dropped_priority_that_fits_in_place_of_a_lower_one():
    """Does the validator name the priority rule, the facility, the inspector and the date?"""
    facs = [facility("NEAR", lat=43.245), facility("FAR", lat=43.55, priority=2.5)]
    problem, sched = _solve(problem_dict(facs, [inspector("I1", max_visits_per_day=1)], ONE_DAY))
    # Give the day to the near, lower-priority facility and claim the far one did not fit.
    near_day = route_dict(problem, Legs(problem), 0, ONE_DAY[0], [0])
    inverted = dict(sched.to_dict(), routes=[near_day], unscheduled=[{"facility": "FAR", "reason": REASON_CAPACITY}])
    recount(problem, inverted)
    broken = validate(problem, inverted)
    assert [(v.rule, v.facility, v.inspector, v.date) for v in broken] == [("priority", "FAR", "I1", ONE_DAY[0])]
    # A visit removed by hand is the supervisor's choice, not a capacity claim: not flagged.
    by_hand = dict(inverted, unscheduled=[{"facility": "FAR", "reason": "removed by a supervisor"}])
    assert validate(problem, by_hand) == []


def test_who_waits_is_drawn_not_decided_by_distance():
    """Six of twelve equal must-visits fit: are the far ones visited about as often as the near ones?"""
    near = [facility(f"N{k}", lat=43.245 + 0.002 * k) for k in range(6)]
    far = [facility(f"F{k}", lat=43.60 + 0.002 * k) for k in range(6)]
    data = problem_dict(near + far, [inspector("I1", max_visits_per_day=2)])
    counts = _visits_over_seeds(data, 12, 6)
    near_visits = sum(counts[f["id"]] for f in near)
    far_visits = sum(counts[f["id"]] for f in far)
    assert far_visits >= 0.6 * near_visits
    assert all(n > 0 for n in counts.values()), counts


def test_high_priority_is_placed_before_the_draw():
    """With a shortage, are all priority-3 must-visits placed whatever the seed?"""
    facs = [facility(f"L{k}", lat=43.245 + 0.002 * k) for k in range(8)] + \
           [facility(f"H{k}", lat=43.50 + 0.002 * k, priority=3) for k in range(3)]
    data = problem_dict(facs, [inspector("I1", max_visits_per_day=2)])
    for seed in range(5):
        _, sched = _solve(data, seed)
        assert {"H0", "H1", "H2"} <= _routed(sched)


def _optional_problem(fill):
    facs = [facility("M1")] + [facility(f"O{k}", lat=43.23 + 0.004 * k, must_visit=False) for k in range(16)]
    data = problem_dict(facs, [inspector("I1"), inspector("I2", lat=43.26)])
    if fill is not None:
        data["fill"] = fill
    return data


def test_fill_sets_the_share_of_spare_capacity_for_optional_visits():
    """Does fill 0 make no extra visits, and fill 1 use the spare capacity (more than fill 0.3)?"""
    _, none = _solve(_optional_problem(0))
    _, some = _solve(_optional_problem(0.3))
    _, full = _solve(_optional_problem(1.0))
    assert none.stats["optional_scheduled"] == 0 and none.stats["fill"] == 0
    assert 0 < some.stats["optional_scheduled"] < full.stats["optional_scheduled"]
    # Two inspectors x three days hold about 17 visits: nearly every optional facility gets one.
    assert full.stats["optional_scheduled"] >= 14


def test_fill_option_overrides_the_problem():
    _, sched = _solve(_optional_problem(1.0), fill=0.0)
    assert sched.stats["optional_scheduled"] == 0


def test_among_equals_that_do_not_all_fit_the_draw_decides_not_the_map():
    """Short opening hours let four of six equal must-visits fit where the estimate saw room for all:
    does every one of them get a visit in some seed, rather than the same two waiting every time?"""
    short = [{"from": "09:00", "to": "11:30"}]
    near = [facility(f"N{k}", lat=43.245 + 0.003 * k, windows=short) for k in range(4)]
    far = [facility(f"F{k}", lat=43.37 + 0.003 * k, windows=short) for k in range(2)]
    data = problem_dict(near + far, [inspector("I1", max_visits_per_day=5)], DATES[:2])
    counts = _visits_over_seeds(data, 12, 4)
    assert all(n > 0 for n in counts.values()), counts
    assert sum(1 for n in counts.values() if n < 12) >= 3, counts


@pytest.mark.parametrize("classes", [2, 8, 18])
def test_the_tie_break_never_lifts_a_visit_above_the_next_level(classes):
    """With the longest day weight and the first draw, is a visit still worth less than any of the level above
    (however many levels squeeze the ratio between them)?"""
    import random

    from scheduler.priority import draw_tiers, stratum

    facs = [facility(f"A{c}.{k}", priority=c) for c in range(2, classes + 1) for k in range(2)] + \
        [facility(f"B{k}") for k in range(12)]
    problem = parse_problem(problem_dict(facs, [inspector("I1")]))
    must = list(range(len(facs)))
    remote = {f: 60 * (1 + 20 * (f % 2)) for f in must}   # every other visit needs a whole day
    for seed in range(5):
        # Every stratum (one skill set here) holds all but eight of its visits: the lowest class is cut.
        quota = {(c, stratum(problem.facilities[must[0]])): float(sum(1 for f in facs if f.get("priority", 1) == c))
                 for c in range(1, classes + 1)}
        quota[(1, stratum(problem.facilities[must[0]]))] = 12 - 8.0
        tiers = draw_tiers(problem, must, [], quota, random.Random(seed), remote)
        by_level = {}
        for f, lv in tiers.level.items():
            by_level.setdefault(lv, []).append(tiers.penalty[f])
        levels = sorted(by_level)
        assert len(levels) >= 3
        for low, high in zip(levels, levels[1:]):
            assert max(by_level[low]) < min(by_level[high])
        # Inside a level the draw orders equal visits: no two share a price.
        for lv in levels:
            ordinary = [tiers.penalty[f] for f in must if tiers.level[f] == lv and remote[f] == 60]
            assert len(set(ordinary)) == len(ordinary)

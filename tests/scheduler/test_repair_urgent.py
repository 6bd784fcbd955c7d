"""Absence repair and urgent insertions on a solved schedule: valid, minimal, before the deadline."""

import json

import pytest
from conftest import facility, inspector, problem_dict

from scheduler.cli import main
from scheduler.eligibility import Instance
from scheduler.insertion import best_insertion, eligible_days
from scheduler.problem import parse_problem
from scheduler.repair import repair_absence, routes_of
from scheduler.solve import solve
from scheduler.timing import Legs, indexes
from scheduler.urgent import insertion_options
from scheduler.validate import validate


def _busiest(schedule):
    """The inspector with most visits and his two busiest dates."""
    load = {}
    for r in schedule["routes"]:
        load.setdefault(r["inspector"], []).append((len(r["stops"]), r["date"]))
    who = max(load, key=lambda i: (sum(n for n, _ in load[i]), i))
    return who, sorted(d for _, d in sorted(load[who], reverse=True)[:2])


def test_absence_repair_moves_visits_and_leaves_other_routes_identical(small_generated):
    """Are the absent inspector's visits moved to others, validly, with routes that receive nothing untouched?"""
    _, problem, sched = small_generated
    before = sched.to_dict()
    who, dates = _busiest(before)
    mine = {s["facility"] for r in before["routes"] if r["inspector"] == who and r["date"] in dates
            for s in r["stops"]}
    res = repair_absence(problem, before, who, dates, seed=3)
    after = res.schedule
    assert res.violations == [] and validate(problem, after) == []
    assert not [r for r in after["routes"] if r["inspector"] == who and r["date"] in dates]
    assert {m["facility"] for m in res.moved} | {u["facility"] for u in res.unplaced} == mine
    assert res.moved
    # What stays unplaced fits nowhere: no other inspector's day from the absence on can take it.
    inst, legs, routes = Instance(problem), Legs(problem), routes_of(problem, after)
    fidx, iidx = indexes(problem)
    others = [k for k in range(len(problem.inspectors)) if k != iidx[who]]
    future = range(problem.dates.index(dates[0]), len(problem.dates))
    for u in res.unplaced:
        f = fidx[u["facility"]]
        assert best_insertion(problem, legs, routes, f, eligible_days(inst, f, others, future)) is None
    where = {s["facility"]: (r["inspector"], r["date"]) for r in after["routes"] for s in r["stops"]}
    for m in res.moved:
        assert m["from_inspector"] == who and where[m["facility"]] == (m["to_inspector"], m["date"])
        assert m["to_inspector"] != who
    receiving = {(m["to_inspector"], m["date"]) for m in res.moved}
    untouched = [r for r in before["routes"] if (r["inspector"], r["date"]) not in receiving
                 and not (r["inspector"] == who and r["date"] in dates)]
    assert untouched and all(r in after["routes"] for r in untouched)
    assert before == sched.to_dict()


def test_absence_repair_reports_what_cannot_move():
    """With nobody else holding the skill, is the visit unplaced, listed unscheduled, and still valid?"""
    facs = [facility("F1", skills=["safety", "health"]), facility("F2", lat=43.26)]
    inss = [inspector("I1", skills=["safety", "health"]), inspector("I2", lat=43.27)]
    problem = parse_problem(problem_dict(facs, inss, ["2027-02-01"]))
    sched = solve(problem, seed=1, time_limit=1).to_dict()
    owner = {s["facility"]: r["inspector"] for r in sched["routes"] for s in r["stops"]}
    assert owner["F1"] == "I1"
    res = repair_absence(problem, sched, "I1", ["2027-02-01"], seed=1)
    assert [u["facility"] for u in res.unplaced] == ["F1"]
    assert "F1" in {u["facility"] for u in res.schedule["unscheduled"]}
    assert res.violations == []


def test_repair_refuses_unknown_inspector_or_date(small_generated):
    _, problem, sched = small_generated
    with pytest.raises(ValueError, match="unknown inspector"):
        repair_absence(problem, sched.to_dict(), "NOPE", [problem.dates[0]], seed=1)
    with pytest.raises(ValueError, match="not in the horizon"):
        repair_absence(problem, sched.to_dict(), problem.inspectors[0].id, ["1999-01-01"], seed=1)


def test_urgent_options_start_before_the_deadline_and_are_valid(small_generated):
    """Does every option start the visit by the deadline, validate, and change at most the receiving day?"""
    _, problem, sched = small_generated
    before = sched.to_dict()
    routed = {s["facility"] for r in before["routes"] for s in r["stops"]}
    fid = next(f.id for f in problem.facilities if not f.must_visit and f.id not in routed
               and "health" not in f.skills)
    deadline = f"{problem.dates[1]}T12:00"
    options = insertion_options(problem, before, fid, deadline, limit=4)
    assert options
    keys = [(bool(o.displaced), o.extra_km) for o in options]
    assert keys == sorted(keys)
    for o in options:
        assert (o.date, o.start) <= (problem.dates[1], "12:00")
        assert validate(problem, o.schedule) == []
        stop = next(s for r in o.schedule["routes"] for s in r["stops"] if s["facility"] == fid)
        assert stop["start"] == o.start
        changed = [r for r in o.schedule["routes"] if r not in before["routes"]]
        assert [(r["inspector"], r["date"]) for r in changed] == [(o.inspector, o.date)]
        # Only an insertion that displaces nothing can never shorten the day.
        assert o.extra_km >= 0 or o.displaced


def test_urgent_visit_displaces_a_lower_visit_when_the_day_is_full():
    """One inspector, one visit a day, deadline on the first day: does the option name the displaced visit?"""
    facs = [facility("F1"), facility("URG", lat=43.26, must_visit=False)]
    problem = parse_problem(problem_dict(facs, [inspector("I1", max_visits_per_day=1)], ["2027-02-01"]))
    sched = solve(problem, seed=1, time_limit=1).to_dict()
    (option,) = insertion_options(problem, sched, "URG", "2027-02-01T17:00")
    assert option.displaced == ("F1",) and option.inspector == "I1"
    assert validate(problem, option.schedule) == []
    assert option.schedule["unscheduled"][0]["facility"] == "F1"
    assert insertion_options(problem, sched, "URG", "2027-02-01T17:00", displace=False) == []
    # Nothing starts at 08:00 for an inspector whose day starts at 09:00.
    assert insertion_options(problem, sched, "URG", "2027-02-01T08:00") == []


def test_cli_repair_and_urgent(tmp_path, capsys, small_generated):
    """Do `python -m scheduler repair` and `urgent` write a valid schedule and print what they did?"""
    data, problem, sched = small_generated
    prob, sch, out = tmp_path / "p.json", tmp_path / "s.json", tmp_path / "o.json"
    prob.write_text(json.dumps(data))
    sch.write_text(sched.to_json())
    who, dates = _busiest(sched.to_dict())
    capsys.readouterr()
    assert main(["repair", str(prob), str(sch), "--inspector", who, "--dates", ",".join(dates), "--seed", "2",
                 "-o", str(out)]) == 0
    assert "moved " in capsys.readouterr().out
    assert main(["validate", str(prob), str(out)]) == 0
    routed = {s.facility for r in sched.routes for s in r.stops}
    fid = next(f.id for f in problem.facilities if f.id not in routed and "health" not in f.skills)
    capsys.readouterr()
    assert main(["urgent", str(prob), str(sch), "--facility", fid, "--deadline", f"{problem.dates[2]}T16:00",
                 "-o", str(out)]) == 0
    assert " km" in capsys.readouterr().out
    assert main(["validate", str(prob), str(out)]) == 0
    assert main(["urgent", str(prob), str(sch), "--facility", fid, "--deadline", "tomorrow"]) == 2

"""The engine on small problems: every rule, every unscheduled reason, reproducibility."""

import json

import pytest

from scheduler.eligibility import REASON_CAPACITY, REASON_EXCLUDED, REASON_NO_DATE, REASON_TOO_FAR, REASON_WINDOW
from scheduler.metrics import modal_date_share
from scheduler.problem import parse_problem
from scheduler.solve import solve
from scheduler.validate import validate
from tests.scheduler.helpers import facility, inspector, problem_dict


def _solve(data, seed=1, **kw):
    problem = parse_problem(data)
    sched = solve(problem, seed=seed, time_limit=2, **kw)
    assert validate(problem, sched) == []
    return sched


def _where(sched):
    return {s.facility: (r.inspector, r.date, s) for r in sched.routes for s in r.stops}


def _reasons(sched):
    return {u.facility: u.reason for u in sched.unscheduled}


def test_generated_schedule_is_valid_and_places_every_reachable_must(small_generated):
    _, problem, sched = small_generated
    assert validate(problem, sched) == []
    assert sched.stats["must_visit_scheduled"] + len(sched.unscheduled) == sched.stats["must_visit"]
    assert sched.stats["must_visit_scheduled"] >= 40
    assert all(not r.startswith("capacity") for r in _reasons(sched).values())


def test_skills_pick_the_inspector_who_holds_them():
    data = problem_dict([facility("F1", skills=["safety", "health"])],
                        [inspector("I1"), inspector("I2", lat=43.30, skills=["safety", "health"])])
    assert _where(_solve(data))["F1"][0] == "I2"


def test_visit_lies_inside_a_window():
    data = problem_dict([facility("F1", windows=[{"from": "08:00", "to": "09:30"},
                                                 {"from": "14:00", "to": "15:30"}])], [inspector("I1")])
    stop = _where(_solve(data))["F1"][2]
    assert 14 * 60 <= stop.start and stop.end <= 15 * 60 + 30


def test_facility_dates_and_unavailable_dates_are_respected():
    data = problem_dict([facility("F1", dates=["2027-02-02"]), facility("F2", lat=43.26)],
                        [inspector("I1", unavailable_dates=["2027-02-01", "2027-02-03"])])
    for seed in (1, 2, 3):
        where = _where(_solve(data, seed))
        assert where["F1"][1] == "2027-02-02" and where["F2"][1] == "2027-02-02"


def test_visit_capacity_leaves_the_rest_unscheduled_for_capacity():
    facs = [facility(f"F{k}", lat=43.25 + 0.002 * k) for k in range(6)]
    sched = _solve(problem_dict(facs, [inspector("I1", max_visits_per_day=2)], ["2027-02-01"]))
    assert len(sched.routes) == 1 and len(sched.routes[0].stops) == 2
    assert sorted(_reasons(sched).values()) == [REASON_CAPACITY] * 4


def test_minutes_capacity_counts_the_whole_day_away():
    facs = [facility(f"F{k}", lat=43.25 + 0.002 * k) for k in range(3)]
    sched = _solve(problem_dict(facs, [inspector("I1", max_minutes_per_day=150)], ["2027-02-01"]))
    route = sched.routes[0]
    assert len(route.stops) == 2 and route.ret - route.depart <= 150
    assert list(_reasons(sched).values()) == [REASON_CAPACITY]


def test_excluded_inspector_is_never_sent():
    data = problem_dict([facility("F1", excluded_inspectors=["I1"])],
                        [inspector("I1"), inspector("I2", lat=43.40, lon=77.10)])
    assert _where(_solve(data))["F1"][0] == "I2"


def test_each_unscheduled_reason():
    far = facility("FAR", lat=44.40, lon=78.50)
    facs = [facility("SKILL", skills=["fire"]), facility("EXCL", excluded_inspectors=["I1"]),
            facility("DATE", dates=["2027-02-01"]), far, facility("OK", lat=43.27),
            facility("SHORT", service_minutes=90, windows=[{"from": "10:00", "to": "11:00"}])]
    sched = _solve(problem_dict(facs, [inspector("I1", unavailable_dates=["2027-02-01"], day_end="17:00")]))
    reasons = _reasons(sched)
    assert reasons["SKILL"] == "no inspector holds its skills (fire)"
    assert reasons["EXCL"] == REASON_EXCLUDED
    assert reasons["DATE"] == REASON_NO_DATE
    assert reasons["FAR"] == REASON_TOO_FAR
    assert reasons["SHORT"] == REASON_WINDOW
    assert "OK" in _where(sched) and "OK" not in reasons


def test_day_end_forces_return_home():
    # 60 km away: 94 min each way + 60 min service does not fit 09:00-11:30.
    data = problem_dict([facility("F1", lat=43.78, lon=76.91)], [inspector("I1", day_end="11:30")])
    assert _reasons(_solve(data)) == {"F1": REASON_TOO_FAR}
    data["inspectors"][0]["day_end"] = "13:30"
    route = _solve(data).routes[0]
    assert route.ret <= 13 * 60 + 30 and route.ret - route.stops[0].end >= 90


def _routes_json(sched):
    d = sched.to_dict()
    return json.dumps([d["routes"], d["unscheduled"], d["seed"]])


def test_same_seed_same_schedule_and_other_seeds_move_dates(small_generated):
    data, problem, first = small_generated
    again = solve(parse_problem(data), seed=11, time_limit=4, wall_clock_cap=False)
    assert _routes_json(again) == _routes_json(first)
    others = [solve(problem, seed=s, time_limit=4) for s in (12, 13)]
    must = [f.id for f in problem.facilities if f.must_visit]
    dates = [{f: d for f, (_, d, _) in _where(s).items()} for s in [first] + others]
    moved = sum(1 for f in must if f in dates[0] and f in dates[1] and dates[0][f] != dates[1][f])
    assert moved > len(must) // 2
    assert modal_date_share([first] + others, must) < 0.75


def test_worker_count_does_not_change_routes(small_generated):
    data, problem, first = small_generated
    two = solve(problem, seed=11, time_limit=4, workers=2, max_area_facilities=20, wall_clock_cap=False)
    one = solve(problem, seed=11, time_limit=4, workers=1, max_area_facilities=20, wall_clock_cap=False)
    assert two.stats["areas"] > 1
    assert _routes_json(two) == _routes_json(one)
    assert validate(problem, two) == []


def test_without_seed_one_is_drawn_and_recorded():
    data = problem_dict([facility("F1")], [inspector("I1")])
    sched = solve(parse_problem(data), time_limit=1)
    assert isinstance(sched.seed, int) and sched.to_dict()["seed"] == sched.seed


@pytest.mark.parametrize("randomize", [True, False])
def test_optional_facilities_are_a_weighted_lottery(randomize):
    facs = [facility("M1")] + [facility(f"O{k}", lat=43.25 + 0.003 * k, must_visit=False,
                                         weight=50.0 if k == 0 else 0.01) for k in range(10)]
    data = problem_dict(facs, [inspector("I1")])
    drawn = [set(_where(_solve(data, seed, optional_fraction=0.1, randomize=randomize))) for seed in range(8)]
    assert all("M1" in d for d in drawn)
    assert sum("O0" in d for d in drawn) == 8
    assert sum(len(d) for d in drawn) < 8 * 4


def test_regions_keep_inspectors_at_home():
    facs = [facility("A1", region="Almaty"), facility("A2", region="Almaty", lat=43.27, skills=["safety", "fire"]),
            facility("N1", region="Astana", lat=43.26)]
    inss = [inspector("IA", region="Almaty"), inspector("IN", region="Astana", skills=["safety", "fire"])]
    sched = _solve(problem_dict(facs, inss))
    where = _where(sched)
    assert where["A1"][0] == "IA" and where["N1"][0] == "IN"
    assert _reasons(sched) == {"A2": "no inspector of region Almaty holds its skills"}


def test_time_limit_is_reported(small_generated):
    """Does the schedule say which limit set its budget and whether the safety cap stopped it?

    The limit sets a deterministic work budget, not a deadline (the cap is 3x the limit, at least
    30 s); speed is measured in bench/, not here.
    """
    _, problem, _ = small_generated
    sched = solve(problem, seed=3, time_limit=1.5)
    assert sched.stats["time_limit"] == 1.5 and sched.stats["hit_wall_clock_cap"] is False
    assert validate(problem, sched) == []


def test_inspector_without_region_serves_two_regions_without_double_booking():
    facs = [facility(f"A{k}", region="Almaty", lat=43.25 + 0.003 * k) for k in range(3)] + \
           [facility(f"N{k}", region="Astana", lat=43.26 + 0.003 * k) for k in range(3)]
    sched = _solve(problem_dict(facs, [inspector("IX"), inspector("IA", region="Almaty", lat=43.5)],
                                ["2027-02-01"]))
    assert len(_where(sched)) + len(sched.unscheduled) == 6
    assert len({(r.inspector, r.date) for r in sched.routes}) == len(sched.routes)


def test_date_shuffle_keeps_camps_on_their_dates_and_moves_other_days():
    facs = [facility(f"F{k}", lat=43.25 + 0.004 * k) for k in range(7)] + [facility("CAMP", dates=["2027-02-02"])]
    data = problem_dict(facs, [inspector("I1"), inspector("I2", lat=43.30)])
    seen: dict[str, set] = {}
    for seed in range(6):
        where = _where(_solve(data, seed))
        assert where["CAMP"][1] == "2027-02-02"
        camp_day = where["CAMP"][:2]
        for fid, (ins, date, _) in where.items():
            if (ins, date) != camp_day:
                seen.setdefault(fid, set()).add(date)
    assert max(len(d) for d in seen.values()) >= 2


def test_an_uncapped_rebuild_ignores_the_clock(small_generated, monkeypatch):
    """Does an auditor's uncapped rebuild give the same routes even when the clock races ahead?"""
    import scheduler.solve as solve_module

    data, problem, first = small_generated
    real = solve_module.time.time
    calls = iter(range(10**9))
    # A clock that jumps 10 s per reading: a capped run (3x the limit, at least 30 s) gives up at once.
    monkeypatch.setattr(solve_module.time, "time", lambda: real() + 10.0 * next(calls))
    capped = solve(problem, seed=11, time_limit=4)
    assert capped.stats["hit_wall_clock_cap"] is True
    rebuilt = solve(problem, seed=11, time_limit=4, wall_clock_cap=False)
    assert rebuilt.stats["hit_wall_clock_cap"] is False
    assert _routes_json(rebuilt) == _routes_json(first)


def test_progress_reports_routed_visits_without_changing_the_result(small_generated):
    """Does the progress callback see every area routed, with a growing best-so-far, and change nothing?"""
    data, problem, first = small_generated
    seen = []
    sched = solve(problem, seed=11, time_limit=4, wall_clock_cap=False, progress=seen.append)
    routing = [s for s in seen if s["phase"] == "routing"]
    assert routing[-1]["areas_done"] == routing[-1]["areas"] >= 1
    assert [s["visits_routed"] for s in routing] == sorted(s["visits_routed"] for s in routing)
    assert routing[-1]["visits_routed"] > 0 and seen[-1]["phase"] == "repair"
    assert _routes_json(sched) == _routes_json(first)


def test_an_exception_from_progress_stops_the_solve(small_generated):
    """Can the caller cancel a solve by raising from the progress callback?"""
    _, problem, _ = small_generated

    class Cancelled(Exception):
        pass

    def cancel(info):
        if info["phase"] == "routing":
            raise Cancelled()

    with pytest.raises(Cancelled):
        solve(problem, seed=11, time_limit=4, progress=cancel)

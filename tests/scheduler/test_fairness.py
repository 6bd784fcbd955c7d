"""Fair along every axis: scarce skills go where only they can, and the engine's own fairness stats."""

import pytest
from conftest import facility, inspector, problem_dict

from scheduler.fairness import Groups, fairness_stats
from scheduler.problem import parse_problem
from scheduler.solve import solve
from scheduler.timing import recount
from scheduler.validate import validate

FULL = ["safety", "nutrition", "health"]
TWO_DAYS = ["2027-02-01", "2027-02-02"]


def _two_towns():
    """Two towns 33 km apart. Each has an inspector who holds every skill (eight visits a day) and one who checks
    safety alone (two a day); twelve schools need a 30-minute safety check and ten kindergartens the full check of
    90 minutes; one of each is priority 2. A full inspector's day holds eight schools or four kindergartens, so
    filling his days with what maximises the count leaves the kindergartens waiting."""
    facs, inss = [], []
    for town, lat in (("A", 43.25), ("B", 43.55)):
        for k in range(12):
            facs.append(facility(f"{town}s{k}", lat=lat + 0.003 * k, lon=76.95, skills=["safety"], kind="school",
                                 service_minutes=30, priority=2 if k < 1 else 1))
        for k in range(10):
            facs.append(facility(f"{town}k{k}", lat=lat + 0.003 * k, lon=76.96, skills=FULL, kind="kindergarten",
                                 service_minutes=90, priority=2 if k < 1 else 1))
        inss.append(inspector(f"{town}-full", lat=lat - 0.01, skills=FULL, max_visits_per_day=8))
        inss.append(inspector(f"{town}-safety", lat=lat - 0.01, lon=76.92, skills=["safety"], max_visits_per_day=2))
    return problem_dict(facs, inss, TWO_DAYS)


def test_full_check_facilities_wait_no_more_than_the_others_within_each_priority():
    """Over 20 seeds, are the kindergartens (every skill) visited at the rate of the schools (safety alone) inside
    each priority: the inspectors who hold every skill keep their days for the visits only they can make?"""
    data = _two_towns()
    problem = parse_problem(data)
    visits = {(p, kind): 0 for p in (1, 2) for kind in ("school", "kindergarten")}
    for seed in range(20):
        sched = solve(problem, seed=seed, time_limit=1, wall_clock_cap=False)
        assert validate(problem, sched) == []
        routed = {s.facility for r in sched.routes for s in r.stops}
        for f in data["facilities"]:
            visits[(f["priority"], f["kind"])] += f["id"] in routed
    assert visits[(2, "school")] == visits[(2, "kindergarten")] == 20 * 2
    # Priority 1: 22 schools and 18 kindergartens; rates within 0.8x of each other.
    school, kindergarten = visits[(1, "school")] / 22, visits[(1, "kindergarten")] / 18
    assert kindergarten >= 0.8 * school and school >= 0.8 * kindergarten, visits


def _known():
    """Twelve schools (safety) and twelve camps (every skill), all near two inspectors with room for all but six
    camps that lie 400 km away, beyond a day's reach."""
    facs = [facility(f"S{k}", lat=43.25 + 0.002 * k, kind="school") for k in range(12)]
    facs += [facility(f"C{k}", lat=43.26 + 0.002 * k, skills=FULL, kind="camp", service_minutes=120) for k in range(6)]
    facs += [facility(f"R{k}", lat=46.9 + 0.002 * k, skills=FULL, kind="camp", service_minutes=120) for k in range(6)]
    inss = [inspector("I1", skills=FULL), inspector("I2", skills=["safety"])]
    return problem_dict(facs, inss, ["2027-02-01", "2027-02-02", "2027-02-03"])


def test_stats_table_names_each_group_and_the_reason_a_group_waits():
    """On a known problem, does the schedule's stats table give every axis's groups with their due facilities,
    visits and rates, and name the camps as waiting because six are beyond a day's reach?"""
    problem = parse_problem(_known())
    sched = solve(problem, seed=1, time_limit=1, wall_clock_cap=False)
    fair = sched.stats["fairness"]
    assert fair["threshold"] == 0.8
    skills = [(r["key"], r["due"], r["visited"], r["rate"]) for r in fair["axes"]["skills"]]
    assert skills == [("health+nutrition+safety", 12, 6, 0.5), ("safety", 12, 12, 1.0)]
    kinds = [(r["key"], r["due"], r["visited"], r["rate"]) for r in fair["axes"]["kind"]]
    assert kinds == [("camp", 12, 6, 0.5), ("school", 12, 12, 1.0)]
    service = [(r["key"], r["range"], r["rate"]) for r in fair["axes"]["service"]]
    assert service == [("service1", [60, 60], 1.0), ("service2", [120, 120], 0.5)]
    window = [(r["key"], r["range"], r["rate"]) for r in fair["axes"]["window"]]
    assert window == [("narrow", [480, 480], 0.5), ("wide", [540, 540], 1.0)]
    assert sum(r["due"] for r in fair["axes"]["distance"]) == 24
    below = {(b["axis"], b["group"]): b for b in fair["below"]}
    assert set(below) == {("skills", "health+nutrition+safety"), ("kind", "camp"), ("service", "service2"),
                          ("window", "narrow")}
    camp = below[("kind", "camp")]
    assert (camp["class"], camp["rate"], camp["best_group"], camp["best_rate"], camp["ratio"], camp["reason"]) == \
        (1, 0.5, "school", 1.0, 0.5, "too_far")


def _one_day():
    """One day: I1 holds every skill (four visits), I2 safety alone (eight); twelve schools and twelve
    kindergartens, all due, all near."""
    facs = [facility(f"S{k}", lat=43.25 + 0.002 * k, kind="school") for k in range(12)]
    facs += [facility(f"K{k}", lat=43.26 + 0.002 * k, skills=FULL, kind="kindergarten") for k in range(12)]
    inss = [inspector("I1", skills=FULL), inspector("I2", skills=["safety"], max_visits_per_day=8)]
    return parse_problem(problem_dict(facs, inss, ["2027-02-01"]))


@pytest.mark.parametrize("i1_stops,reason", [
    (["K0", "K1", "K2", "K3"], "scarce_skills"),   # the one full inspector's day went to kindergartens
    (["K0", "K1", "S8", "S9"], None),              # ... or half of it to schools I2 could have made
])
def test_a_waiting_group_is_put_down_to_scarce_skills_only_when_their_inspectors_had_no_better_served_visits(
        i1_stops, reason):
    """Kindergartens below the rule: is the reason "scarce skills" when their only inspector spent his day on them,
    and none (a defect to look at) when he spent it on schools the other inspector could have made?"""
    problem = _one_day()
    idx = {f.id: k for k, f in enumerate(problem.facilities)}
    routes = {(0, 0): [idx[f] for f in i1_stops], (1, 0): [idx[f"S{k}"] for k in range(8)]}
    fair = fairness_stats(Groups.of_problem(problem), routes)
    skills = {b["group"]: b for b in fair["below"] if b["axis"] == "skills"}
    assert set(skills) == {"health+nutrition+safety"}
    assert skills["health+nutrition+safety"]["reason"] == reason
    assert skills["health+nutrition+safety"].get("inspectors") == (1 if reason else None)


def test_hand_edits_refresh_the_fairness_stats():
    """After a visit is taken out by hand, does the recount give the table of the edited schedule?"""
    problem = parse_problem(_known())
    sched = solve(problem, seed=1, time_limit=1, wall_clock_cap=False).to_dict()
    route = next(r for r in sched["routes"] if any(s["facility"].startswith("S") for s in r["stops"]))
    route["stops"] = [s for s in route["stops"] if not s["facility"].startswith("S")]
    sched["routes"] = [r for r in sched["routes"] if r["stops"]]
    recount(problem, sched)
    visited = {r["key"]: r["visited"] for r in sched["stats"]["fairness"]["axes"]["skills"]}
    assert visited["safety"] < 12


def _full_day(band_of_last):
    """One inspector, one day of four visits, all of one level; a fifth facility of that level skipped by the routing,
    drawn first (highest standing) and in band `band_of_last` of its stratum; F4 was drawn last."""
    import random

    from scheduler.eligibility import Instance, eligibility
    from scheduler.priority import Tiers
    from scheduler.repair import insert_skipped
    from scheduler.timing import Legs

    facs = [facility(f"F{k}", lat=43.25 + 0.003 * k) for k in range(1, 6)]
    problem = parse_problem(problem_dict(facs, [inspector("I1")], ["2027-02-01"]))
    inst = Instance(problem)
    usable, _ = eligibility(inst)
    idx = {f.id: k for k, f in enumerate(problem.facilities)}
    standing = {idx["F5"]: 1.45, idx["F1"]: 1.35, idx["F2"]: 1.25, idx["F3"]: 1.15, idx["F4"]: 1.05}
    tiers = Tiers(level=dict.fromkeys(standing, 1), penalty=dict.fromkeys(standing, 1), rank={}, standing=standing,
                  cut_class=1, band={**dict.fromkeys(standing, 0), idx["F5"]: band_of_last})
    routes = {(0, 0): [idx[f] for f in ("F1", "F2", "F3", "F4")]}
    left = insert_skipped(inst, routes, [idx["F5"]], usable, Legs(problem), random.Random("1:repair"), tiers)
    return {problem.facilities[f].id for f in left}, {problem.facilities[f].id for f in routes[(0, 0)]}


def test_a_visit_drawn_well_inside_its_quota_takes_the_place_of_one_drawn_after_it_when_the_days_near_it_are_full():
    """The routing left out a facility the draw put first in its stratum (band 0), as the only day near it is full of
    its equals: does the repair give it the place of the one drawn last, so no facility waits in every horizon
    because of where it stands?"""
    left, routed = _full_day(0)
    assert left == {"F4"}
    assert routed == {"F1", "F2", "F3", "F5"}


def test_a_visit_drawn_beyond_its_quota_does_not_displace_its_equals():
    """Drawn in an outer band (beyond the quota), the skipped facility waits: the day keeps the four it had."""
    left, routed = _full_day(2)
    assert left == {"F5"}
    assert routed == {"F1", "F2", "F3", "F4"}


def test_a_visit_only_the_fully_skilled_can_make_takes_the_place_of_one_anyone_could_make():
    """The fully skilled inspector's only day is full of schools (safety and nutrition) that another inspector, with
    a free day, could visit; the kindergarten that needs all three skills was skipped by the routing. Does the repair
    give the kindergarten a school's place and move the school to the other inspector, so nobody is left out?"""
    import random

    from scheduler.eligibility import Instance, eligibility
    from scheduler.priority import Tiers
    from scheduler.repair import insert_skipped
    from scheduler.timing import Legs

    full = ["safety", "nutrition", "health"]
    facs = [facility(f"S{k}", lat=43.25 + 0.003 * k, skills=["safety", "nutrition"]) for k in range(1, 5)]
    facs.append(facility("K1", lat=43.262, skills=full))
    problem = parse_problem(problem_dict(facs, [inspector("I1", skills=full), inspector("I2")], ["2027-02-01"]))
    inst = Instance(problem)
    usable, _ = eligibility(inst)
    idx = {f.id: k for k, f in enumerate(problem.facilities)}
    # All of one level, well inside the quota; the kindergarten drawn last, so no school was drawn after it.
    standing = {idx["S1"]: 1.45, idx["S2"]: 1.35, idx["S3"]: 1.25, idx["S4"]: 1.15, idx["K1"]: 1.05}
    tiers = Tiers(level=dict.fromkeys(standing, 1), penalty=dict.fromkeys(standing, 1), rank={}, standing=standing,
                  cut_class=1, band=dict.fromkeys(standing, 0))
    routes = {(0, 0): [idx[f] for f in ("S1", "S2", "S3", "S4")]}
    left = insert_skipped(inst, routes, [idx["K1"]], usable, Legs(problem), random.Random("1:repair"), tiers)
    assert left == []
    by_inspector = {problem.inspectors[k].id: {problem.facilities[f].id for f in seq} for (k, _), seq in routes.items()}
    assert "K1" in by_inspector["I1"]
    assert len(by_inspector["I1"]) == 4 and len(by_inspector["I2"]) == 1
    assert by_inspector["I1"] | by_inspector["I2"] == {"S1", "S2", "S3", "S4", "K1"}

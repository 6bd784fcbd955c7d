"""Does the problem a build reads follow Kazakhstan's calendar: holidays, a transferred working Saturday, school
breaks by facility type, camp seasons, meals, closures, and the reason when a due facility is closed throughout?"""

import datetime as dt

import pytest

from inspect_app.extensions import db
from inspect_app.models import CalendarTransfer, FacilityClosure
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.calendar import store
from inspect_app.services.schedules import engine as schedule_engine
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.helpers import build
from tests.runtime import runtime_changed

WEEK = ("mon", "tue", "wed", "thu", "fri")


def _kindergartens(region, n, **kw):
    return [FacilityFactory(region=region, type="kindergarten", risk="high", last_inspection_date=None,
                            lat=43.25 + 0.002 * k, lon=76.95 + 0.002 * k, children_count=100, **kw)
            for k in range(n)]


def _visit_dates(result):
    return {r["date"] for r in result["routes"] if r["stops"]}


def _solved(region, start, days):
    build = schedules.region_problem(db.session, region, start, days, today=start, runtime=current_runtime())
    result = schedule_engine.solve(build.problem, 7, 2, True)
    assert schedule_engine.validate(build.problem, result) == []
    return build, result


def _entry(build, facility):
    return next((f for f in build.problem["facilities"] if f["id"] == f"F{facility.id}"), None)


def _excluded(build, facility):
    return next((e for e in build.excluded if e["facility_id"] == facility.id), None)


@pytest.mark.parametrize("start, holidays", [
    # Monday 15 December 2031: Independence Day is Tuesday the 16th.
    (dt.date(2031, 12, 15), {"2031-12-16"}),
    # Nauryz 2031: Friday 21 March, the weekend, and the law's days off on Monday 24 and Tuesday 25.
    (dt.date(2031, 3, 20), {"2031-03-21", "2031-03-24", "2031-03-25"}),
])
def test_a_horizon_over_a_holiday_has_no_visit_on_it(app, region_a, start, holidays):
    """Does a horizon over 16 December or Nauryz skip the holidays, with every day's inspector busy?"""
    _kindergartens(region_a, 20)
    InspectorFactory(regions=[region_a], max_visits_per_day=4)
    build, result = _solved(region_a, start, 5)
    dates = set(build.problem["dates"])
    assert len(dates) == 5 and not dates & holidays
    # 20 visits for one inspector at four a day: every one of the five working days carries visits.
    assert _visit_dates(result) == dates
    assert all(dt.date.fromisoformat(d).weekday() < 5 for d in dates)


def test_a_transferred_working_saturday_gets_visits_and_its_day_off_none(app, region_a):
    """Is a Saturday the government made a working day used (with the hours of the Friday it pays for), and
    that Friday left free?"""
    # Friday 4 April 2031 off, Saturday 5 April worked instead.
    db.session.add(CalendarTransfer(year=2031, day_off=dt.date(2031, 4, 4), working_day=dt.date(2031, 4, 5)))
    _kindergartens(region_a, 20)
    InspectorFactory(regions=[region_a], max_visits_per_day=4)
    build, result = _solved(region_a, dt.date(2031, 4, 3), 5)
    assert build.problem["dates"] == ["2031-04-03", "2031-04-05", "2031-04-07", "2031-04-08", "2031-04-09"]
    assert "2031-04-05" in _visit_dates(result)
    # Kindergartens open Monday to Friday are open on the working Saturday (Friday's hours).
    assert all("dates" not in f for f in build.problem["facilities"])


def test_a_school_in_a_break_gets_no_visit_while_a_kindergarten_does(app, region_a):
    """In the spring break (the default school year follows the published 2025/2026 one: 19-29 March), is a due
    school left out with its reason and a due kindergarten visited?"""
    school = FacilityFactory(region=region_a, type="school", last_inspection_date=None)
    college = FacilityFactory(region=region_a, type="college", last_inspection_date=None, lat=43.26)
    kindergarten = _kindergartens(region_a, 1)[0]
    InspectorFactory(regions=[region_a])
    # 19-20 March 2031 (Wednesday, Thursday) lie in the break; 26-27 March too.
    build, result = _solved(region_a, dt.date(2031, 3, 19), 2)
    assert _entry(build, school) is None
    assert _excluded(build, school) == {"facility_id": school.id, "due": "never_inspected", "reason": "school_break"}
    placed = {s["facility"] for r in result["routes"] for s in r["stops"]}
    assert f"F{kindergarten.id}" in placed and f"F{college.id}" in placed
    # After the break the school is open again.
    later = schedules.region_problem(db.session, region_a, dt.date(2031, 3, 26), 5, today=dt.date(2031, 3, 26),
                                     runtime=current_runtime())
    assert _entry(later, school)["dates"] == ["2031-03-31", "2031-04-01"]


def test_a_camp_out_of_season_and_in_the_summer_break(app, region_a):
    """Is a camp visited only in its season, while a school is closed for the summer?"""
    camp = FacilityFactory(region=region_a, type="summer_camp", season_start="06-15", season_end="08-20",
                           last_inspection_date=None,
                           opening_hours={d: [["09:00", "19:00"]] for d in WEEK})
    school = FacilityFactory(region=region_a, type="school", last_inspection_date=None)
    InspectorFactory(regions=[region_a])
    spring = schedules.region_problem(db.session, region_a, dt.date(2031, 5, 5), 5, today=dt.date(2031, 5, 5),
                                      runtime=current_runtime())
    assert _excluded(spring, camp)["reason"] == "out_of_season" and _entry(spring, school) is not None
    summer = schedules.region_problem(db.session, region_a, dt.date(2031, 6, 16), 5, today=dt.date(2031, 6, 16),
                                      runtime=current_runtime())
    assert _entry(summer, camp) is not None
    assert _excluded(summer, school)["reason"] == "summer_break"


def test_no_nutrition_check_on_a_day_without_meals(app, region_a):
    """Where schools stay open in the breaks but the canteen does not (a deployment's rule), is a school's
    inspection (which checks nutrition) planned only on days meals are served, while a club is not held back?"""
    with runtime_changed(app, calendar_type_rules={"school": {"open_in_breaks": True, "meals_in_breaks": False}}):
        school = FacilityFactory(region=region_a, type="school", last_inspection_date=None)
        club = FacilityFactory(region=region_a, type="sports_club", last_inspection_date=None, lat=43.26)
        InspectorFactory(regions=[region_a])
        # 26-27 March 2031 in the break, 28 March (Friday) too, 31 March and 1 April after it.
        build, result = _solved(region_a, dt.date(2031, 3, 26), 5)
        assert _entry(build, school)["dates"] == ["2031-03-31", "2031-04-01"]
        assert "dates" not in _entry(build, club)
        for route in result["routes"]:
            if any(s["facility"] == f"F{school.id}" for s in route["stops"]):
                assert route["date"] in ("2031-03-31", "2031-04-01")
        only_break = schedules.region_problem(db.session, region_a, dt.date(2031, 3, 26), 3,
                                              today=dt.date(2031, 3, 26), runtime=current_runtime())
        assert _excluded(only_break, school)["reason"] == "no_meals"


def test_closures_are_respected_and_a_closed_due_facility_is_named(app, region_a):
    """Does a closure take its dates away, and is a due facility closed throughout left out with the reason?"""
    partly, fully = _kindergartens(region_a, 2)
    db.session.add_all([
        FacilityClosure(facility_id=partly.id, start_date=dt.date(2031, 3, 4), end_date=dt.date(2031, 3, 5),
                        reason="repair"),
        FacilityClosure(facility_id=fully.id, start_date=dt.date(2031, 3, 1), end_date=dt.date(2031, 3, 31),
                        reason="quarantine"),
    ])
    InspectorFactory(regions=[region_a])
    build, result = _solved(region_a, dt.date(2031, 3, 3), 5)
    assert _entry(build, partly)["dates"] == ["2031-03-03", "2031-03-06", "2031-03-07"]
    assert _excluded(build, fully) == {"facility_id": fully.id, "due": "never_inspected", "reason": "closure"}
    for route in result["routes"]:
        if any(s["facility"] == f"F{partly.id}" for s in route["stops"]):
            assert route["date"] not in ("2031-03-04", "2031-03-05")


def test_the_calendar_counts_working_days_of_a_year(app):
    """Does the calendar know 2031's working days: weekdays less the weekday holidays?"""
    cal = store.working_calendar(db.session, dt.date(2031, 1, 1), dt.date(2031, 12, 31), current_runtime().workdays)
    weekdays = sum(1 for k in range(365) if (dt.date(2031, 1, 1) + dt.timedelta(days=k)).weekday() < 5)
    # Weekday holidays of 2031 (holidays' KZ calendar): 1, 2, 7 Jan; 10, 17, 21, 24, 25 Mar; 2 Apr (Kurban Ait,
    # estimated); 1, 7, 9 May; 7 Jul; 27 Oct; 16 Dec: 15 days.
    assert len(cal.between(dt.date(2031, 1, 1), dt.date(2031, 12, 31))) == weekdays - 15


def test_the_review_page_names_a_due_facility_closed_throughout(client, login, users, region_a):
    """Does a built draft list a due school in the break (and a quarantined kindergarten) as unscheduled with the
    reason, and a facility that is not due not at all there?"""
    FacilityFactory(region=region_a, type="school", last_inspection_date=None, name_ru="Школа в каникулы")
    FacilityFactory(region=region_a, type="school", last_inspection_date=dt.date(2031, 3, 1), name_ru="Не к сроку")
    quarantined = _kindergartens(region_a, 1)[0]
    db.session.add(FacilityClosure(facility_id=quarantined.id, start_date=dt.date(2031, 3, 1),
                                   end_date=dt.date(2031, 3, 31), reason="quarantine"))
    _kindergartens(region_a, 3)
    InspectorFactory(regions=[region_a])
    db.session.commit()
    login("supervisor")
    _job, saved = build(users["supervisor"], region_a, days=2, start=dt.date(2031, 3, 19))
    page = client.get(f"/schedules/{saved[0].id}").get_data(as_text=True)
    closed = page[page.index('id="closed-due"'):]
    closed = closed[:closed.index("</ul>")]
    # Folded like the other lists: the demo region's 66 closed camps made the page thousands of px taller.
    assert '<details class="closed-due-box"><summary>Список объектов</summary>' in closed
    assert "Школа в каникулы" in closed and "каникулы: объект этого типа закрыт во все дни графика" in closed
    assert quarantined.name_ru in closed and "(ремонт, карантин, чрезвычайная ситуация)" in closed
    assert "Не к сроку" not in closed


def test_urgent_options_skip_independence_day_and_use_a_working_saturday(app, users, region_a):
    """Does an urgent visit into a published schedule over 16 December 2031 (and a Saturday made a working day)
    only offer working days: never the 16th or the transferred Friday, the Saturday allowed?"""
    from inspect_app.services.schedules import publish_schedule, urgent_options

    db.session.add(CalendarTransfer(year=2031, day_off=dt.date(2031, 12, 19), working_day=dt.date(2031, 12, 20)))
    _kindergartens(region_a, 6)
    InspectorFactory(regions=[region_a], max_visits_per_day=4)
    InspectorFactory(regions=[region_a], max_visits_per_day=4, home_lat=43.25)
    db.session.commit()
    _job, saved = build(users["supervisor"], region_a, days=5, start=dt.date(2031, 12, 15))
    schedule = publish_schedule(db.session, users["supervisor"], saved[0])
    # Registered after the build: the urgent visit adds it to the problem on the calendar's dates.
    urgent = FacilityFactory(region=region_a, type="kindergarten", last_inspection_date=dt.date(2031, 11, 1),
                             lat=43.251, lon=76.951)
    db.session.commit()
    assert schedule.problem["dates"] == ["2031-12-15", "2031-12-17", "2031-12-18", "2031-12-20", "2031-12-22"]
    now = dt.datetime(2031, 12, 15, 3, 0, tzinfo=dt.UTC)
    found = urgent_options(db.session, users["supervisor"], schedule, {"facility_id": urgent.id, "hours": 24 * 8},
                           now=now, runtime=current_runtime())
    dates = {o["date"] for o in found["options"]}
    assert dates and not dates & {"2031-12-16", "2031-12-19", "2031-12-21"}
    assert next(f for f in found["problem"]["facilities"] if f["id"] == f"F{urgent.id}").get("dates") is None

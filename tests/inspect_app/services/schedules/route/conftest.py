"""A published schedule whose days are 'today' and 'tomorrow' of a clock the tests set."""

import datetime as dt

import pytest

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.models import Schedule, ScheduleVisit
from inspect_app.services import checklists
from inspect_app.services.access import day as release_rule
from tests.factories import FacilityFactory, InspectorFactory

TODAY = dt.date(2031, 3, 4)  # a Tuesday
TOMORROW = TODAY + dt.timedelta(days=1)


def almaty(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware time of day in Almaty."""
    return dt.datetime.combine(day, dt.time(hour, minute), ALMATY)


@pytest.fixture
def clock(monkeypatch, app):
    """`clock(datetime)` sets what the release rule (access/day.py) takes for now; it starts at TODAY 09:00 Almaty.
    Routes open at the default hour, 06:00."""
    monkeypatch.setitem(app.config, "ROUTE_RELEASE_HOUR", 6)
    state = {"now": almaty(TODAY, 9)}
    monkeypatch.setattr(release_rule, "now_utc", lambda: state["now"].astimezone(dt.UTC))

    def set_now(value: dt.datetime):
        state["now"] = value

    return set_now


def publish(region, visits_by_inspector: dict, start=TODAY, end=TOMORROW) -> Schedule:
    """A published schedule with the given visits: {inspector: [(date, facility, "HH:MM", "HH:MM"), ...]}."""
    schedule = Schedule(region=region, start_date=start, end_date=end, seed=1, time_limit=1, status="published",
                        problem={"dates": [start.isoformat(), end.isoformat()], "facilities": [],
                                 "inspectors": []},
                        problem_sha256="0" * 64, schedule={"routes": [], "unscheduled": []}, stats={})
    db.session.add(schedule)
    for inspector, stops in visits_by_inspector.items():
        for day, facility, begin, finish in stops:
            order = sum(1 for d, *_ in stops[:stops.index((day, facility, begin, finish))] if d == day)
            schedule.visits.append(ScheduleVisit(inspector=inspector, facility=facility, date=day, start=begin,
                                                 end=finish, order=order))
    db.session.flush()
    return schedule


@pytest.fixture
def day(users, region_a, clock):
    """Region A: the `inspector` user's inspector has two stops today and one tomorrow; another inspector one."""
    checklists.ensure_templates(db.session)
    inspector = InspectorFactory(regions=[region_a], user=users["inspector"], home_lat=43.24, home_lon=76.91,
                                 full_name="Аскаров Ерлан")
    other = InspectorFactory(regions=[region_a], full_name="Бекова Айгуль")
    f = [FacilityFactory(region=region_a, name_ru=f"Школа № {n}", lat=43.25 + n / 100, lon=76.95) for n in range(4)]
    schedule = publish(region_a, {
        inspector: [(TODAY, f[0], "09:00", "11:00"), (TODAY, f[1], "11:30", "13:30"),
                    (TOMORROW, f[2], "09:00", "11:00")],
        other: [(TODAY, f[3], "09:00", "11:00")],
    })
    visits = sorted(schedule.visits, key=lambda v: (v.inspector_id != inspector.id, v.date, v.order))
    return {"schedule": schedule, "inspector": inspector, "other": other, "facilities": f,
            "today": visits[:2], "tomorrow": visits[2], "others": visits[3]}


@pytest.fixture
def national(day):
    """The national checklist as the forms package sees it."""
    return checklists.parsed(checklists.latest_template(db.session, "national"))

"""Who waits when capacity is short: the priority a build gives each due facility, and the history it reads."""

import datetime as dt
from types import SimpleNamespace

from inspect_app.extensions import db
from inspect_app.models import Schedule, UrgentRequest
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.schedules.problem import DEFAULT_PRIORITY, ProblemSettings, Signals, due_reason, priority
from inspect_app.services.schedules.signals import facility_signals
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.conftest import START

HORIZON = [START + dt.timedelta(days=k) for k in range(5)]
SETTINGS = ProblemSettings(intervals={"high": 90, "medium": 180, "low": 365}, optional_weights={},
                           travel={"speed_kmh": 40, "road_factor": 1.3})


def _fac(risk="low", last=None, followup=None):
    return SimpleNamespace(risk=risk, last_inspection_date=last, followup_due_date=followup)


def test_priority_adds_risk_overdue_followup_complaint_waits_and_not_done():
    """Does each thing an inspectorate ranks by raise the priority by its configured amount?"""
    on_time = _fac("low", last=START - dt.timedelta(days=365))
    assert priority(on_time, HORIZON, SETTINGS) == 1.0
    assert priority(_fac("high", last=START - dt.timedelta(days=90)), HORIZON, SETTINGS) == 3.0
    # 60 days past a 365-day interval: +2.
    assert priority(_fac("low", last=START - dt.timedelta(days=425)), HORIZON, SETTINGS) == 3.0
    # Overdue counts at most +6; never inspected counts as one interval overdue (capped too).
    assert priority(_fac("low", last=START - dt.timedelta(days=3650)), HORIZON, SETTINGS) == 7.0
    assert priority(_fac("medium"), HORIZON, SETTINGS) == 8.0
    followup = _fac("low", last=START - dt.timedelta(days=365), followup=START + dt.timedelta(days=2))
    assert priority(followup, HORIZON, SETTINGS) == 4.0
    assert priority(on_time, HORIZON, SETTINGS, Signals(complaint=True)) == 6.0
    assert priority(on_time, HORIZON, SETTINGS, Signals(waited=2)) == 5.0
    assert priority(on_time, HORIZON, SETTINGS, Signals(not_done="refused_entry")) == 3.0


def test_priority_weights_are_configurable():
    """Does SCHEDULE_PRIORITY change the ranking (here: waiting counts 10 per horizon)?"""
    weights = {**DEFAULT_PRIORITY, "per_horizon_waited": 10.0}
    settings = ProblemSettings(SETTINGS.intervals, {}, SETTINGS.travel, priority=weights)
    assert priority(_fac("low", last=START - dt.timedelta(days=365)), HORIZON, settings, Signals(waited=1)) == 11.0


def test_complaint_and_visit_not_done_make_a_fresh_facility_due():
    """Is a facility inspected last month due again after a complaint or a visit that did not happen?"""
    fresh = _fac("low", last=START - dt.timedelta(days=30))
    assert due_reason(fresh, HORIZON, SETTINGS.intervals) is None
    assert due_reason(fresh, HORIZON, SETTINGS.intervals, Signals(complaint=True)) == "complaint"
    assert due_reason(fresh, HORIZON, SETTINGS.intervals, Signals(not_done="closed")) == "not_done"


def _published(region, start, unscheduled, revision=None):
    row = Schedule(region_id=region.id, start_date=start, end_date=start + dt.timedelta(days=4), seed=1,
                   time_limit=1, status="published", problem={}, problem_sha256="0" * 64,
                   schedule={"routes": [], "unscheduled": unscheduled}, stats={}, revision=revision)
    db.session.add(row)
    db.session.flush()
    return row


def test_waiting_is_derived_from_published_schedules_and_raises_the_priority(app, region_a, users):
    """Does a facility left unscheduled in two published horizons get +2 per horizon, until inspected?"""
    waiting = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=400))
    inspected_since = FacilityFactory(region=region_a, risk="low", last_inspection_date=START - dt.timedelta(days=3))
    InspectorFactory(regions=[region_a])
    for weeks in (4, 2):
        _published(region_a, START - dt.timedelta(weeks=weeks),
                   [{"facility": f"F{waiting.id}", "reason": "capacity exhausted"},
                    {"facility": f"F{inspected_since.id}", "reason": "capacity exhausted"}])
    signals = facility_signals(db.session, region_a.id, [waiting, inspected_since])
    assert signals[waiting.id].waited == 2 and inspected_since.id not in signals
    build = schedules.region_problem(db.session, region_a, START, 5, runtime=current_runtime())
    entry = next(f for f in build.problem["facilities"] if f["id"] == f"F{waiting.id}")
    # low 1 + 35 days overdue (1.17) + 2 horizons waited (4).
    assert entry["must_visit"] and entry["priority"] == 6.17


def test_complaint_and_displaced_visit_are_read_from_history(app, region_a, users):
    """Are an urgent request and a visit displaced by an urgent insertion signals of the next build?"""
    complained = FacilityFactory(region=region_a, last_inspection_date=START - dt.timedelta(days=30))
    displaced = FacilityFactory(region=region_a, last_inspection_date=START - dt.timedelta(days=30))
    db.session.add(UrgentRequest(facility_id=complained.id, region_id=region_a.id, reason="hotline_111",
                                 deadline=dt.datetime(2031, 3, 1, tzinfo=dt.UTC),
                                 created_at=dt.datetime(2031, 2, 27, 6, tzinfo=dt.UTC)))
    _published(region_a, START - dt.timedelta(weeks=1), [],
               revision={"displaced": [{"facility": f"F{displaced.id}", "date": START.isoformat()}]})
    signals = facility_signals(db.session, region_a.id, [complained, displaced])
    assert signals[complained.id].complaint and signals[displaced.id].not_done == "displaced"

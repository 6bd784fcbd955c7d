"""A visit that did not happen, from the stop to the next build: due again with a raised priority, no longer
counted as planned, and a refused entry flagged to the region's supervisor on the facility and schedule pages."""

import datetime as dt

from inspect_app.extensions import db
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.schedules.signals import facility_signals, planned_facilities
from tests.inspect_app.services.schedules.route.conftest import TODAY, TOMORROW


def _entry(build, facility):
    return next((f for f in build.problem["facilities"] if f["id"] == f"F{facility.id}"), None)


def test_a_refused_entry_is_due_again_with_a_raised_priority_and_flagged(client, login, auth_headers, day,
                                                                          region_a):
    """After the inspector records "refused entry" at a stop, does the next build plan the facility as a must-visit
    with a higher priority than before, and do the supervisor's facility and schedule pages say so?"""
    visit = day["today"][1]
    facility = visit.facility
    facility.risk, facility.last_inspection_date = "low", TODAY - dt.timedelta(days=30)  # on time: not due
    db.session.commit()
    before = schedules.region_problem(db.session, region_a, TOMORROW, 5, runtime=current_runtime())
    assert _entry(before, facility) is None  # planned today: a build leaves it out
    assert facility.id in planned_facilities(db.session, region_a.id, TODAY, TOMORROW)

    response = client.post(f"/api/v1/my/route/visits/{visit.id}/not-done", headers=auth_headers("inspector"),
                           json={"reason": "refused_entry", "note": "Охрана не пустила"})
    assert response.status_code == 200

    assert facility_signals(db.session, region_a.id, [facility])[facility.id].not_done == "refused_entry"
    assert facility.id not in planned_facilities(db.session, region_a.id, TODAY, TOMORROW)
    after = _entry(schedules.region_problem(db.session, region_a, TOMORROW, 5, runtime=current_runtime()), facility)
    # Due again although inspected on time: low risk (1) + a visit that did not happen (2), the default weights.
    assert after is not None and after["must_visit"] and after["priority"] == 3.0

    login("supervisor")
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    assert 'id="refused-entry"' in page and "Аскаров Ерлан" in page
    schedule_page = client.get(f"/schedules/{day['schedule'].id}").get_data(as_text=True)
    assert 'id="refused-entry"' in schedule_page and facility.name_ru in schedule_page

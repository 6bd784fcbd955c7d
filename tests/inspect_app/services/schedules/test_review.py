"""The review page: unscheduled facilities grouped by reason with the inspector-days that would place them,
and the share of inspector-day capacity used by must-visits and by extra visits."""

from inspect_app.extensions import db
from inspect_app.services.schedules.capacity import capacity_use, unscheduled_groups
from tests.inspect_app.services.schedules.conftest import make_region_registry
from tests.inspect_app.services.schedules.helpers import build

PROBLEM = {
    "dates": ["2031-03-03", "2031-03-04"],
    "facilities": [{"id": f"F{k}", "must_visit": k < 8} for k in range(12)],
    "inspectors": [{"id": "I1", "max_visits_per_day": 4, "unavailable_dates": ["2031-03-04"]},
                   {"id": "I2", "max_visits_per_day": 4, "unavailable_dates": []}],
}
SCHEDULE = {
    "routes": [{"inspector": "I1", "date": "2031-03-03", "stops": [{"facility": "F0"}, {"facility": "F1"},
                                                                    {"facility": "F9"}]},
               {"inspector": "I2", "date": "2031-03-03", "stops": [{"facility": "F2"}]}],
    "unscheduled": [{"facility": f"F{k}", "reason": "capacity exhausted: every feasible inspector-day is full"}
                    for k in (3, 4, 5)] + [{"facility": "F6", "reason": "too far: no eligible inspector can reach it"},
                                           {"facility": "F7", "reason": "no inspector holds its skills (health)"}],
}


def test_unscheduled_groups_count_reasons_and_the_days_that_would_place_them():
    """Are 3 capacity misses one group needing 2 more inspector-days (2 visits a day here), and distance or
    skills groups marked as not helped by more days?"""
    groups = {g["group"]: g for g in unscheduled_groups(PROBLEM, SCHEDULE)}
    assert groups["capacity"]["count"] == 3 and groups["capacity"]["days"] == 2
    assert groups["too_far"]["days"] is None and groups["skills"]["facilities"] == ["F7"]
    assert [g["group"] for g in unscheduled_groups(PROBLEM, SCHEDULE)][0] == "capacity"


def test_capacity_use_counts_available_inspector_days():
    """Is capacity the available inspector-days times visits a day, split into must-visits and extras?"""
    use = capacity_use(PROBLEM, SCHEDULE)
    assert use["inspector_days"] == 3 and use["capacity_visits"] == 12
    assert use["must_visits"] == 3 and use["extra_visits"] == 1
    assert use["must_share"] == 0.25 and use["extra_share"] == 0.083 and use["free_share"] == 0.667


def test_review_page_groups_unscheduled_and_shows_capacity(client, login, users, region_a):
    """With more due facilities than inspectors can visit, does the page show collapsible groups with counts
    instead of a flat list, and the capacity used?"""
    make_region_registry(region_a, n_facilities=40, n_inspectors=1)
    db.session.flush()
    _, (schedule,) = build(users["supervisor"], region_a, days=1)
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    total = len(schedule.schedule["unscheduled"])
    assert total > 0 and f"({total})" in page
    assert page.count('<details class="unscheduled-group"') == len(unscheduled_groups(schedule.problem,
                                                                                       schedule.schedule))
    assert 'id="capacity"' in page and "Занято обязательными" in page
    use = capacity_use(schedule.problem, schedule.schedule)
    assert f"{(use['must_share'] * 100):.1f}%".replace(".", ",") in page  # ru writes a decimal comma

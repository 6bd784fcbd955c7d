"""The statistics service: are the figures right on the hand-made dataset, and scoped to the user?"""

from datetime import timedelta

import pytest

from inspect_app.extensions import db
from inspect_app.schemas.statistics import StatisticsSummarySchema
from inspect_app.services import statistics
from inspect_app.services.errors import Forbidden, InvalidInput


def test_supervisor_figures_by_district(users, dataset):
    """A supervisor's own region, a row per district, every figure as the dataset's docstring says."""
    data = statistics.summary(db.session, users["supervisor"], dataset.period)
    t = data.total
    assert data.level == "district" and data.region.kato == "190000000"
    assert t.facilities == 4
    assert t.by_risk == {"high": 1, "medium": 1, "low": 2}
    assert {k: v for k, v in t.by_type.items() if v} == {"school": 2, "kindergarten": 1, "summer_camp": 1}
    assert t.inspections == 3
    assert t.by_basis == {"planned": 2, "unplanned": 0, "monitoring": 1}
    assert t.by_result == {"pass": 1, "pass_with_violations": 1, "fail": 1}
    assert (t.due, t.in_time, t.never_inspected, t.overdue_facilities, t.in_time_share) == (3, 2, 1, 1, 66.7)
    assert (t.violations.total, t.violations.open, t.violations.resolved, t.violations.overdue) == (3, 2, 1, 1)

    rows = {area.kato: area for area in data.areas}
    assert list(rows) == ["191000000", "192000000", None]
    assert (rows["191000000"].facilities, rows["191000000"].inspections) == (1, 2)
    assert (rows["192000000"].facilities, rows["192000000"].inspections, rows["192000000"].due) == (2, 1, 1)
    assert (rows[None].facilities, rows[None].never_inspected, rows[None].inspections) == (1, 1, 0)
    assert rows["191000000"].violations.overdue == 1


def test_violations_by_severity_section_and_items(users, dataset):
    """Open, resolved and overdue by severity and section; the failed items ranked with their share."""
    data = statistics.summary(db.session, users["supervisor"], dataset.period)
    sev = {k: (c.total, c.open, c.resolved, c.overdue) for k, c in data.violations_by_severity.items()}
    assert sev == {"critical": (1, 1, 0, 1), "major": (1, 1, 0, 0), "minor": (1, 0, 1, 0)}
    assert list(data.violations_by_section) == ["safety"]
    assert data.section_title("safety", "kk") == "Қауіпсіздік"
    assert [(i.item_code, i.failures, i.share) for i in data.top_items] == [
        ("safety.turnstiles", 1, 33.3), ("safety.video_police", 1, 33.3), ("safety.visitor_log", 1, 33.3)]
    assert data.top_items[0].text["ru"].startswith("Турникеты")


def test_critical_list_is_current_whatever_the_period(users, dataset):
    """f2's critical violation from before the period still puts it on the list; region B's is not shown."""
    data = statistics.summary(db.session, users["supervisor"], dataset.period)
    assert {f.facility_id for f in data.critical_facilities} == {dataset.f1.id, dataset.f2.id}
    assert data.critical_facilities_total == 2


def test_a_past_period_uses_the_inspections_made_by_its_end(users, dataset):
    """Ending 50 days ago: only a1 counts, f1 was in time then, f2's newest inspection was 400 days old."""
    args = {"date_from": dataset.date_from, "date_to": dataset.today - timedelta(days=50)}
    data = statistics.summary(db.session, users["supervisor"], args)
    assert data.as_of == dataset.today - timedelta(days=50)
    assert data.total.inspections == 1
    assert (data.total.due, data.total.in_time, data.total.never_inspected) == (3, 1, 1)
    # f2 (medium, 180 days): newest inspection 400 days before today, 350 before the end -> 170 days overdue.
    assert data.total.overdue_by == {"1_30": 0, "31_90": 0, "91_180": 1, "over_180": 0}


def test_ministry_sees_every_region(users, dataset):
    """Nationally a row per region; region B's audit and violation join the totals."""
    data = statistics.summary(db.session, users["ministry"], dataset.period)
    assert data.level == "region" and data.region is None
    assert [a.kato for a in data.areas] == ["190000000", "750000000"]
    assert data.total.inspections == 4 and data.total.facilities == 5
    assert data.total.violations.open == 3 and data.total.violations.overdue == 1
    assert data.critical_facilities_total == 3


def test_ministry_may_pick_one_region(users, dataset):
    """Picking region A gives the supervisor's figures, by district."""
    mine = statistics.summary(db.session, users["supervisor"], dataset.period)
    picked = statistics.summary(db.session, users["ministry"], {**dataset.period, "region": "190000000"})
    assert picked.level == "district"
    assert StatisticsSummarySchema().dump(picked) == StatisticsSummarySchema().dump(mine)


def test_supervisor_b_sees_nothing_of_region_a(users, dataset):
    """Supervisor B's figures are region B's alone, and asking for region A is refused."""
    data = statistics.summary(db.session, users["supervisor_b"], dataset.period)
    assert data.region.kato == "750000000"
    assert data.total.facilities == 1 and data.total.inspections == 1
    assert [f.facility_id for f in data.critical_facilities] == [dataset.g1.id]
    assert all(i.item_code == "safety.video_police" for i in data.top_items)
    with pytest.raises(Forbidden):
        statistics.summary(db.session, users["supervisor_b"], {"region": "190000000"})


def test_inspector_is_refused(users, dataset):
    """Inspectors have no statistics."""
    with pytest.raises(Forbidden):
        statistics.summary(db.session, users["inspector"], {})


def test_default_period_is_this_year_and_bad_input_is_refused(users, dataset):
    """No dates: the current calendar year; an unknown region or a reversed period is InvalidInput."""
    data = statistics.summary(db.session, users["ministry"], {})
    assert (data.date_from.month, data.date_from.day, data.date_to.month, data.date_to.day) == (1, 1, 12, 31)
    assert data.date_from.year == dataset.today.year and len(data.monthly) == 24
    assert data.monthly[-1].month == f"{dataset.today.year}-12" and data.monthly[12].year_before is not None
    with pytest.raises(InvalidInput):
        statistics.summary(db.session, users["ministry"], {"region": "999999999"})
    with pytest.raises(InvalidInput):
        statistics.summary(db.session, users["ministry"], {"date_from": dataset.today,
                                                           "date_to": dataset.today - timedelta(days=1)})

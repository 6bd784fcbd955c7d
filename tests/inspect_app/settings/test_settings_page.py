"""Do admins change the settings a ministry owns on a page, with history, for later work only?"""

import datetime as dt

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.models import AdminEvent, SettingValue
from inspect_app.models.admin_event import AppendOnly
from inspect_app.models.setting import current, deadlines, intervals
from inspect_app.runtime import current_runtime
from inspect_app.services import access
from inspect_app.services.schedules.inputs import problem_settings


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SettingValue))


def test_an_admin_changes_a_setting_and_later_work_reads_it(client, login, users):
    """Does a new interval, fill and deadline reach the next schedule's settings and violations' deadlines,
    with a history line naming who?"""
    login("admin")
    assert intervals()["high"] == 90
    for key, value in (("interval_high_days", "60"), ("schedule_fill", "0,3"), ("deadline_critical_days", "5")):
        assert client.post("/settings/", data={"key": key, "value": value}).status_code == 302
    db.session.expire_all()
    assert problem_settings(current_runtime()).intervals == {"high": 60, "medium": 180, "low": 365}
    assert current("schedule_fill") == 0.3 and deadlines()["critical"] == 5
    page = client.get("/settings/").get_data(as_text=True)
    assert "Интервал плановых проверок, высокий риск" in page and ">admin<" in page
    events = db.session.scalars(sa.select(AdminEvent).where(AdminEvent.action == "setting_changed")).all()
    first = events[0]
    assert (first.actor_name, first.details["key"], first.details["new"]) == ("admin", "interval_high_days", 60)


@pytest.mark.parametrize("key, value", [("checkin_max_distance_m", "-5"), ("schedule_fill", "2"),
                                        ("interval_low_days", "12.5"), ("route_release_hour", "seven")])
def test_a_bad_value_is_refused_beside_its_field(client, login, users, key, value):
    """Is a value out of range, not whole or not a number refused beside the setting, nothing written?"""
    login("admin")
    response = client.post("/settings/", data={"key": key, "value": value})
    assert response.status_code == 422
    assert f'id="error-{key}"' in response.get_data(as_text=True)
    assert _count() == 0


def test_a_regions_own_release_hour(client, login, users, region_a, region_b):
    """Does region A's own release hour move its routes' release while region B keeps the national one?"""
    login("admin")
    response = client.post("/settings/", data={"key": "route_release_hour", "value": "9", "region": region_a.kato})
    assert response.status_code == 302
    db.session.expire_all()
    day = dt.date(2027, 3, 1)
    assert access.release_time(region_a, day) == dt.datetime(2027, 3, 1, 9, tzinfo=ALMATY)
    assert access.release_time(region_b, day).hour == client.application.config["ROUTE_RELEASE_HOUR"]
    refused = client.post("/settings/", data={"key": "schedule_fill", "value": "0.2", "region": region_a.kato})
    assert refused.status_code == 422


def test_only_admins_change_settings_and_history_is_never_rewritten(client, login, users):
    """Is the page refused to a supervisor and the ministry, and a stored value never updated in place?"""
    login("supervisor")
    assert client.get("/settings/").status_code == 403
    assert client.post("/settings/", data={"key": "schedule_fill", "value": "0.1"}).status_code == 403
    assert _count() == 0
    row = SettingValue(key="schedule_fill", value=0.4, set_by_name="x")
    db.session.add(row)
    db.session.commit()
    row.value = 0.9
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()


def test_a_checkin_uses_the_distance_in_force_when_it_is_made(app, users, region_a, db_session):
    """Is a check-in flagged by the distance in force then, and an earlier audit's flag left as it was?"""
    from inspect_app.models import Audit
    from inspect_app.services import settings as service
    from inspect_app.services.audits.visits import _distance
    from tests.factories import FacilityFactory

    facility = FacilityFactory(region=region_a, lat=43.25, lon=76.95)
    before = Audit(facility=facility, gps_lat=43.252, gps_lon=76.95)  # about 220 m away
    _distance(db.session, before)
    assert before.checkin_far is False
    with app.test_request_context():
        service.set_value(db.session, users["admin"], "checkin_max_distance_m", "100")
        after = Audit(facility=facility, gps_lat=43.252, gps_lon=76.95)
        _distance(db.session, after)
    assert after.checkin_far is True and before.checkin_far is False

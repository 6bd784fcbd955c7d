"""After publishing: an absent inspector's visits are repaired, an urgent visit is inserted; each is a new
published revision chained to the previous commitment, and both commitments stay verifiable."""

import datetime as dt
import html

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.models import Facility, Inspector
from inspect_app.services.schedules import engine
from inspect_app.services.schedules import urgent as schedule_urgent
from tests.factories import FacilityFactory
from tests.inspect_app.services.schedules.conftest import START
from tests.inspect_app.services.schedules.helpers import build


@pytest.fixture
def published(client, auth_headers, users, region_a, registry_a):
    """Region A's schedule, published."""
    _, (schedule,) = build(users["supervisor"], region_a, seed=7)
    response = client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers("supervisor"))
    assert response.status_code == 200, response.get_json()
    return schedule


def _busiest_day(schedule):
    route = max(schedule.schedule["routes"], key=lambda r: (len(r["stops"]), r["date"]))
    return int(route["inspector"][1:]), route["date"]


def test_absence_repair_moves_the_visits_and_keeps_untouched_routes(client, auth_headers, published, login):
    """Does marking an inspector absent move their visits, leave routes that receive nothing identical, pass the
    validator, record what moved, and chain the new commitment to the old one?"""
    inspector, day = _busiest_day(published)
    absent_stops = next(len(r["stops"]) for r in published.schedule["routes"]
                        if r["inspector"] == f"I{inspector}" and r["date"] == day)
    response = client.post(f"/api/v1/schedules/{published.id}/absences", headers=auth_headers("supervisor"),
                           json={"inspector_id": inspector, "dates": [day], "note": "ill"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    record = body["revision"]
    assert record["previous_commitment"] == published.commitment and body["supersedes_id"] == published.id
    assert len(record["moved"]) + len(record["unplaced"]) == absent_stops and record["moved"]
    revision = db.session.get(type(published), body["id"])
    assert engine.validate(revision.problem, revision.schedule) == []
    assert revision.schedule["stats"]["previous_commitment"] == published.commitment
    assert not [r for r in revision.schedule["routes"] if r["inspector"] == f"I{inspector}" and r["date"] == day]
    receiving = {(m["to_inspector"], m["date"]) for m in record["moved"]}
    new_days = {(r["inspector"], r["date"]): r for r in revision.schedule["routes"]}
    for route in published.schedule["routes"]:
        key = (route["inspector"], route["date"])
        if key not in receiving and key != (f"I{inspector}", day):
            assert new_days[key] == route
    db.session.refresh(published)
    assert published.status == "superseded" and published.superseded_from <= dt.date.fromisoformat(day)
    for commitment in (published.commitment, revision.commitment):
        assert client.get(f"/schedules/commitment/{commitment}").status_code == 200
    # The absence is declared, so later builds see it; the revision's page lists what moved.
    absent = db.session.get(Inspector, inspector)
    db.session.refresh(absent)
    assert any(a.start_date <= dt.date.fromisoformat(day) <= a.end_date for a in absent.absences)
    login("supervisor")
    page = client.get(f"/schedules/{revision.id}").get_data(as_text=True)
    assert "Перенесено" in page and published.commitment[:16] in page


def test_absence_repair_is_refused_on_a_draft_and_for_dates_outside(client, auth_headers, users, region_a,
                                                                     registry_a, published):
    """Is a repair of a draft a 409, and a date outside the schedule a 422 naming dates?"""
    _, (draft,) = build(users["supervisor"], region_a, seed=9, start=START + dt.timedelta(weeks=3))
    inspector, day = _busiest_day(published)
    on_draft = client.post(f"/api/v1/schedules/{draft.id}/absences", headers=auth_headers("supervisor"),
                           json={"inspector_id": inspector, "dates": [day]})
    assert on_draft.status_code == 409
    outside = client.post(f"/api/v1/schedules/{published.id}/absences", headers=auth_headers("supervisor"),
                          json={"inspector_id": inspector, "dates": ["2031-06-02"]})
    assert outside.status_code == 422 and "dates" in outside.get_json()["errors"]["json"]


def _offer_urgent(client, auth_headers, published, region_a, monkeypatch):
    """A complaint about a school registered after the build (not in the problem at all), 48 hours, at 08:00 of
    the first day: (now, the facility, the urgent URL, the supervisor's answer with the insertion options)."""
    now = dt.datetime.combine(START, dt.time(8, 0), ALMATY).astimezone(dt.UTC)
    monkeypatch.setattr(schedule_urgent, "utc_now", lambda: now)
    complaint = FacilityFactory(region=region_a, lat=43.25, lon=76.95, type="school", children_count=200,
                                last_inspection_date=START - dt.timedelta(days=20))
    db.session.commit()
    url = f"/api/v1/schedules/{published.id}/urgent"
    offered = client.post(url, headers=auth_headers("supervisor"),
                          json={"facility_id": complaint.id, "hours": 48, "reason": "hotline_111"})
    return now, complaint, url, offered


def test_urgent_visit_shows_its_cost_and_is_applied_on_confirmation(client, auth_headers, published, region_a,
                                                                    monkeypatch, login):
    """Does an urgent visit offer insertions before the deadline with extra km and displaced visits, and does
    applying one mark the visit urgent with its deadline in a new revision chained to the old commitment?"""
    now, complaint, url, offered = _offer_urgent(client, auth_headers, published, region_a, monkeypatch)
    assert offered.status_code == 200, offered.get_json()
    options = offered.get_json()["options"]
    assert options and all("extra_km" in o and "displaced" in o for o in options)
    deadline = now + dt.timedelta(hours=48)
    assert all(dt.date.fromisoformat(o["date"]) <= deadline.astimezone(ALMATY).date() for o in options)
    login("supervisor")
    page = client.get(f"/schedules/{published.id}/urgent?facility_id={complaint.id}&hours=48").get_data(as_text=True)
    km = options[0]["extra_km"]
    assert ("+" if km > 0 else "\u2212") + f"{abs(km):.1f}".replace(".", ",") in page or round(km, 1) == 0
    applied = client.post(url, headers=auth_headers("supervisor"),
                          json={"facility_id": complaint.id, "hours": 48, "reason": "hotline_111", "option": 0,
                                "inspector_id": options[0]["inspector_id"], "date": options[0]["date"]})
    assert applied.status_code == 201, applied.get_json()
    revision = db.session.get(type(published), applied.get_json()["schedule_id"])
    visit = next(v for v in revision.visits if v.facility_id == complaint.id)
    assert visit.urgent and visit.deadline is not None and visit.date.isoformat() == options[0]["date"]
    assert revision.revision["previous_commitment"] == published.commitment
    assert [d["facility"] for d in revision.revision["displaced"]] == [f"F{d['facility_id']}"
                                                                       for d in options[0]["displaced"]]
    assert engine.validate(revision.problem, revision.schedule) == []
    for commitment in (published.commitment, revision.commitment):
        assert client.get(f"/schedules/commitment/{commitment}").status_code == 200


def test_an_urgent_visit_lets_its_inspector_start_the_audit(client, auth_headers, published, region_a, users,
                                                            monkeypatch, login):
    """Does the inspector a supervisor's urgent visit was given see it on the route, even before its day is
    released, and start its audit from it (unplanned, for the complaint), while their other stops of that
    unreleased day and a facility with no visit still refuse an audit?"""
    import uuid

    from inspect_app.models import Audit, ScheduleVisit
    from inspect_app.services import checklists

    checklists.ensure_templates(db.session)
    _now, complaint, url, offered = _offer_urgent(client, auth_headers, published, region_a, monkeypatch)
    option = offered.get_json()["options"][0]
    applied = client.post(url, headers=auth_headers("supervisor"),
                          json={"facility_id": complaint.id, "hours": 48, "reason": "hotline_111", "option": 0,
                                "inspector_id": option["inspector_id"], "date": option["date"]})
    assert applied.status_code == 201, applied.get_json()
    revision = db.session.get(type(published), applied.get_json()["schedule_id"])
    urgent = next(v for v in revision.visits if v.facility_id == complaint.id)
    inspector = db.session.get(Inspector, option["inspector_id"])
    inspector.user = users["inspector"]
    db.session.commit()
    # The horizon lies ahead of the real clock: none of its days is released to the inspector yet.
    planned = [v for v in revision.visits if v.inspector_id == inspector.id and not v.urgent]

    login("inspector")
    headers = auth_headers("inspector")
    route = client.get("/my/route").get_data(as_text=True)
    assert "Срочные посещения" in route and f"/my/route/stops/{urgent.id}" in route
    assert client.get(f"/my/route/stops/{urgent.id}").status_code == 200
    started = client.post("/api/v1/audits/", headers=headers,
                          json={"client_uuid": str(uuid.uuid4()), "schedule_visit_id": urgent.id,
                                "facility_id": complaint.id})
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    assert body["facility_id"] == complaint.id and body["legal_basis"] == "unplanned"
    assert db.session.get(ScheduleVisit, urgent.id).status == "checked_in"

    assert planned, "the urgent visit's inspector has other stops in the revision"
    refused = client.post("/api/v1/audits/", headers=headers,
                          json={"client_uuid": str(uuid.uuid4()), "schedule_visit_id": planned[0].id,
                                "facility_id": planned[0].facility_id})
    assert refused.status_code == 404
    free = client.post("/api/v1/audits/", headers=headers,
                       json={"client_uuid": str(uuid.uuid4()), "legal_basis": "unplanned", "basis_reason": "complaint",
                             "facility_id": planned[0].facility_id})
    assert free.status_code == 422 and "schedule_visit_id" in free.get_json()["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(Audit.id)).where(Audit.user_id == users["inspector"].id)) == 1


def test_urgent_visit_for_another_regions_facility_is_404(client, auth_headers, published, region_b):
    """Is a facility outside the schedule's region refused as not found, naming the field?"""
    other = FacilityFactory(region=region_b)
    db.session.commit()
    response = client.post(f"/api/v1/schedules/{published.id}/urgent", headers=auth_headers("supervisor"),
                           json={"facility_id": other.id, "hours": 48})
    assert response.status_code == 404


def test_the_urgent_options_name_displaced_facilities_in_kazakh(client, auth_headers, published, region_a,
                                                               monkeypatch, login):
    """Does the urgent options page in Kazakh name the facilities whose visits give way in Kazakh (it named them
    in Russian only), and the API give both names?"""
    _now, complaint, _url, offered = _offer_urgent(client, auth_headers, published, region_a, monkeypatch)
    displaced = [d for o in offered.get_json()["options"] for d in o["displaced"]]
    assert displaced, "the urgent visit displaces at least one planned visit here"
    facilities = {f.id: f for f in db.session.scalars(sa.select(Facility).where(
        Facility.id.in_([d["facility_id"] for d in displaced])))}
    assert all(d["name_kk"] == facilities[d["facility_id"]].name_kk and d["name_kk"] for d in displaced)
    login("supervisor")
    page = client.get(f"/schedules/{published.id}/urgent?facility_id={complaint.id}&hours=48&lang=kk")
    text = html.unescape(page.get_data(as_text=True))
    assert all(facilities[d["facility_id"]].name_kk in text and facilities[d["facility_id"]].name_ru not in text
               for d in displaced)

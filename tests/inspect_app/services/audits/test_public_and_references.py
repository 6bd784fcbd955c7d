"""Does the public verify page tell only "matches" or "does not match"; does an audit link only its own visit;
are photos and reports kept out of caches?"""

import datetime as dt

import pytest

from inspect_app.extensions import db
from inspect_app.models import Schedule, ScheduleVisit
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.audits.conftest import jpeg_bytes, new_uuid


def test_wrong_hash_reveals_nothing_about_the_audit(audit_api, facility, national, client):
    """Does a wrong hash hide the facility, the date and the result, as for an id that does not exist?"""
    audit = audit_api.submitted("inspector", facility, national)
    wrong = client.get(f"/verify/{audit['id']}/{'0' * 64}")
    missing = client.get(f"/verify/{audit['id'] + 1000}/{'0' * 64}")
    assert wrong.status_code == missing.status_code == 404
    page = wrong.get_data(as_text=True)
    assert facility.name_ru not in page and facility.name_kk not in page
    assert "Соответствует" not in page and audit["inspection_date"] not in page
    assert "не совпадает" in page
    assert _main(page) == _main(missing.get_data(as_text=True))


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def test_right_hash_shows_the_record(audit_api, facility, national, client):
    """Does the hash printed on the report still confirm it, with its facility?"""
    audit = audit_api.submitted("inspector", facility, national)
    page = client.get(f"/verify/{audit['id']}/{audit['record_hash']}")
    assert page.status_code == 200 and facility.name_ru in page.get_data(as_text=True)


def test_id_beyond_64_bits_answers_404(client, db_session):
    """Is /verify/99999999999999999999/x a plain 404 that names no record, not a server error?"""
    response = client.get("/verify/99999999999999999999/x")
    assert response.status_code == 404
    assert "Акт" not in response.get_data(as_text=True)


def test_only_a_submitted_correction_counts_as_later_corrected(audit_api, facility, national, client, auth_headers):
    """Does an open correction draft leave the verify page without 'later corrected'?"""
    audit = audit_api.submitted("inspector", facility, national)
    draft = client.post(f"/api/v1/audits/{audit['id']}/corrections",
                        json={"client_uuid": new_uuid(), "reason": "опечатка в акте"},
                        headers=auth_headers("inspector"))
    assert draft.status_code in (200, 201), draft.get_json()
    page = client.get(f"/verify/{audit['id']}/{audit['record_hash']}").get_data(as_text=True)
    assert "исправлена" not in page


@pytest.fixture
def foreign_visit(region_b, users):
    """A planned visit of a region B facility by a region B inspector."""
    facility = FacilityFactory(region=region_b)
    inspector = InspectorFactory(regions=[region_b])
    schedule = Schedule(region=region_b, start_date=dt.date(2031, 3, 3), end_date=dt.date(2031, 3, 7), seed=1,
                        time_limit=1, status="published", problem={}, problem_sha256="0" * 64, schedule={})
    visit = ScheduleVisit(schedule=schedule, inspector=inspector, facility=facility, date=dt.date(2031, 3, 3),
                          start="09:00", end="10:00", order=0)
    db.session.add_all([schedule, visit])
    db.session.commit()
    return visit


def test_audit_cannot_claim_another_facilitys_visit(audit_api, facility, foreign_visit):
    """Is an audit linked to a visit of another region's facility refused, on create and on edit?"""
    created = audit_api.create("inspector", facility, schedule_visit_id=foreign_visit.id)
    assert created.status_code == 404  # starting from a visit that is not yours answers as an unknown visit
    draft = audit_api.create("supervisor", facility).get_json()
    edited = audit_api.patch("supervisor", draft["id"], schedule_visit_id=foreign_visit.id)
    assert edited.status_code == 422
    assert "schedule_visit_id" in edited.get_json()["errors"]["json"]


def test_private_responses_are_not_stored(client, login, audit_api, auth_headers, facility, upload_dir):
    """Are pages, API answers, audit photos and exports 'private, no-store', and static files cacheable?"""
    draft = audit_api.create("inspector", facility).get_json()
    photo = audit_api.photo("inspector", draft["id"], jpeg_bytes()).get_json()
    with client.get(f"/api/v1/audits/{draft['id']}/photos/{photo['id']}", headers=auth_headers("inspector")) as api:
        assert api.status_code == 200 and api.headers["Cache-Control"] == "private, no-store"
    login("supervisor")
    for path in ("/facilities/", f"/audits/{draft['id']}/photos/{photo['id']}", "/registry/export/csv"):
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert response.headers["Cache-Control"] == "private, no-store", path
    with client.get("/static/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


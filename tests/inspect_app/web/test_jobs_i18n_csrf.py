"""Job pages, the Kazakh UI and CSRF protection of the web forms."""

import pytest

from inspect_app.extensions import db
from inspect_app.models import Job
from tests.factories import FacilityFactory


@pytest.fixture
def job(users):
    """A running job of the supervisor with live figures."""
    row = Job(id="a" * 32, kind="schedule", status="running", phase="solving", progress=0.4,
              result={"live": {"visits": 12}}, user_id=users["supervisor"].id)
    db.session.add(row)
    db.session.flush()
    return row


def test_job_page_renders_and_json_reports_status(client, login, job):
    login("supervisor")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "выполняется" in page and "solving" not in page
    assert "job.js" in page and "Отменить" in page and 'style="width: 40.0%"' in page
    status = client.get(f"/jobs/{job.id}.json").get_json()
    assert status["status"] == "running" and status["progress"] == 0.4 and status["result"]["live"]["visits"] == 12


def test_cancel_asks_the_job_to_stop(client, login, job):
    login("supervisor")
    assert client.post(f"/jobs/{job.id}/cancel").status_code == 302
    assert job.cancel_requested is True


def test_someone_elses_job_is_not_found(client, login, job):
    db.session.commit()  # the 404 handler rolls the session back; keep the setup
    login("supervisor_b")
    assert client.get(f"/jobs/{job.id}.json").status_code == 404


def test_kazakh_ui_shows_kazakh_labels_and_names(client, login, region_a):
    facility = FacilityFactory(region=region_a, name_ru="Средняя школа № 1", name_kk="№ 1 орта мектеп")
    login("supervisor")
    page = client.get(f"/facilities/{facility.id}?lang=kk").get_data(as_text=True)
    assert 'lang="kk"' in page
    assert "№ 1 орта мектеп" in page and "Мектеп" in page and "Өзгерістер тарихы" in page
    assert "История изменений" not in page


def test_post_without_csrf_token_is_refused(app, client, login, region_a):
    login("supervisor")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/facilities/new", data={"bin": "x"})
        assert response.status_code == 400
        page = client.get("/facilities/new").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

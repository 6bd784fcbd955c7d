"""The audit pages: list, audit page, starting an inspection, the field form, PDFs from the page."""

from tests.answers import act_fields
from tests.inspect_app.services.audits.conftest import new_uuid


def test_audit_list_and_page_show_scores_violations_and_hash(client, login, audit_api, facility, national):
    body = audit_api.submitted("inspector", facility, national, failing={"safety.panic_button"})
    login("supervisor")
    listing = client.get("/audits/").get_data(as_text=True)
    assert facility.name_ru in listing and "Не соответствует" in listing
    page = client.get(f"/audits/{body['id']}").get_data(as_text=True)
    assert body["record_hash"] in page
    assert "Установить или отремонтировать тревожную кнопку" in page
    assert f"/audits/{body['id']}/report.pdf?lang=kk" in page
    pdf = client.get(f"/audits/{body['id']}/report.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_audit_page_is_in_kazakh_when_asked(client, login, audit_api, facility, national):
    body = audit_api.submitted("inspector", facility, national, failing={"safety.panic_button"})
    login("supervisor")
    page = client.get(f"/audits/{body['id']}?lang=kk").get_data(as_text=True)
    assert national.items_by_code["safety.panic_button"][1].text.kk in page


def test_other_region_supervisor_gets_404_on_pages(client, login, audit_api, facility, national):
    body = audit_api.submitted("inspector", facility, national)
    login("supervisor_b")
    assert client.get(f"/audits/{body['id']}").status_code == 404
    assert client.get(f"/audits/{body['id']}/report.pdf").status_code == 404
    assert facility.name_ru not in client.get("/audits/").get_data(as_text=True)


def test_supervisor_starts_an_audit_and_gets_the_field_form(client, login, facility):
    """Inspectors start from their route (tests/inspect_app/route); a supervisor still picks a facility here."""
    login("supervisor")
    picker = client.get("/audits/new?q=Абая").get_data(as_text=True)
    assert facility.name_ru in picker
    client_uuid = new_uuid()
    form = {"facility_id": facility.id, "legal_basis": "unplanned", "basis_reason": "complaint",
            "signal_source": "Обращение родителей", "signal_anonymous": "y", "client_uuid": client_uuid,
            "representatives": "Серікова А.\nЖумабаев Б.", "gps_lat": "43.25", "gps_lon": "76.95"}
    response = client.post("/audits/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    again = client.post("/audits/new", data=form)
    assert again.headers["Location"] == response.headers["Location"]
    fill = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="safety.video_working"' in fill and "capture=\"environment\"" in fill
    assert "checklist.js" in fill and "idb-keyval" in fill and "<script>" not in fill


def test_the_start_form_shows_schema_errors(client, login, facility):
    login("supervisor")
    response = client.post("/audits/new", data={"facility_id": facility.id, "legal_basis": "unplanned",
                                                "client_uuid": new_uuid()})
    assert response.status_code == 422
    assert "reason" in response.get_data(as_text=True)


def test_the_field_form_saves_and_submits_through_the_api_with_the_session(app, client, login, audit_api, facility,
                                                                           national, monkeypatch):
    from tests.inspect_app.services.audits.conftest import answers_for

    login("inspector")
    draft = audit_api.create("inspector", facility).get_json()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get(f"/audits/{draft['id']}/fill").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    headers = {"X-CSRFToken": token}
    saved = client.patch(f"/api/v1/audits/{draft['id']}", json={"answers": {"safety.video_working": {"value": "yes"}}},
                         headers=headers)
    assert saved.status_code == 200, saved.get_json()
    submitted = client.post(f"/api/v1/audits/{draft['id']}/submit", headers=headers,
                            json={"client_uuid": new_uuid(), **act_fields(),
                                  "answers": answers_for(national, "school")})
    assert submitted.status_code == 200, submitted.get_json()
    assert client.get(f"/audits/{draft['id']}/fill").status_code == 302


def test_ministry_cannot_start_an_audit(client, login, facility):
    login("ministry")
    assert client.get("/audits/new").status_code == 403


def test_critical_failures_are_named_by_their_text_not_their_code(client, login, audit_api, facility, national):
    """Does "Грубые нарушения" list the failed items as a person reads them, never `safety.panic_button`?"""
    body = audit_api.submitted("inspector", facility, national, failing={"safety.panic_button"})
    assert body["critical_failures"] == ["safety.panic_button"]
    login("supervisor")
    page = client.get(f"/audits/{body['id']}").get_data(as_text=True)
    line = page.split("Грубые нарушения", 1)[1].split("</p>", 1)[0]
    assert national.items_by_code["safety.panic_button"][1].text.ru in line
    assert "safety.panic_button" not in line

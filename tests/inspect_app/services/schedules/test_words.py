"""Does the review page say why a facility is unscheduled, and a refused edit what it breaks, in words and names?"""

import datetime as dt

import pytest
from babel.dates import format_date

from inspect_app.extensions import db
from tests.factories import FacilityFactory
from tests.inspect_app.services.schedules.conftest import START, absence, make_region_registry
from tests.inspect_app.services.schedules.helpers import build

CAPACITY = {"ru": "не хватило инспекторо-дней: все подходящие дни инспекторов заполнены",
            "kk": "инспектор-күндер жетпеді: инспекторлардың барлық сәйкес келетін күндері толы"}
CLOSED = {"ru": "объект закрыт", "kk": "объект жабық"}
UNAVAILABLE = {"ru": "инспектор в этот день отсутствует", "kk": "инспектор бұл күні жұмыста емес"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_unscheduled_and_excluded_reasons_are_sentences(client, login, users, region_a, lang):
    """Does each unscheduled facility get the reason as a sentence in the UI language, never the engine's code?"""
    make_region_registry(region_a, n_facilities=40, n_inspectors=1)
    FacilityFactory(region=region_a, status="closed", name_ru="Закрытая школа", name_kk="Жабық мектеп")
    db.session.flush()
    _, (schedule,) = build(users["supervisor"], region_a, days=1)
    assert any(u["reason"].startswith("capacity exhausted") for u in schedule.schedule["unscheduled"])
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}?lang={lang}").get_data(as_text=True)
    assert CAPACITY[lang] in page and "capacity exhausted" not in page
    name = "Жабық мектеп" if lang == "kk" else "Закрытая школа"
    assert f"{name}: {CLOSED[lang]}" in page and ": closed<" not in page


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_refused_edit_names_inspector_date_and_rule(client, auth_headers, users, region_a, registry_a, lang):
    """Is a move onto an absence refused with the inspector's name, the date in local format and the rule in
    words, not `routes[1] (I10 2026-12-07)`?"""
    away = registry_a[1][2]
    day = START + dt.timedelta(days=2)
    absence(away, day, day)
    _, (schedule,) = build(users["supervisor"], region_a)
    visit = next(v for v in schedule.visits if v.inspector_id != away.id)
    response = client.post(f"/api/v1/schedules/{schedule.id}/edits?lang={lang}", headers=auth_headers("supervisor"),
                           json={"action": "move", "visit_id": visit.id, "date": day.isoformat(),
                                 "inspector_id": away.id})
    assert response.status_code == 422
    body = response.get_json()
    sentence = f"{away.full_name}, {format_date(day, 'medium', locale=lang)}: {UNAVAILABLE[lang]}"
    assert sentence in body["errors"]["json"]["violations"] and sentence in body["message"]
    assert "inspector_unavailable" in body["errors"]["json"]["rules"]
    for code in ("routes[", f"I{away.id}", day.isoformat(), "unavailable"):
        assert code not in body["message"]


def test_refused_edit_on_the_page_names_the_facility(client, login, users, region_a, registry_a):
    """Does the review page's flash after a refused hand edit name things by name in Kazakh?"""
    away = registry_a[1][2]
    day = START + dt.timedelta(days=2)
    absence(away, day, day)
    _, (schedule,) = build(users["supervisor"], region_a)
    visit = next(v for v in schedule.visits if v.inspector_id != away.id)
    login("supervisor")
    response = client.post(f"/schedules/{schedule.id}/edit?lang=kk", follow_redirects=True,
                           data={"action": "move", "visit_id": str(visit.id), "date": day.isoformat(),
                                 "inspector_id": str(away.id), "version": str(schedule.version)})
    page = response.get_data(as_text=True)
    assert "Түзету қабылданбады" in page and "Не істеуге болады" in page
    assert f"{away.full_name}, {format_date(day, 'medium', locale='kk')}: {UNAVAILABLE['kk']}" in page
    assert "inspector_unavailable" not in page and "routes[" not in page


def test_every_engine_reason_reads_as_a_sentence(app):
    """Are the engine's reasons with figures (skills, region, displacing facility) translated with their names?"""
    from inspect_app.labels import unscheduled_reason
    from scheduler import eligibility, urgent

    with app.test_request_context("/?lang=kk"):
        assert unscheduled_reason(eligibility.REASON_NO_SKILL.format(skills="health, nutrition")) == \
            "бірде-бір инспекторда қажетті біліктілік жоқ (Денсаулық, Тамақтану)"
        displaced = unscheduled_reason(urgent.REASON_DISPLACED.format(facility="F7"),
                                       facility_name={"F7": "№ 7 мектеп"}.get)
        assert displaced == "«№ 7 мектеп» объектісін шұғыл тексеру ығыстырды"
        assert unscheduled_reason(eligibility.REASON_REGION.format(region="190000000"),
                                  region_name={"190000000": "Алматы облысы"}.get).startswith("Алматы облысы өңірінің")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_review_grid_and_choices_show_dates_in_the_ui_language(client, login, users, region_a, registry_a, lang):
    """Do the review grid's columns and the edit and absence choices show dates as the language writes them,
    not as ISO codes?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}?lang={lang}").get_data(as_text=True)
    shown = format_date(START, "EEE d MMM", locale=lang)
    assert f'<th scope="col">{shown}</th>' in page
    assert f'<option value="{START.isoformat()}">{shown}</option>' in page
    assert f">{START.isoformat()}</th>" not in page


@pytest.mark.parametrize(("lang", "state", "words"), [
    ("ru", "опубликован", "отклонить можно только черновик"),
    ("kk", "жарияланған", "тек жобадан бас тартуға болады"),
])
def test_refusals_with_figures_name_states_and_dates_in_words(client, auth_headers, users, region_a, registry_a,
                                                               lang, state, words):
    """Is discarding a published schedule refused naming its state in words, and an overlapping publication
    naming the other schedule's dates in the local format (not "is published", "2031-03-03..2031-03-07")?"""
    _, (first,) = build(users["supervisor"], region_a, seed=7)
    headers = auth_headers("supervisor")
    assert client.post(f"/api/v1/schedules/{first.id}/publish", headers=headers).status_code == 200
    refused = client.post(f"/api/v1/schedules/{first.id}/discard?lang={lang}", headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["message"].endswith(f"— {state}; {words}.")
    _, (second,) = build(users["supervisor"], region_a, seed=8, days=3)
    overlap = client.post(f"/api/v1/schedules/{second.id}/publish?lang={lang}", headers=headers).get_json()
    first_day = format_date(first.first_day, "medium", locale=lang)
    assert f"№{first.id}" in overlap["message"] and first_day in overlap["message"]
    assert first.first_day.isoformat() not in overlap["message"]

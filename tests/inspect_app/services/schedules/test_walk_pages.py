"""What a supervisor met on the schedule pages: the urgent visit's facility found by name, BIN or address, its
extra km printed as a number, refused hand edits that say what to change, an absence repair confirmed first."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.models import Schedule
from inspect_app.services.schedules import urgent as schedule_urgent
from tests.factories import FacilityFactory
from tests.inspect_app.services.schedules.conftest import START, absence
from tests.inspect_app.services.schedules.helpers import build


@pytest.fixture
def published(client, auth_headers, users, region_a, registry_a):
    """Region A's schedule, published."""
    _, (schedule,) = build(users["supervisor"], region_a, seed=7)
    response = client.post(f"/api/v1/schedules/{schedule.id}/publish", headers=auth_headers("supervisor"))
    assert response.status_code == 200, response.get_json()
    return schedule


@pytest.fixture
def complaint_at_eight(published, region_a, monkeypatch):
    """Two schools with "Айналайын" in their names registered after the build; 08:00 of the first day."""
    now = dt.datetime.combine(START, dt.time(8, 0), ALMATY).astimezone(dt.UTC)
    monkeypatch.setattr(schedule_urgent, "utc_now", lambda: now)
    first = FacilityFactory(region=region_a, lat=43.25, lon=76.95, type="school", children_count=200,
                            name_ru="Школа-гимназия «Айналайын»", bin="190540009876",
                            address="г. Талгар, ул. Жибек жолы, 12")
    second = FacilityFactory(region=region_a, lat=43.26, lon=76.96, type="school", children_count=200,
                             name_ru="Детский сад «Айналайын»", address="г. Талгар, ул. Абая, 3")
    db.session.commit()
    return first, second


def test_the_urgent_form_finds_the_facility_by_name_bin_or_address(client, login, published, complaint_at_eight):
    """Does the urgent form ask for a name, BIN or address (not the registry's internal number), list several
    matches to choose from, go straight to the options for one, and refuse none beside the field?"""
    first, second = complaint_at_eight
    login("supervisor")
    page = client.get(f"/schedules/{published.id}").get_data(as_text=True)
    assert "Объект: название, БИН или адрес" in page and "номер в реестре" not in page
    base = f"/schedules/{published.id}/urgent?hours=48&reason=hotline_111"

    several = client.get(f"{base}&facility=Айналайын").get_data(as_text=True)
    assert 'id="urgent-matches"' in several and first.bin in several
    assert f"facility_id={first.id}" in several and f"facility_id={second.id}" in several

    for typed in ("190540009876", "Жибек жолы, 12", "школа-гимназия «айналайын»"):
        one = client.get(f"{base}&facility={typed}").get_data(as_text=True)
        assert 'id="urgent-matches"' not in one, typed
        assert "Срочная проверка: Школа-гимназия «Айналайын»" in one, typed

    none = client.get(f"{base}&facility=Несуществующий объект")
    assert none.status_code == 422
    body = none.get_data(as_text=True)
    assert 'id="urgent-facility-error"' in body and "не найден в регионе графика" in body
    assert 'value="Несуществующий объект"' in body  # what was typed stays in the field


def test_extra_km_of_an_urgent_option_is_a_signed_number_in_the_ui_language(client, login, auth_headers,
                                                                          published, complaint_at_eight):
    """Is an option's extra distance printed "+12,3" or "−4,5" (ru) and never "+-4.5"?"""
    first, _ = complaint_at_eight
    offered = client.post(f"/api/v1/schedules/{published.id}/urgent", headers=auth_headers("supervisor"),
                          json={"facility_id": first.id, "hours": 48, "reason": "hotline_111"}).get_json()
    assert offered["options"]
    login("supervisor")
    page = client.get(f"/schedules/{published.id}/urgent?facility_id={first.id}&hours=48").get_data(as_text=True)
    assert "+-" not in page
    km = offered["options"][0]["extra_km"]
    shown = ("+" if km > 0 else "\u2212") + f"{abs(km):.1f}".replace(".", ",") if round(km, 1) else "0,0"
    assert shown in page


def test_a_refused_hand_edit_says_what_the_supervisor_can_change(client, login, users, region_a, registry_a):
    """Does a move onto an inspector's absent day say why in words and what to change instead, without the
    schedule's internal bookkeeping checks ("километраж ... не совпадает")?"""
    away = registry_a[1][2]
    day = START + dt.timedelta(days=2)
    absence(away, day, day)
    _, (schedule,) = build(users["supervisor"], region_a)
    visit = next(v for v in schedule.visits if v.inspector_id != away.id)
    login("supervisor")
    page = client.post(f"/schedules/{schedule.id}/edit", follow_redirects=True,
                       data={"action": "move", "visit_id": visit.id, "date": day.isoformat(),
                             "inspector_id": away.id, "version": schedule.version}).get_data(as_text=True)
    assert "Правка не принята" in page and "инспектор в этот день отсутствует" in page
    assert "Что можно сделать: выберите другой день или другого инспектора" in page
    assert "километраж" not in page and "итоговые цифры" not in page


def _busiest_day(schedule):
    route = max(schedule.schedule["routes"], key=lambda r: (len(r["stops"]), r["date"]))
    return int(route["inspector"][1:]), route["date"], len(route["stops"])


def test_absence_repair_shows_what_will_move_and_publishes_only_when_confirmed(client, login, published):
    """Does marking an inspector absent first show which visits go to whom (publishing nothing), and publish
    the revision only on the confirming POST?"""
    inspector, day, stops = _busiest_day(published)
    login("supervisor")
    form = {"inspector_id": inspector, "dates": [day], "note": "болен"}
    preview = client.post(f"/schedules/{published.id}/absence", data=form)
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "Перестроить график" in text and 'name="confirm" value="1"' in text
    assert text.count("перейдёт к") + text.count("разместить некому") == stops
    assert f'name="dates" value="{day}"' in text
    db.session.refresh(published)
    assert published.status == "published"
    assert db.session.scalars(sa.select(Schedule).where(Schedule.supersedes_id == published.id)).all() == []

    done = client.post(f"/schedules/{published.id}/absence", data={**form, "confirm": "1"})
    assert done.status_code == 302
    db.session.refresh(published)
    assert published.status == "superseded"
    revision = db.session.scalars(sa.select(Schedule).where(Schedule.supersedes_id == published.id)).one()
    assert done.headers["Location"].endswith(f"/schedules/{revision.id}")


def test_the_review_grid_filters_by_inspector_and_district_and_says_why_an_inspector_is_idle(
        client, login, users, region_a, registry_a):
    """Is the review a grid by inspector and day (one row each), filtered to one inspector or to one district's
    stops, with an inspector absent all week given the reason instead of an empty row?"""
    from tests.factories import DistrictFactory

    facilities, inspectors = registry_a
    east = DistrictFactory(region=region_a, kato="195200000", name_ru="Енбекшиказахский район")
    for facility in facilities[:10]:
        facility.district = east
    away = inspectors[2]
    absence(away, START, START + dt.timedelta(days=6))
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    assert page.count('<tr data-inspector="') == 3
    assert 'class="grid-scroll"' in page and "Нет посещений за весь период: отсутствует во все дни графика" in page

    one = inspectors[0]
    only = client.get(f"/schedules/{schedule.id}?inspector={one.id}").get_data(as_text=True)
    assert only.count('<tr data-inspector="') == 1 and f'<tr data-inspector="{one.id}">' in only

    in_east = client.get(f"/schedules/{schedule.id}?district={east.id}").get_data(as_text=True)
    east_names = {f.name_ru for f in facilities[:10]}
    west_names = {f.name_ru for f in facilities[10:]}
    grid = in_east.split('class="route-grid"')[1].split("</table>")[0]
    assert any(name in grid for name in east_names)
    assert not any(name in grid for name in west_names)


def test_namesakes_are_told_apart_by_their_town(client, login, users, region_a, registry_a):
    """Are two inspectors with one name shown with their home towns on the review page and in its lists?"""
    _, inspectors = registry_a
    inspectors[0].full_name = inspectors[1].full_name = "Петрова Людмила Викторовна"
    inspectors[0].home_address = "Талгар, ул. Абая, 3"
    inspectors[1].home_address = "Есик, ул. Жамбыла, 10"
    db.session.flush()
    _, (schedule,) = build(users["supervisor"], region_a)
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    assert "Петрова Людмила Викторовна (Талгар)" in page and "Петрова Людмила Викторовна (Есик)" in page
    assert ">Петрова Людмила Викторовна<" not in page


def test_a_visit_picked_on_the_grid_is_preselected_in_the_edit_forms(client, login, users, region_a, registry_a):
    """Does each stop of a draft's grid link to the edit forms with that visit chosen, and is every visit list
    searchable?"""
    _, (schedule,) = build(users["supervisor"], region_a)
    visit = schedule.visits[3]
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    assert f"/schedules/{schedule.id}?visit={visit.id}#edit" in page
    assert page.count('class="visit-search"') == 4
    picked = client.get(f"/schedules/{schedule.id}?visit={visit.id}").get_data(as_text=True)
    assert picked.count(f'<option selected value="{visit.id}">') == 3


@pytest.mark.parametrize("lang, deadline, wrong", [("ru", "Провести до:", "Срок устранения"),
                                                   ("kk", "Тексеру мерзімі:", "Жою мерзімі")])
def test_the_urgent_options_say_by_when_the_visit_is_due_and_fold_into_cards_on_a_phone(
        client, login, published, complaint_at_eight, lang, deadline, wrong):
    """Does the options page name the urgent visit's deadline as the time to visit by (it read "Срок устранения",
    a violation's fix deadline, and "Жою мерзімі" in Kazakh), and label each cell so that the table folds into
    cards on a phone (it widened a 390 px page to 740)?"""
    first, _ = complaint_at_eight
    login("supervisor")
    page = client.get(f"/schedules/{published.id}/urgent?facility_id={first.id}&hours=48&lang={lang}")
    text = page.get_data(as_text=True)
    assert deadline in text and wrong not in text
    table = text.split('<table id="urgent-options"')[1].split("</table>")[0]
    assert table.startswith(' class="responsive"')
    cells = table.split("<tbody>")[1].count("<td")
    assert table.count("<td data-label=") == cells - table.count("<td><form")


@pytest.mark.parametrize("lang, comma", [("ru", True), ("kk", True), ("en", False)])
def test_the_review_page_writes_km_and_shares_with_the_language_decimal_sign(client, login, published, lang,
                                                                            comma):
    """Are the review page's kilometres and capacity shares written "25 907,5" in ru and kk and "25,907.5" in
    English (they showed "25907.5" everywhere, unlike the route page and the reports)?"""
    login("supervisor")
    text = client.get(f"/schedules/{published.id}?lang={lang}").get_data(as_text=True)
    # The total, each inspector's row and each day's route, and the capacity shares.
    figures = (re.findall(r"</strong> ([^<]+) (?:км|km)</div>", text)
               + re.findall(r" · ([^<·]+) (?:км|km)</small>", text)
               + re.findall(r"</strong> ([\d\s\u00a0\u202f,.]+)%", text)
               + re.findall(r'<span class="fill">([^<]+)<', text))
    assert '<span class="fill">' in text
    assert len(figures) >= 4, figures
    for figure in figures:
        assert re.fullmatch(r"[\d\s\u00a0\u202f]+,\d" if comma else r"[\d,]+\.\d", figure.strip()), figure


def test_namesakes_in_the_urgent_options_are_told_apart_by_their_town(client, login, auth_headers, published,
                                                                      complaint_at_eight, registry_a):
    """Are the urgent options' inspectors named as the review page names them, each namesake with the town (the
    demo's two "Петрова Людмила Викторовна" were offered alike)?"""
    first, _ = complaint_at_eight
    _, inspectors = registry_a
    towns = ["Талгар", "Есик", "Каскелен", "Конаев", "Шелек", "Узынагаш"]
    for inspector, town in zip(inspectors, towns, strict=False):
        inspector.full_name, inspector.home_address = "Петрова Людмила Викторовна", f"{town}, ул. Абая, 3"
    db.session.commit()
    offered = client.post(f"/api/v1/schedules/{published.id}/urgent", headers=auth_headers("supervisor"),
                          json={"facility_id": first.id, "hours": 48, "reason": "hotline_111"}).get_json()
    assert offered["options"]
    assert all(re.fullmatch(r"Петрова Людмила Викторовна \((\w+)\)", o["inspector"]) for o in offered["options"])
    login("supervisor")
    page = client.get(f"/schedules/{published.id}/urgent?facility_id={first.id}&hours=48").get_data(as_text=True)
    assert ">Петрова Людмила Викторовна<" not in page and "Петрова Людмила Викторовна (" in page

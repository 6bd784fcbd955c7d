"""Do the facility pages list, filter, create, edit and archive as a person expects, within scope?"""

import re

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, Facility
from tests.factories import DistrictFactory, FacilityFactory, valid_bin


def form_data(region, **overrides):
    """What a person types into the create form."""
    data = {
        "bin": valid_bin(), "name_ru": "Школа-гимназия № 7", "name_kk": "№ 7 мектеп-гимназиясы",
        "type": "school", "agency": "education", "region_kato": region.kato, "district_kato": "",
        "address": "ул. Сатпаева, 10", "lat": "43.24", "lon": "76.91", "children_count": "640",
        "season_start": "", "season_end": "", "opening_hours": "mon-fri 08:00-18:00; sat 09:00-13:00",
        "risk": "high", "risk_reason": "", "status": "active", "contact_name": "", "contact_phone": "",
        "contact_email": "", "last_inspection_date": "",
    }
    data.update(overrides)
    return data


def test_list_filters_by_risk_and_text(client, login, region_a):
    FacilityFactory(region=region_a, name_ru="Детский сад Балапан", risk="high", type="kindergarten")
    FacilityFactory(region=region_a, name_ru="Школа № 1", risk="low")
    login("supervisor")
    page = client.get("/facilities/?risk=high").get_data(as_text=True)
    assert "Балапан" in page and "Школа № 1" not in page
    page = client.get("/facilities/?q=Школа").get_data(as_text=True)
    assert "Школа № 1" in page and "Балапан" not in page


def test_list_paginates_by_fifty(client, login, region_a):
    FacilityFactory.create_batch(55, region=region_a)
    login("supervisor")
    first = client.get("/facilities/?sort=bin").get_data(as_text=True)
    second = client.get("/facilities/?sort=bin&page=2").get_data(as_text=True)
    assert first.count('href="/facilities/') - second.count('href="/facilities/') == 45
    assert "page=2" in first and "Найдено: 55" in first


def test_facility_page_shows_fields_map_and_history(client, login, region_a):
    facility = FacilityFactory(region=region_a, name_ru="Лицей № 3")
    login("supervisor")
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    assert "Лицей № 3" in page and facility.bin in page
    assert 'id="map"' in page and "/vendor/leaflet/leaflet.js" in page
    assert "/edit" in page and "В архив" in page


def test_create_with_bad_bin_shows_error_beside_bin_and_keeps_input(client, login, region_a):
    login("supervisor")
    response = client.post("/facilities/new", data=form_data(region_a, bin="123456789012"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="bin"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="bin"', page)
    assert 'id="bin-error"' in page
    assert 'value="Школа-гимназия № 7"' in page and "mon-fri 08:00-18:00; sat 09:00-13:00" in page
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) == 0


def test_create_then_edit_records_history_shown_on_the_page(client, login, region_a):
    login("supervisor")
    data = form_data(region_a)
    response = client.post("/facilities/new", data=data)
    assert response.status_code == 302
    facility = db.session.scalar(sa.select(Facility).where(Facility.bin == data["bin"]))
    assert facility.opening_hours["sat"] == [["09:00", "13:00"]]
    response = client.post(f"/facilities/{facility.id}/edit",
                           data=form_data(region_a, bin=data["bin"], children_count="700", version="1"))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    assert "История изменений" in page
    assert "640 → 700" in page


def test_edit_on_a_stale_copy_is_refused_with_a_message(client, login, region_a):
    facility = FacilityFactory(region=region_a, name_ru="Старое название")
    login("supervisor")
    data = form_data(region_a, bin=facility.bin, name_ru="Новое название", version="1")
    assert client.post(f"/facilities/{facility.id}/edit", data=data).status_code == 302
    stale = form_data(region_a, bin=facility.bin, name_ru="Чужая правка", version="1")
    response = client.post(f"/facilities/{facility.id}/edit", data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "изменил кто-то другой" in page and 'value="Чужая правка"' in page
    db.session.expire_all()
    assert db.session.get(Facility, facility.id).name_ru == "Новое название"


def test_archive_takes_the_facility_off_the_list(client, login, region_a):
    facility = FacilityFactory(region=region_a, name_ru="Лагерь Солнечный")
    login("supervisor")
    assert client.post(f"/facilities/{facility.id}/archive", data={"note": "закрыт"}).status_code == 302
    assert "Лагерь Солнечный" not in client.get("/facilities/").get_data(as_text=True)
    assert "Лагерь Солнечный" in client.get("/facilities/?archived=1").get_data(as_text=True)
    assert db.session.scalar(sa.select(ChangeRecord.action).where(ChangeRecord.entity_id == facility.id)) == "archive"


def test_other_region_supervisor_gets_404_and_cannot_create_there(client, login, region_a):
    facility = FacilityFactory(region=region_a)
    db.session.commit()  # the 404 handler rolls the session back; keep the setup
    login("supervisor_b")
    assert client.get(f"/facilities/{facility.id}").status_code == 404
    assert client.get(f"/facilities/{facility.id}/edit").status_code == 404
    assert client.post(f"/facilities/{facility.id}/archive").status_code == 404
    response = client.post("/facilities/new", data=form_data(region_a))
    assert response.status_code == 403
    assert 'id="region_kato-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) == 1


def test_ministry_reads_but_may_not_edit(client, login, region_a):
    facility = FacilityFactory(region=region_a)
    db.session.commit()  # the 403 handler rolls the session back; keep the setup
    login("ministry")
    page = client.get(f"/facilities/{facility.id}").get_data(as_text=True)
    assert facility.bin in page and "/edit" not in page
    assert client.get("/facilities/new").status_code == 403
    assert client.post("/facilities/new", data=form_data(region_a)).status_code == 403
    assert client.get(f"/facilities/{facility.id}/edit").status_code == 403
    assert client.post(f"/facilities/{facility.id}/archive").status_code == 403


def test_inspector_gets_403_on_registry_pages(client, login, region_a):
    facility = FacilityFactory(region=region_a)
    db.session.commit()  # the 403 handler rolls the session back; keep the setup
    login("inspector")
    for url in ("/facilities/", f"/facilities/{facility.id}", "/facilities/new", "/inspectors/",
                "/registry/import", "/registry/export", "/registry/duplicates", "/registry/export/csv"):
        assert client.get(url).status_code == 403, url


def test_district_filter_and_select(client, login, region_a):
    district = DistrictFactory(region=region_a, name_ru="Талгарский район")
    FacilityFactory(region=region_a, district=district, name_ru="Школа в Талгаре")
    FacilityFactory(region=region_a, name_ru="Школа без района")
    login("supervisor")
    page = client.get(f"/facilities/?district={district.kato}").get_data(as_text=True)
    assert "Школа в Талгаре" in page and "Школа без района" not in page
    assert "Талгарский район" in client.get("/facilities/new").get_data(as_text=True)

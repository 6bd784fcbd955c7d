"""Do the API, the facility form and the importer all refuse a bad e-mail, phone or position, and search literally?"""

import io

import pytest

from tests.factories import FacilityFactory, InspectorFactory, valid_bin
from tests.inspect_app.api.conftest import facility_payload, inspector_payload
from tests.inspect_app.services.conftest import csv_bytes
from tests.inspect_app.web.test_facilities import form_data

BISHKEK = (42.8746, 74.5698)
# The refusal each path shows, in the UI's default language (Russian).
BAD = [("contact_email", "директор@", "эл. почты"), ("contact_email", "a@b", "эл. почты"),
       ("contact_phone", "12345", "номер телефона"), ("contact_phone", "+7 495 123 45 67", "казахстанский"),
       ("contact_phone", "+996 312 123456", "казахстанский"), ("lat", BISHKEK, "вне Казахстана")]


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


def _values(field, value):
    return {"lat": value[0], "lon": value[1]} if field == "lat" else {field: value}


@pytest.mark.parametrize("field,value,fragment", BAD)
def test_api_refuses_bad_contacts_and_positions(client, admin, region_a, field, value, fragment):
    """Does the API answer 422 naming the field for a bad e-mail, a non-Kazakh phone or a point in Bishkek?"""
    response = client.post("/api/v1/facilities/", json=facility_payload(**_values(field, value)), headers=admin)
    assert response.status_code == 422
    assert fragment in " ".join(response.json["errors"]["json"][field])


@pytest.mark.parametrize("field,value,fragment", BAD)
def test_form_refuses_the_same(client, login, region_a, field, value, fragment):
    """Does the facility form show the same refusal next to the field?"""
    login("supervisor")
    data = form_data(region_a, **{k: str(v) for k, v in _values(field, value).items()})
    response = client.post("/facilities/new", data=data)
    assert response.status_code == 422 and fragment in response.get_data(as_text=True)


@pytest.mark.parametrize("field,value,fragment", BAD)
def test_importer_refuses_the_same(client, admin, region_a, field, value, fragment):
    """Does an import name the row and column of the same bad value, writing nothing?"""
    row = {**facility_payload(**_values(field, value)), "opening_hours": ""}
    response = client.post("/api/v1/registry/import", headers=admin, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(csv_bytes([row], columns=list(row))), "one.csv")})
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json["errors"]] == [(2, field)]
    assert fragment in response.json["errors"][0]["message"]


def test_phones_are_stored_in_e164(client, admin, region_a):
    """Is a Kazakhstan number typed the usual ways stored as +7..., so every copy of it compares equal?"""
    for typed in ("8 (701) 123-45-67", "+7 701 123 45 67", "87011234567"):
        response = client.post("/api/v1/facilities/", headers=admin,
                               json=facility_payload(bin=valid_bin(), contact_phone=typed))
        assert response.status_code == 201 and response.json["contact_phone"] == "+77011234567", response.json


def test_inspector_home_in_bishkek_is_refused(client, admin, region_a):
    """Does an inspector's home (where routes start) have to be in Kazakhstan too?"""
    response = client.post("/api/v1/inspectors/", headers=admin,
                           json=inspector_payload(home_lat=BISHKEK[0], home_lon=BISHKEK[1]))
    assert response.status_code == 422 and "home_lat" in response.json["errors"]["json"]


def test_percent_and_underscore_in_the_search_box_are_literal(client, admin, region_a):
    """Do `%` and `_` typed in a search match only themselves (they matched every record)?"""
    for name in ("Школа 100% качества", "Школа № 5", "Школа_искусств"):
        FacilityFactory(region=region_a, name_ru=name)
    for name in ("Иванов_Иван Иванович", "Петров Пётр Петрович"):
        InspectorFactory(regions=[region_a], full_name=name)

    def found(kind, q, key):
        return [item[key] for item in client.get(f"/api/v1/{kind}/", query_string={"q": q}, headers=admin).json]

    assert found("facilities", "%", "name_ru") == ["Школа 100% качества"]
    assert found("facilities", "_", "name_ru") == ["Школа_искусств"]
    assert found("facilities", "0%", "name_ru") == ["Школа 100% качества"]
    assert found("facilities", "\\", "name_ru") == []
    assert found("inspectors", "_", "full_name") == ["Иванов_Иван Иванович"]
    assert found("inspectors", "%", "full_name") == []

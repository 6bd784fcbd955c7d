"""Does the facility API list, read, create, change and archive facilities as a client expects?"""

import json

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, Facility
from tests.factories import DistrictFactory, FacilityFactory, valid_bin
from tests.inspect_app.api.conftest import facility_payload


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Facility)),
            db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)))


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


def test_created_facility_reads_back_with_its_history(client, admin, region_a):
    """Does a POSTed facility come back on GET exactly as sent, with a 'create' entry in its history?"""
    payload = facility_payload()
    created = client.post("/api/v1/facilities/", json=payload, headers=admin)
    assert created.status_code == 201, created.json
    facility_id = created.json["id"]
    read = client.get(f"/api/v1/facilities/{facility_id}", headers=admin).json
    for key, value in payload.items():
        assert read[key] == value, key
    assert read["version"] == 1 and read["archived"] is False
    history = client.get(f"/api/v1/facilities/{facility_id}/history", headers=admin).json
    assert [h["action"] for h in history] == ["create"]
    assert history[0]["user"] == "admin"


def test_patch_changes_only_given_fields_and_records_old_and_new(client, admin, region_a):
    """Does PATCH change the fields sent, keep the rest, bump the version and log [old, new]?"""
    facility = FacilityFactory(region=region_a, children_count=800, name_ru="Школа № 1")
    response = client.patch(f"/api/v1/facilities/{facility.id}", json={"children_count": 850}, headers=admin)
    assert response.status_code == 200, response.json
    assert response.json["children_count"] == 850
    assert response.json["name_ru"] == "Школа № 1"
    assert response.json["version"] == 2
    history = client.get(f"/api/v1/facilities/{facility.id}/history", headers=admin).json
    assert history[0]["action"] == "update"
    assert history[0]["changes"] == {"children_count": [800, 850]}


def test_patch_with_stale_version_is_refused(client, admin, region_a):
    """Is an edit made on a stale copy (old `version`) refused with 409 instead of overwriting?"""
    facility = FacilityFactory(region=region_a, children_count=800)
    client.patch(f"/api/v1/facilities/{facility.id}", json={"children_count": 801}, headers=admin)
    response = client.patch(f"/api/v1/facilities/{facility.id}", json={"children_count": 900, "version": 1},
                            headers=admin)
    assert response.status_code == 409
    assert "version" in response.json["errors"]["json"]
    assert client.get(f"/api/v1/facilities/{facility.id}", headers=admin).json["children_count"] == 801


def test_patch_with_the_same_values_records_nothing(client, admin, region_a):
    """Does a PATCH that changes nothing leave the version and history alone?"""
    facility = FacilityFactory(region=region_a, children_count=800)
    before = _counts()
    response = client.patch(f"/api/v1/facilities/{facility.id}", json={"children_count": 800}, headers=admin)
    assert response.status_code == 200 and response.json["version"] == 1
    assert _counts() == before


def test_archive_hides_from_list_but_keeps_history(client, admin, region_a):
    """Does DELETE archive (not delete): gone from the list, listed with archived=true, history kept?"""
    facility = FacilityFactory(region=region_a)
    response = client.delete(f"/api/v1/facilities/{facility.id}", headers=admin)
    assert response.status_code == 200 and response.json["archived"] is True
    assert facility.id not in [f["id"] for f in client.get("/api/v1/facilities/", headers=admin).json]
    archived = client.get("/api/v1/facilities/?archived=true", headers=admin).json
    assert [f["id"] for f in archived] == [facility.id]
    history = client.get(f"/api/v1/facilities/{facility.id}/history", headers=admin).json
    assert history[0]["action"] == "archive"


def test_list_filters(client, admin, region_a, region_b):
    """Do the type, risk, region, district and text filters each narrow the list to the matching facilities?"""
    district = DistrictFactory(region=region_a, kato="195000000")
    school = FacilityFactory(region=region_a, district=district, type="school", risk="high", name_ru="Школа Абай")
    camp = FacilityFactory(region=region_a, type="summer_camp", risk="low", name_ru="Лагерь Алатау",
                           address="Талгарский тракт")
    other = FacilityFactory(region=region_b, type="school", risk="low")

    def ids(query):
        response = client.get(f"/api/v1/facilities/?{query}", headers=admin)
        assert response.status_code == 200, response.json
        return {f["id"] for f in response.json}

    assert ids("type=school") == {school.id, other.id}
    assert ids("risk=low") == {camp.id, other.id}
    assert ids("region=190000000") == {school.id, camp.id}
    assert ids("district=195000000") == {school.id}
    assert ids("q=алатау") | ids("q=Алатау") == {camp.id}
    assert ids("q=тракт") == {camp.id}
    assert ids(f"q={other.bin[:8]}") >= {other.id}


def test_list_paginates_with_header(client, admin, region_a):
    """Does the list return pages of `page_size` and describe the whole in X-Pagination?"""
    FacilityFactory.create_batch(7, region=region_a)
    first = client.get("/api/v1/facilities/?page=1&page_size=3", headers=admin)
    last = client.get("/api/v1/facilities/?page=3&page_size=3", headers=admin)
    assert len(first.json) == 3 and len(last.json) == 1
    pagination = json.loads(first.headers["X-Pagination"])
    assert pagination["total"] == 7 and pagination["total_pages"] == 3
    seen = {f["id"] for p in (1, 2, 3) for f in client.get(f"/api/v1/facilities/?page={p}&page_size=3",
                                                             headers=admin).json}
    assert len(seen) == 7


@pytest.mark.parametrize("sort,key,reverse", [
    ("children_count", "children_count", False), ("-children_count", "children_count", True),
    ("name_ru", "name_ru", False), ("-bin", "bin", True),
])
def test_list_sorts(client, admin, region_a, sort, key, reverse):
    """Does `sort=field` order ascending and `sort=-field` descending?"""
    for count, name in ((300, "Бета"), (100, "Альфа"), (200, "Гамма")):
        FacilityFactory(region=region_a, children_count=count, name_ru=name)
    values = [f[key] for f in client.get(f"/api/v1/facilities/?sort={sort}", headers=admin).json]
    assert values == sorted(values, reverse=reverse) and len(values) == 3


@pytest.mark.parametrize("field,value,fragment", [
    ("children_count", "12", "целое число"),
    ("children_count", 12.5, "целое число"),
    ("children_count", True, "целое число"),
    ("children_count", -1, ""),
    ("children_count", 10**30, ""),
    ("bin", "190540000012", "контрольной цифрой"),
    ("bin", "12345", "12 цифр"),
    ("bin", 190540000017, "строка"),
    ("lat", 60.1, "вне территории Казахстана"),
    ("lon", 30.0, "вне территории Казахстана"),
    ("lat", "NaN", ""),
    ("type", "prison", ""),
    ("region_kato", "19", "КАТО"),
    ("name_ru", "x" * 401, ""),
    ("name_ru", "Школа\x00", "недопустимый символ"),
    ("address", "ул.\x00Абая", "недопустимый символ"),
    ("contact_phone", "7" * 51, ""),
    ("season_start", "13-01", "ММ-ДД"),
    ("opening_hours", {"mon": [["18:00", "08:00"]]}, "раньше, чем начинается"),
    ("opening_hours", {"funday": []}, "день недели"),
    ("last_inspection_date", "2025-02-30", ""),
])
def test_bad_field_is_rejected_with_its_name(client, admin, region_a, field, value, fragment):
    """Is each kind of bad value refused with 422 naming the field, without writing anything?"""
    before = _counts()
    response = client.post("/api/v1/facilities/", json=facility_payload(**{field: value}), headers=admin)
    assert response.status_code == 422, response.json
    messages = response.json["errors"]["json"][field]
    assert fragment.lower() in json.dumps(messages, ensure_ascii=False).lower()
    assert _counts() == before


def test_missing_required_fields_are_all_listed(client, admin, region_a):
    """Does an empty body get one error per required field, not just the first?"""
    response = client.post("/api/v1/facilities/", json={}, headers=admin)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) >= {"bin", "name_ru", "type", "agency", "region_kato", "lat", "lon",
                                                     "risk"}


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null", "{\"bin\": "])
def test_body_that_is_not_an_object_is_a_client_error(client, admin, body):
    """Is a body that is not a JSON object a 4xx with a JSON error, never a 500?"""
    response = client.post("/api/v1/facilities/", data=body, content_type="application/json", headers=admin)
    assert 400 <= response.status_code < 500
    assert response.is_json


def test_unknown_region_and_foreign_district_name_the_field(client, admin, region_a, region_b):
    """Are an unknown region and a district of another region refused with the failing field named?"""
    DistrictFactory(region=region_b, kato="755000000")
    before = _counts()
    unknown = client.post("/api/v1/facilities/", json=facility_payload("111111111"), headers=admin)
    assert unknown.status_code == 422 and "region_kato" in unknown.json["errors"]["json"]
    foreign = client.post("/api/v1/facilities/", json=facility_payload(district_kato="755000000"), headers=admin)
    assert foreign.status_code == 422 and "district_kato" in foreign.json["errors"]["json"]
    assert _counts() == before


def test_duplicate_bin_is_a_conflict(client, admin, region_a):
    """Is a second facility with a registered BIN refused with 409 on `bin`?"""
    existing = FacilityFactory(region=region_a)
    db.session.commit()  # an error response rolls back what is not committed
    before = _counts()
    response = client.post("/api/v1/facilities/", json=facility_payload(bin=existing.bin), headers=admin)
    assert response.status_code == 409 and "bin" in response.json["errors"]["json"]
    assert _counts() == before


def test_bin_typed_with_spaces_is_stored_compact(client, admin, region_a):
    """Is a BIN typed with spaces and dashes accepted and stored as 12 digits?"""
    number = valid_bin()
    spaced = f"{number[:4]} {number[4:8]}-{number[8:]}"
    response = client.post("/api/v1/facilities/", json=facility_payload(bin=spaced), headers=admin)
    assert response.status_code == 201 and response.json["bin"] == number


def test_supervisor_cannot_move_a_facility_to_another_region(client, auth_headers, region_a, region_b):
    """Is a supervisor refused (403, unchanged) when moving their facility into a region they do not work in?"""
    facility = FacilityFactory(region=region_a)
    response = client.patch(f"/api/v1/facilities/{facility.id}", json={"region_kato": "750000000"},
                            headers=auth_headers("supervisor"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Facility, facility.id).region_id == region_a.id


def test_unknown_facility_is_404(client, admin):
    """Is a facility id that does not exist a JSON 404?"""
    response = client.get("/api/v1/facilities/999999", headers=admin)
    assert response.status_code == 404 and response.is_json


def test_openapi_document_describes_every_endpoint(client):
    """Does /api/openapi.json list every registry endpoint with bearer authentication?"""
    spec = client.get("/api/openapi.json").json
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    paths = set(spec["paths"])
    assert {"/api/v1/facilities/", "/api/v1/facilities/{facility_id}", "/api/v1/facilities/{facility_id}/history",
            "/api/v1/inspectors/", "/api/v1/inspectors/{inspector_id}", "/api/v1/registry/regions",
            "/api/v1/registry/import", "/api/v1/registry/export", "/api/v1/registry/duplicates",
            "/api/v1/registry/merge"} <= paths


def test_swagger_ui_loads_from_this_server_only(client):
    """Does /api/docs render swagger-ui from /vendor/swagger-ui-dist with no external host?"""
    import re

    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls and all(not u.startswith(("http:", "https:", "//")) for u in urls), urls
    assert "/api/openapi.json" in html
    for url in urls:
        with client.get(url) as asset:
            assert asset.status_code == 200, url
            # The libraries themselves (the page's own start-up script is small).
            assert url.startswith("/static/") or asset.content_length > 1000 or len(asset.get_data()) > 1000, url


@pytest.mark.parametrize("url", ["/api/v1/facilities/99999999999999999999", "/api/v1/inspectors/4294967296",
                                 "/api/v1/facilities/2147483648/history"])
def test_id_beyond_the_integer_column_is_404(client, admin, url):
    """Is an id too large for the database a plain 404 rather than a database error?"""
    response = client.get(url, headers=admin)
    assert response.status_code == 404 and response.is_json


def test_page_far_beyond_the_end_is_empty(client, admin, region_a):
    """Is a page number past any offset the database can hold an empty page rather than an error?"""
    FacilityFactory(region=region_a)
    response = client.get("/api/v1/facilities/?page=99999999999999999999&page_size=50", headers=admin)
    assert response.status_code == 200 and response.json == []


def test_merge_with_ids_beyond_the_integer_column_is_422(client, admin):
    """Is a merge naming an id too large for the database a 422 naming it?"""
    response = client.post("/api/v1/registry/merge", json={"keep_id": 2**40, "drop_id": 2**41}, headers=admin)
    assert response.status_code == 422 and "keep_id" in response.json["errors"]["json"]

"""Does input no record can match (ids beyond the database's integers, absurd dates, empty edits) get a 4xx?"""

import re
import uuid

import pytest
from flask_babel import refresh
from werkzeug.routing import IntegerConverter

from tests.factories import FacilityFactory, InspectorFactory

# PostgreSQL INTEGER, the type of every primary key.
DB_INT_MAX = 2**31 - 1
# An RFC 3339 timestamp ends with its offset from UTC.
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999"]


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


def _integer_rules(app):
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            yield rule, ints


def test_every_integer_in_a_url_is_bounded_to_the_database(app):
    """Does every route's integer argument stop at the largest id an integer column holds?"""
    rules = list(_integer_rules(app))
    assert len(rules) > 25
    for rule, names in rules:
        for name in names:
            converter = rule._converters[name]
            assert converter.max == DB_INT_MAX and converter.min == 1, rule.rule


@pytest.mark.parametrize("huge", HUGE)
def test_ids_beyond_the_database_on_every_route_are_4xx(app, client, admin, login, huge):
    """Does every route with an id (API and pages, every method) answer a huge id with a 4xx, never a 500?"""
    login("admin")
    checked = 0
    for rule, names in _integer_rules(app):
        url = rule.rule
        for name in names:
            url = url.replace(f"<int:{name}>", huge).replace(f"<id:{name}>", huge)
        url = re.sub(r"<[^>]+>", "x", url)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, headers=admin, json={} if method != "GET" else None)
            assert 400 <= response.status_code < 500, (method, url, response.status_code)
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("arg", ["facility_id", "inspector_id", "user_id"])
def test_id_query_arguments_beyond_the_database_are_422(client, admin, arg):
    """Does `?facility_id=9223372036854775808` on the audit list name the argument in a 422?"""
    response = client.get(f"/api/v1/audits/?{arg}=9223372036854775808", headers=admin)
    assert response.status_code == 422
    assert arg in response.json["errors"]["query"]


def test_ids_in_bodies_beyond_the_database_are_422(client, admin, region_a):
    """Do JSON bodies naming a huge facility or record id answer 422 naming the field?"""
    response = client.post("/api/v1/audits/", json={"client_uuid": str(uuid.uuid4()), "facility_id": 2**63,
                                                     "legal_basis": "planned"}, headers=admin)
    assert response.status_code == 422 and "facility_id" in response.json["errors"]["json"]
    response = client.post("/api/v1/registry/merge", json={"keep_id": 2**40, "drop_id": 2**41}, headers=admin)
    assert response.status_code == 422 and "keep_id" in response.json["errors"]["json"]


@pytest.mark.parametrize("body", [None, {}, {"no_such_field": 1}])
@pytest.mark.parametrize("kind", ["facilities", "inspectors"])
def test_patch_that_changes_nothing_is_422(client, admin, region_a, kind, body):
    """Is a PATCH with an empty body (or only unknown fields) refused with a message saying so, not a 200?"""
    record = (FacilityFactory(region=region_a) if kind == "facilities" else InspectorFactory(regions=[region_a]))
    response = client.patch(f"/api/v1/{kind}/{record.id}", json=body, headers=admin)
    assert response.status_code == 422
    assert "Пустой запрос" in response.json["errors"]["json"]["_schema"][0]


def test_dates_out_of_any_sensible_range_are_422_naming_the_field(client, admin, region_a):
    """Is a year-1 inspection date or absence refused naming its field, where it used to be stored?"""
    facility = FacilityFactory(region=region_a)
    response = client.patch(f"/api/v1/facilities/{facility.id}", json={"last_inspection_date": "0001-01-01"},
                            headers=admin)
    assert response.status_code == 422 and "last_inspection_date" in response.json["errors"]["json"]
    inspector = InspectorFactory(regions=[region_a])
    response = client.patch(f"/api/v1/inspectors/{inspector.id}", headers=admin, json={
        "absences": [{"start_date": "9999-12-20", "end_date": "9999-12-31"}]})
    assert response.status_code == 422 and "absences" in response.json["errors"]["json"]


def test_facility_and_inspector_times_carry_their_utc_offset(client, admin, region_a):
    """Does every timestamp the registry API returns say it is UTC (RFC 3339 needs the offset)?"""
    facility = FacilityFactory(region=region_a)
    inspector = InspectorFactory(regions=[region_a])
    for url in (f"/api/v1/facilities/{facility.id}", f"/api/v1/inspectors/{inspector.id}"):
        body = client.get(url, headers=admin).json
        for key in ("created_at", "updated_at"):
            assert OFFSET.search(body[key]), (url, key, body[key])


def test_openapi_documents_the_rules_a_client_must_meet(client):
    """Does the OpenAPI document carry the KATO pattern, the coordinate and id bounds and the X-Pagination header?"""
    doc = client.get("/api/openapi.json").json
    facility = doc["components"]["schemas"]["FacilityInput"]["properties"]
    assert facility["region_kato"]["pattern"] == "^[0-9]{9}$"
    assert (facility["lat"]["minimum"], facility["lat"]["maximum"]) == (40.5, 55.5)
    assert (facility["lon"]["minimum"], facility["lon"]["maximum"]) == (46.4, 87.4)
    inspector = doc["components"]["schemas"]["InspectorInput"]["properties"]
    assert inspector["home_lat"]["minimum"] == 40.5 and inspector["day_start"]["pattern"]
    lists = 0
    for path, operations in doc["paths"].items():
        for operation in (op for key, op in operations.items() if key != "parameters"):
            params = operation.get("parameters", []) + operations.get("parameters", [])
            for param in params:
                if param["in"] == "path" and param["schema"]["type"] == "integer":
                    assert param["schema"]["maximum"] == DB_INT_MAX, (path, param)
            if any(p["name"] == "page" for p in params):
                lists += 1
                assert "X-Pagination" in operation["responses"]["200"]["headers"], path
    assert lists >= 4


def test_unknown_query_arguments_are_refused_by_name(client, auth_headers):
    """Is `?search=` (the list knows `q`) a 422 naming it, on a list, a record and a paged list with filters,
    while the known arguments, paging and `lang` still pass?"""
    admin = auth_headers("admin")
    refused = client.get("/api/v1/facilities/?search=school&page=1", headers=admin)
    assert refused.status_code == 422
    assert refused.json["errors"] == {"query": {"search": ["Неизвестное поле."]}}
    assert "search" in refused.json["message"]
    refresh()  # the test's app context outlives the requests: forget the locale picked for the first one
    two = client.get("/api/v1/audits/?sort=new&zzz=1&lang=en", headers=admin)
    refresh()
    assert two.status_code == 422 and sorted(two.json["errors"]["query"]) == ["sort", "zzz"]
    assert two.json["errors"]["query"]["zzz"] == ["Unknown field."]
    assert client.get("/api/v1/registry/regions?region=1", headers=admin).status_code == 422
    assert client.get("/api/v1/facilities/?q=x&page=1&page_size=5&lang=kk", headers=admin).status_code == 200
    assert client.get("/api/v1/registry/regions?lang=en", headers=admin).status_code == 200

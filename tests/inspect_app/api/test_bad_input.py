"""Does input no record can match (ids beyond the database's integers, absurd dates, empty edits) get a 4xx?"""

import re
import uuid

import pytest
from werkzeug.routing import IntegerConverter

# PostgreSQL INTEGER, the type of every primary key.
DB_INT_MAX = 2**31 - 1
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

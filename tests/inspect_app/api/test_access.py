"""Who may do what through the API? Every endpoint against every role, with records of another region."""

import io
import json

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, DuplicateCandidate, Facility, Inspector
from tests.factories import valid_bin
from tests.inspect_app.api.conftest import facility_payload, inspector_payload

REGION_B = "750000000"
ROLES = ("admin", "ministry", "supervisor", "supervisor_b", "inspector")


def _csv_for_region_b() -> dict:
    text = ("bin;name_ru;type;agency;region_kato;lat;lon;risk\r\n"
            f"{valid_bin()};Лагерь «Солнышко»;summer_camp;tourism;{REGION_B};43.1;77.0;high\r\n")
    text = text.replace("summer_camp", "leisure_centre")
    return {"data": {"file": (io.BytesIO(text.encode("utf-8")), "b.csv")}, "content_type": "multipart/form-data"}


# (name, method, url template, request kwargs factory, expected status per role in ROLES order)
# "supervisor" works in region A and every target lives in region B; "supervisor_b" works in region B.
ENDPOINTS = [
    ("facilities.list", "get", "/api/v1/facilities/", None, (200, 200, 200, 200, 403)),
    ("facilities.get", "get", "/api/v1/facilities/{facility}", None, (200, 200, 404, 200, 403)),
    ("facilities.post", "post", "/api/v1/facilities/",
     lambda: {"json": facility_payload(REGION_B)}, (201, 403, 403, 201, 403)),
    ("facilities.patch", "patch", "/api/v1/facilities/{facility}",
     lambda: {"json": {"children_count": 999}}, (200, 403, 404, 200, 403)),
    ("facilities.delete", "delete", "/api/v1/facilities/{facility}", None, (200, 403, 404, 200, 403)),
    ("facilities.history", "get", "/api/v1/facilities/{facility}/history", None, (200, 200, 404, 200, 403)),
    ("inspectors.list", "get", "/api/v1/inspectors/", None, (200, 200, 200, 200, 403)),
    ("inspectors.get", "get", "/api/v1/inspectors/{inspector}", None, (200, 200, 404, 200, 403)),
    ("inspectors.post", "post", "/api/v1/inspectors/",
     lambda: {"json": inspector_payload(REGION_B)}, (201, 403, 403, 201, 403)),
    ("inspectors.patch", "patch", "/api/v1/inspectors/{inspector}",
     lambda: {"json": {"max_visits_per_day": 5}}, (200, 403, 404, 200, 403)),
    ("inspectors.delete", "delete", "/api/v1/inspectors/{inspector}", None, (200, 403, 404, 200, 403)),
    ("registry.regions", "get", "/api/v1/registry/regions", None, (200, 200, 200, 200, 403)),
    ("registry.import", "post", "/api/v1/registry/import", _csv_for_region_b, (200, 403, 422, 200, 403)),
    ("registry.export", "get", "/api/v1/registry/export?format=json", None, (200, 200, 200, 200, 403)),
    ("registry.duplicates", "get", "/api/v1/registry/duplicates", None, (200, 200, 200, 200, 403)),
    ("registry.duplicates.scan", "post", "/api/v1/registry/duplicates", None, (200, 403, 200, 200, 403)),
    ("registry.merge", "post", "/api/v1/registry/merge",
     lambda: {"json": {}}, (200, 403, 404, 200, 403)),
]

# Reads that succeed for everyone with access but must show region B's records only to those who see region B.
SEES_REGION_B = {"admin": True, "ministry": True, "supervisor": False, "supervisor_b": True}


def _region_b_visible(name: str, body, targets: dict) -> bool:
    if name == "facilities.list":
        return targets["facility"] in {f["id"] for f in body}
    if name == "inspectors.list":
        return targets["inspector"] in {i["id"] for i in body}
    if name == "registry.regions":
        return REGION_B in {r["kato"] for r in body}
    if name == "registry.export":
        return targets["bin"] in {row["bin"] for row in body}
    if name in ("registry.duplicates", "registry.duplicates.scan"):
        return targets["facility"] in {d["facility_a_id"] for d in body}
    raise AssertionError(name)


@pytest.fixture
def targets(facility_b, twin_b, inspector_b):
    """The ids the endpoints act upon, all in region B."""
    return {"facility": facility_b.id, "twin": twin_b.id, "inspector": inspector_b.id, "bin": facility_b.bin}


def _request(client, method, url, make_kwargs, targets, headers):
    kwargs = make_kwargs() if make_kwargs else {}
    if url == "/api/v1/registry/merge":
        kwargs = {"json": {"keep_id": targets["facility"], "drop_id": targets["twin"]}}
    return getattr(client, method)(url.format(**targets), headers=headers, **kwargs)


def _snapshot():
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Facility)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Inspector)),
        db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Facility).where(Facility.archived_at.is_not(None))),
        db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateCandidate)
                          .where(DuplicateCandidate.status == "open")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,method,url,make_kwargs,expected", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_role_gets_what_its_scope_allows(client, auth_headers, targets, role, name, method, url, make_kwargs,
                                         expected):
    """Does each role get exactly its rights on each endpoint, and does a refusal leave the data untouched?"""
    status = expected[ROLES.index(role)]
    before = _snapshot()
    response = _request(client, method, url, make_kwargs, targets, auth_headers(role))
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status >= 400:
        assert response.is_json
        assert _snapshot() == before
        return
    if name in ("registry.regions", "registry.export", "registry.duplicates", "registry.duplicates.scan") or \
            name.endswith(".list"):
        body = json.loads(response.get_data())
        assert _region_b_visible(name, body, targets) is SEES_REGION_B[role]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer tks_not-a-real-token"},
                                     {"Authorization": "Basic YWRtaW46YWRtaW4="}],
                         ids=["no-token", "bad-token", "basic-auth"])
@pytest.mark.parametrize("name,method,url,make_kwargs,expected", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_request_without_valid_token_is_refused(client, targets, headers, name, method, url, make_kwargs, expected):
    """Is every endpoint closed (401, JSON, nothing changed) to a caller without a valid bearer token?"""
    before = _snapshot()
    response = _request(client, method, url, make_kwargs, targets, headers)
    assert response.status_code == 401
    assert response.is_json and response.json["code"] == 401
    assert _snapshot() == before


def test_expired_token_is_refused(client, users):
    """Is a token past its expiry date refused?"""
    from datetime import UTC, datetime, timedelta

    from inspect_app.models import ApiToken
    from inspect_app.services.users import issue_token

    token = issue_token(db.session, users["admin"], "old")
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == ApiToken.hash_token(token)))
    row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = client.get("/api/v1/facilities/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_token_of_disabled_user_is_refused(client, users, auth_headers):
    """Does disabling an account close the API to its existing tokens?"""
    headers = auth_headers("supervisor")
    users["supervisor"].active = False
    db.session.commit()
    assert client.get("/api/v1/facilities/", headers=headers).status_code == 401


@pytest.mark.parametrize("method,url,allowed", [
    ("put", "/api/v1/facilities/1", {"GET", "PATCH", "DELETE"}),
    ("delete", "/api/v1/facilities/", {"GET", "POST"}),
    ("put", "/api/v1/registry/import", {"POST"}),
    ("post", "/api/v1/registry/export", {"GET"}),
])
def test_method_not_allowed_names_the_allowed_methods(client, auth_headers, method, url, allowed):
    """Does a 405 carry an Allow header listing the methods the resource does take?"""
    response = getattr(client, method)(url, headers=auth_headers("admin"))
    assert response.status_code == 405
    assert response.is_json
    listed = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed <= listed
    assert method.upper() not in listed

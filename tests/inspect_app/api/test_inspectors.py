"""Does the inspector API create, change, filter and archive inspectors, refusing bad input by field?"""

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, Inspector
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.api.conftest import inspector_payload


def _counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Inspector)),
            db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)))


@pytest.fixture
def admin(auth_headers):
    return auth_headers("admin")


def test_created_inspector_reads_back(client, admin, region_a, users):
    """Does a POSTed inspector, with absences, conflicts and a linked login, read back as sent?"""
    facility = FacilityFactory(region=region_a)
    payload = inspector_payload(absences=[{"start_date": "2026-12-01", "end_date": "2026-12-14", "reason": "отпуск"}],
                                conflict_bins=[facility.bin], username="inspector", day_start="08:30")
    created = client.post("/api/v1/inspectors/", json=payload, headers=admin)
    assert created.status_code == 201, created.json
    body = client.get(f"/api/v1/inspectors/{created.json['id']}", headers=admin).json
    assert body["region_katos"] == ["190000000"] and body["skills"] == ["safety", "nutrition"]
    assert body["absences"] == [{"start_date": "2026-12-01", "end_date": "2026-12-14", "reason": "отпуск"}]
    assert [c["bin"] for c in body["conflicts"]] == [facility.bin]
    assert body["username"] == "inspector" and body["day_start"] == "08:30" and body["max_visits_per_day"] == 4


def test_patch_replaces_lists_and_logs_the_change(client, admin, region_a, region_b):
    """Does PATCH replace the lists given and log [old, new] for what changed?"""
    inspector = InspectorFactory(regions=[region_a], skills=["safety"])
    response = client.patch(f"/api/v1/inspectors/{inspector.id}",
                            json={"skills": ["health", "nutrition"], "region_katos": ["750000000", "190000000"]},
                            headers=admin)
    assert response.status_code == 200, response.json
    assert response.json["skills"] == ["health", "nutrition"]
    assert response.json["region_katos"] == ["190000000", "750000000"]
    change = db.session.scalars(sa.select(ChangeRecord).order_by(ChangeRecord.id.desc())).first()
    assert change.action == "update" and change.changes["skills"] == [["safety"], ["health", "nutrition"]]


def test_list_filters_by_region_skill_and_name(client, admin, region_a, region_b):
    """Do region, skill and text filters narrow the list, and does archiving remove an inspector from it?"""
    a = InspectorFactory(regions=[region_a], skills=["nutrition"], full_name="Сейтказы Нурлан")
    b = InspectorFactory(regions=[region_b], skills=["safety"], full_name="Ким Ольга")

    def ids(query):
        response = client.get(f"/api/v1/inspectors/?{query}", headers=admin)
        assert response.status_code == 200
        return {i["id"] for i in response.json}

    assert ids("region=190000000") == {a.id}
    assert ids("skill=safety") == {b.id}
    assert ids("q=ольга") | ids("q=Ольга") == {b.id}
    assert client.delete(f"/api/v1/inspectors/{b.id}", headers=admin).json["archived"] is True
    assert ids("") == {a.id} and ids("archived=true") == {b.id}


@pytest.mark.parametrize("field,value", [
    ("max_visits_per_day", "4"),
    ("max_visits_per_day", 0),
    ("max_minutes_per_day", 10**12),
    ("home_lat", 35.0),
    ("home_lon", "x"),
    ("skills", ["safety", "cooking"]),
    ("skills", []),
    ("skills", "safety\x00"),
    ("region_katos", "not-a-list-of-regions\x01"),
    ("region_katos", ["111111111"]),
    ("full_name", "Ив"),
    ("full_name", "Иванов\x00Иван"),
    ("day_start", "9:00"),
    ("day_start", "09:00\n"),
    ("day_end", "08:00"),
    ("absences", [{"start_date": "2026-12-10", "end_date": "2026-12-01"}]),
    ("conflict_bins", ["190540000012"]),
    ("username", "nobody-here"),
])
def test_bad_field_is_rejected_with_its_name(client, admin, region_a, field, value):
    """Is each kind of bad inspector input refused with 422 naming the field, writing nothing?"""
    before = _counts()
    response = client.post("/api/v1/inspectors/", json=inspector_payload(**{field: value}), headers=admin)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert _counts() == before


def test_conflict_with_unknown_facility_names_the_bin(client, admin, region_a):
    """Is a conflict declared on a BIN not in the registry refused, naming that BIN?"""
    from tests.factories import valid_bin

    number = valid_bin()
    response = client.post("/api/v1/inspectors/", json=inspector_payload(conflict_bins=[number]), headers=admin)
    assert response.status_code == 422 and number in response.json["errors"]["json"]["conflict_bins"][0]

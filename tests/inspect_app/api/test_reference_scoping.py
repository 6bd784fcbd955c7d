"""Does a write that names another record (a BIN, a username, a visit, a region) stay within the caller's scope?"""

import pytest

from inspect_app.extensions import db
from tests.factories import FacilityFactory, InspectorFactory, UserFactory


@pytest.fixture
def supervisor(auth_headers):
    return auth_headers("supervisor")


def _patch(client, headers, inspector, **payload):
    return client.patch(f"/api/v1/inspectors/{inspector.id}", json=payload, headers=headers)


def test_conflict_with_another_regions_facility_answers_as_an_unknown_bin(client, supervisor, region_a, region_b):
    """Does a conflict BIN of region B neither name that facility nor confirm that it exists?"""
    inspector = InspectorFactory(regions=[region_a])
    foreign = FacilityFactory(region=region_b, name_ru="Секретная школа другого региона")
    unknown_bin = FacilityFactory.build().bin
    db.session.commit()
    foreign_answer = _patch(client, supervisor, inspector, conflict_bins=[foreign.bin])
    unknown_answer = _patch(client, supervisor, inspector, conflict_bins=[unknown_bin])
    assert foreign_answer.status_code == unknown_answer.status_code == 422
    assert "Секретная" not in foreign_answer.get_data(as_text=True)
    assert foreign_answer.json["errors"] == {"json": {"conflict_bins": [f"Нет объекта с БИН {foreign.bin}."]}}
    assert unknown_answer.json["errors"] == {"json": {"conflict_bins": [f"Нет объекта с БИН {unknown_bin}."]}}
    assert inspector.conflicts == []


def test_conflict_of_own_region_is_accepted_and_admins_conflicts_elsewhere_are_kept(
        client, supervisor, auth_headers, region_a, region_b):
    """Does a supervisor's conflict list replace only the conflicts they can see?"""
    inspector = InspectorFactory(regions=[region_a, region_b])
    own, foreign = FacilityFactory(region=region_a), FacilityFactory(region=region_b)
    assert _patch(client, auth_headers("admin"), inspector, conflict_bins=[foreign.bin]).status_code == 200
    answer = _patch(client, supervisor, inspector, conflict_bins=[own.bin])
    assert answer.status_code == 200, answer.json
    db.session.refresh(inspector)
    assert sorted(c.facility_id for c in inspector.conflicts) == sorted([own.id, foreign.id])


@pytest.mark.parametrize("target", ["admin", "ministry", "supervisor_b", "other_region_inspector", "nobody"])
def test_username_links_only_an_inspector_account_of_the_own_region(client, supervisor, users, region_a, region_b,
                                                                     target):
    """Is linking to an admin, a ministry analyst, another region's user or an unknown name one same refusal?"""
    UserFactory(username="other_region_inspector", role="inspector", region=region_b)
    inspector = InspectorFactory(regions=[region_a])
    db.session.commit()
    answer = _patch(client, supervisor, inspector, username=target)
    assert answer.status_code == 422
    refusal = "В вашем регионе нет учётной записи инспектора с таким именем пользователя."
    assert answer.json["errors"] == {"json": {"username": [refusal]}}
    assert inspector.user is None


def test_username_of_an_own_region_inspector_is_linked(client, supervisor, users, region_a):
    """Does the supervisor still link the profile to an inspector account of their region?"""
    inspector = InspectorFactory(regions=[region_a])
    answer = _patch(client, supervisor, inspector, username="inspector")
    assert answer.status_code == 200, answer.json
    assert answer.json["username"] == "inspector"


def test_supervisor_keeps_an_inspectors_other_region(client, supervisor, region_a, region_b):
    """Can a supervisor of A no longer remove a shared inspector from region B by sending only A?"""
    inspector = InspectorFactory(regions=[region_a, region_b])
    answer = _patch(client, supervisor, inspector, region_katos=[region_a.kato], skills=["safety"])
    assert answer.status_code == 200, answer.json
    assert sorted(answer.json["region_katos"]) == sorted([region_a.kato, region_b.kato])


def test_shared_inspector_lists_only_the_readers_conflicts(client, supervisor, auth_headers, login, region_a,
                                                           region_b):
    """Does a supervisor reading a shared inspector (API list, API record, page, edit form) see the conflicts
    of their own region, and of another region's only how many there are, never the facility?"""
    inspector = InspectorFactory(regions=[region_a, region_b])
    own = FacilityFactory(region=region_a, name_ru="Своя школа")
    foreign = FacilityFactory(region=region_b, name_ru="Секретная школа другого региона")
    assert _patch(client, auth_headers("admin"), inspector, conflict_bins=[own.bin, foreign.bin]).status_code == 200

    record = client.get(f"/api/v1/inspectors/{inspector.id}", headers=supervisor)
    listed = next(i for i in client.get("/api/v1/inspectors/", headers=supervisor).json if i["id"] == inspector.id)
    for body in (record.json, listed):
        assert [c["facility_id"] for c in body["conflicts"]] == [own.id] and body["hidden_conflicts"] == 1
        assert "Секретная" not in str(body) and foreign.bin not in str(body)

    admin = client.get(f"/api/v1/inspectors/{inspector.id}", headers=auth_headers("admin")).json
    assert sorted(c["facility_id"] for c in admin["conflicts"]) == sorted([own.id, foreign.id])
    assert admin["hidden_conflicts"] == 0

    login("supervisor")
    for url in (f"/inspectors/{inspector.id}", f"/inspectors/{inspector.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert own.bin in page and foreign.bin not in page and "Секретная" not in page, url
    assert "Ещё в других регионах: 1" in client.get(f"/inspectors/{inspector.id}").get_data(as_text=True)

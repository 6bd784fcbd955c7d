"""Do import, export, duplicate flagging and merging work through the API as a client uses them?"""

import io
import json
import re

import pytest
import sqlalchemy as sa
from flask_babel import refresh

from exports.tabular import read_table
from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, DuplicateCandidate, Facility, InspectorConflict
from inspect_app.services.users import issue_token
from tests.factories import FacilityFactory, InspectorFactory, UserFactory
from tests.inspect_app.services.conftest import csv_bytes, db_state, xlsx_bytes


@pytest.fixture
def headers(geography):
    """An admin's bearer token header (the real geography is loaded)."""
    return {"Authorization": f"Bearer {issue_token(db.session, UserFactory(role='admin', region=None), 't')}"}


def upload(client, headers, data: bytes, name: str, query: str = ""):
    return client.post(f"/api/v1/registry/import{query}", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def export(client, headers, query: str) -> bytes:
    response = client.get(f"/api/v1/registry/export?{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_data()
    response.close()
    return data


def rows_of(data: bytes, name: str) -> list[dict]:
    _, rows = read_table(io.BytesIO(data), name)
    return [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in rows]


def test_import_by_upload_reports_counts(client, headers, registry_rows):
    """Does a multipart upload import the file and report created / unchanged on a second run?"""
    data = csv_bytes(registry_rows, delimiter=";")
    first = upload(client, headers, data, "реестр.csv")
    assert first.status_code == 200, first.json
    assert first.json["created"] == len(registry_rows) and first.json["committed"] is True
    second = upload(client, headers, xlsx_bytes(registry_rows), "реестр.xlsx")
    assert (second.json["created"], second.json["unchanged"]) == (0, len(registry_rows))


def test_import_with_errors_is_422_with_every_error(client, headers, registry_rows):
    """Does a bad file answer 422 listing row and column of each error, with nothing written?"""
    rows = [dict(r) for r in registry_rows[:3]]
    rows[0]["lon"] = "90.5"
    rows[2]["bin"] = "123"
    before = db_state()
    response = upload(client, headers, csv_bytes(rows), "bad.csv")
    assert response.status_code == 422
    assert response.json["committed"] is False
    assert [(e["row"], e["column"]) for e in response.json["errors"]] == [(2, "lon"), (4, "bin")]
    assert db_state() == before


@pytest.mark.parametrize("data,name", [(b"", "empty.csv"), (b"\x00\x01\x02" * 500, "junk.csv"),
                                       (b"PK\x03\x04" + b"x" * 100, "fake.xlsx")])
def test_unreadable_upload_names_the_file_field(client, headers, data, name):
    """Is an empty or garbage upload a 422 whose error names the `file` field?"""
    before = db_state()
    response = upload(client, headers, data, name)
    assert response.status_code == 422
    assert "file" in response.json["errors"]["json"]
    assert db_state() == before


def test_import_without_a_file_names_the_field(client, headers):
    """Is a multipart request without the file part refused naming `file`?"""
    response = client.post("/api/v1/registry/import", headers=headers, content_type="multipart/form-data", data={})
    assert response.status_code == 422
    assert "file" in response.json["errors"]["files"]


def test_import_row_limit_comes_from_the_config(app, client, headers, registry_rows):
    """Does IMPORT_MAX_ROWS bound an upload, refusing a larger file whole?"""
    old = app.config["IMPORT_MAX_ROWS"]
    app.config["IMPORT_MAX_ROWS"] = 5
    try:
        before = db_state()
        response = upload(client, headers, csv_bytes(registry_rows[:6]), "big.csv")
        assert response.status_code == 422
        assert "больше 5 строк" in response.json["errors"]["json"]["file"][0]
        assert db_state() == before
        assert upload(client, headers, csv_bytes(registry_rows[:5]), "ok.csv").status_code == 200
    finally:
        app.config["IMPORT_MAX_ROWS"] = old


def test_partial_upload_imports_good_rows(client, headers, registry_rows):
    """Does `?partial=true` import the valid rows and report the rejected one?"""
    rows = [dict(r) for r in registry_rows[:4]]
    rows[1]["children_count"] = "-3"
    response = upload(client, headers, csv_bytes(rows), "p.csv", "?partial=true")
    assert response.status_code == 200
    assert (response.json["created"], response.json["rejected"]) == (3, 1)
    assert response.json["errors"][0] == {"row": 3, "column": "children_count",
                                          "message": response.json["errors"][0]["message"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "json"])
def test_export_reimports_to_the_same_registry(client, headers, registry_rows, fmt):
    """Does an export, imported into an emptied registry, rebuild the same registry (same export again)?"""
    assert upload(client, headers, csv_bytes(registry_rows), "seed.csv").json["created"] == len(registry_rows)
    first = export(client, headers, f"format={fmt}")
    name = f"registry.{fmt}"
    assert len(rows_of(first, name)) == len(registry_rows)

    db.session.execute(sa.delete(ChangeRecord))
    db.session.execute(sa.delete(Facility))
    db.session.commit()
    result = upload(client, headers, first, name)
    assert result.status_code == 200, result.json
    assert result.json["created"] == len(registry_rows)

    second = export(client, headers, f"format={fmt}")
    if fmt == "xlsx":
        assert rows_of(second, name) == rows_of(first, name)
    elif fmt == "geojson":
        # The same features; each Feature's id is the facility's id, which the rebuilt registry gave anew.
        def without_ids(data):
            doc = json.loads(data)
            return [{k: v for k, v in feature.items() if k != "id"} for feature in doc["features"]]

        assert without_ids(second) == without_ids(first)
        ids = set(db.session.scalars(sa.select(Facility.id)))
        assert {feature["id"] for feature in json.loads(second)["features"]} == ids
    else:
        assert second == first
    again = upload(client, headers, second, name)
    assert (again.json["created"], again.json["updated"]) == (0, 0)


def test_export_filters_and_headers(client, headers, registry_rows):
    """Does the export honour region and type filters and name its file and type?"""
    upload(client, headers, csv_bytes(registry_rows), "seed.csv")
    response = client.get("/api/v1/registry/export?format=geojson&region=750000000&type=school", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "registry.geojson" in response.headers["Content-Disposition"]
    doc = json.loads(response.get_data())
    response.close()
    expected = {r["bin"] for r in registry_rows if r["region_kato"] == "750000000" and r["type"] == "school"}
    assert expected and {f["properties"]["bin"] for f in doc["features"]} == expected
    lon, lat = doc["features"][0]["geometry"]["coordinates"]
    assert 46.4 <= lon <= 87.4 and 40.5 <= lat <= 55.5


@pytest.mark.parametrize("query", ["format=pdf", "region=75", "type=casino"])
def test_export_refuses_unknown_arguments(client, headers, query):
    """Is an unknown format or filter value a 422 naming the query argument?"""
    response = client.get(f"/api/v1/registry/export?{query}", headers=headers)
    assert response.status_code == 422
    assert query.split("=")[0] in response.json["errors"]["query"]


def test_duplicates_are_flagged_and_merge_keeps_both_histories(client, headers, geography):
    """Are two records of one school flagged, and does merging keep both histories and the conflicts on the survivor?"""
    region = geography["190000000"]
    keep = FacilityFactory(region=region, name_ru="КГУ «Средняя школа № 12»", lat=43.2565, lon=76.9285)
    drop = FacilityFactory(region=region, name_ru="Средняя школа №12", lat=43.2568, lon=76.9287, agency="akimat")
    FacilityFactory(region=region, name_ru="Средняя школа № 13", lat=43.2566, lon=76.9286)
    FacilityFactory(region=region, name_ru="Средняя школа № 12", lat=44.0, lon=77.5)
    inspector = InspectorFactory(regions=[region])
    db.session.add(InspectorConflict(inspector=inspector, facility=drop, reason="сестра — директор"))
    db.session.commit()
    client.patch(f"/api/v1/facilities/{keep.id}", json={"children_count": 901}, headers=headers)
    client.patch(f"/api/v1/facilities/{drop.id}", json={"children_count": 902}, headers=headers)

    pairs = client.post("/api/v1/registry/duplicates", headers=headers).json
    assert [(p["facility_a_id"], p["facility_b_id"]) for p in pairs] == [(keep.id, drop.id)]
    assert client.post("/api/v1/registry/duplicates", headers=headers).json == pairs
    # Why they look alike, in the answer's language (Russian unless asked otherwise).
    assert re.fullmatch(r"Расстояние: \d+ м · сходство названий: \d+%", pairs[0]["reason"])
    refresh()  # the test's app context outlives the requests: forget the locale picked for the first one
    english = client.get("/api/v1/registry/duplicates?lang=en", headers=headers).json
    refresh()
    assert re.fullmatch(r"Distance: \d+ m · names alike: \d+%", english[0]["reason"]), english[0]["reason"]

    response = client.post("/api/v1/registry/merge", json={"keep_id": keep.id, "drop_id": drop.id, "note": "одна"},
                           headers=headers)
    assert response.status_code == 200, response.json
    dropped = client.get(f"/api/v1/facilities/{drop.id}", headers=headers).json
    assert dropped["archived"] is True and dropped["merged_into_id"] == keep.id
    history = client.get(f"/api/v1/facilities/{keep.id}/history", headers=headers).json
    assert {(h["entity_id"], h["action"]) for h in history} >= {
        (keep.id, "update"), (drop.id, "update"), (keep.id, "merge"), (drop.id, "merge")}
    assert {h["changes"].get("children_count", [None, None])[1] for h in history} >= {901, 902}
    db.session.expire_all()
    assert db.session.scalar(sa.select(InspectorConflict.facility_id)
                             .where(InspectorConflict.inspector_id == inspector.id)) == keep.id
    assert client.get("/api/v1/registry/duplicates", headers=headers).json == []
    assert db.session.scalar(sa.select(DuplicateCandidate.status)) == "merged"


def test_bad_merges_are_refused(client, headers, geography):
    """Is a merge into itself, of a merged record, or with a wrongly typed id refused with the field named?"""
    a, b, c = FacilityFactory.create_batch(3, region=geography["190000000"])
    db.session.commit()
    itself = client.post("/api/v1/registry/merge", json={"keep_id": a.id, "drop_id": a.id}, headers=headers)
    assert itself.status_code == 422 and "drop_id" in itself.json["errors"]["json"]
    typed = client.post("/api/v1/registry/merge", json={"keep_id": str(a.id), "drop_id": b.id}, headers=headers)
    assert typed.status_code == 422 and "keep_id" in typed.json["errors"]["json"]
    assert client.post("/api/v1/registry/merge", json={"keep_id": a.id, "drop_id": b.id},
                       headers=headers).status_code == 200
    again = client.post("/api/v1/registry/merge", json={"keep_id": c.id, "drop_id": b.id}, headers=headers)
    assert again.status_code == 409 and "drop_id" in again.json["errors"]["json"]


def test_history_follows_chained_merges_and_archived_survivor_is_refused(client, headers, geography):
    """After A→B and B→C merges, does C show A's history too; and is merging into an archived record refused?"""
    a, b, c, d = FacilityFactory.create_batch(4, region=geography["190000000"])
    db.session.commit()
    client.patch(f"/api/v1/facilities/{a.id}", json={"children_count": 11}, headers=headers)
    for keep, drop in ((b, a), (c, b)):
        assert client.post("/api/v1/registry/merge", json={"keep_id": keep.id, "drop_id": drop.id},
                           headers=headers).status_code == 200
    history = client.get(f"/api/v1/facilities/{c.id}/history", headers=headers).json
    assert (a.id, "update") in {(h["entity_id"], h["action"]) for h in history}
    into_archived = client.post("/api/v1/registry/merge", json={"keep_id": b.id, "drop_id": d.id}, headers=headers)
    assert into_archived.status_code == 409 and "keep_id" in into_archived.json["errors"]["json"]

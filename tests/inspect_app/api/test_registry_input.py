"""Do imports and bodies a client sends get a clear 4xx when they are malformed, mis-encoded or built to exhaust?"""

import io
import json

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Facility
from inspect_app.services.users import issue_token
from tests.exports.test_table_reader import _never_parsed, _sheet_with, xlsx_bomb
from tests.factories import FacilityFactory, UserFactory
from tests.inspect_app.services.conftest import csv_bytes, registry_rows  # noqa: F401 - fixture


@pytest.fixture
def headers(geography):
    """An admin's bearer token header (the real geography is loaded)."""
    return {"Authorization": f"Bearer {issue_token(db.session, UserFactory(role='admin', region=None), 't')}"}


def upload(client, headers, data: bytes, name: str):
    return client.post("/api/v1/registry/import", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def _file_error(response) -> str:
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    return " ".join(response.json["errors"]["json"]["file"])


@pytest.mark.parametrize("features,fragment", [
    (["a string"], "Feature 1"), ([7], "Feature 1"),
    ([{"type": "Feature", "properties": ["bin"], "geometry": None}], "Feature 1: its properties"),
    ([{"type": "Feature", "properties": {}, "geometry": "POINT(71 51)"}], "Feature 1: its geometry"),
    ([{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [71.4]}}], "Feature 1"),
])
def test_malformed_geojson_import_is_422_naming_the_feature(client, headers, features, fragment):
    """Does a malformed GeoJSON import answer 422 naming the feature (it was a 500)?"""
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    assert fragment in _file_error(upload(client, headers, data, "registry.geojson"))


def test_koi8_file_is_imported_as_koi8_and_says_so(client, headers, registry_rows):  # noqa: F811
    """Is a KOI8-R file imported with its real names (not cp1251 mojibake), the detected encoding reported?"""
    rows = [{**row, "name_ru": f"Детский сад Солнышко {n}", "name_kk": "", "address": "г. Талгар, ул. Абая, 10"}
            for n, row in enumerate(registry_rows[:5])]
    response = upload(client, headers, csv_bytes(rows, encoding="koi8-r", delimiter=";"), "koi8.csv")
    assert response.status_code == 200, response.json
    assert response.json["encoding"] == "KOI8-R" and response.json["format"] == "csv"
    names = set(db.session.scalars(sa.select(Facility.name_ru)))
    assert {row["name_ru"] for row in rows} <= names


def test_file_that_decodes_cleanly_nowhere_is_refused(client, headers):
    """Is a file of bytes that are clean text in no encoding refused, writing nothing?"""
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Facility))
    data = "bin;name_ru\n190540000024;Школа имени Абая\n".encode()[:-4] + b"\xff\xfe\n"
    assert "UTF-8" in _file_error(upload(client, headers, data, "broken.csv"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == before


def test_xlsx_bomb_is_refused(client, headers):
    """Is a small XLSX whose shared strings unpack to 150 MB refused with a clear error before parsing?"""
    data = xlsx_bomb(150 << 20)
    assert len(data) < 400_000
    assert "MB" in _file_error(upload(client, headers, data, "bomb.xlsx"))


def test_xlsx_of_empty_rows_is_refused_in_seconds_in_the_users_language(client, headers, monkeypatch):
    """Is a 21 KB XLSX that unzips to two million empty rows answered 422 before openpyxl parses it (so within
    seconds), in Kazakh on a Kazakh request, writing nothing (it was read for seconds to minutes and then taken
    as a one-row table)?"""
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", _never_parsed)
    response = upload(client, headers | {"Accept-Language": "kk"}, _sheet_with(b"<row/>" * 2_000_000), "e.xlsx")
    assert response.status_code == 422
    assert "бос жолдар да" in _file_error(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == 0


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"name_ru": ' + "[" * 50_000 + "]" * 50_000 + "}"])
def test_deeply_nested_json_body_is_400(client, headers, body):
    """Is a JSON body nested too deeply for the parser a 400, not a RecursionError's 500?"""
    facility = FacilityFactory()
    for method, url in (("POST", "/api/v1/facilities/"), ("PATCH", f"/api/v1/facilities/{facility.id}")):
        response = client.open(url, method=method, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 400, (method, response.status_code)


def test_deeply_nested_opening_hours_in_a_file_is_a_row_error(client, headers, registry_rows):  # noqa: F811
    """Is a cell of opening hours holding deeply nested JSON a row error, not a 500?"""
    rows = [{**registry_rows[0], "opening_hours": "{" + '"mon": ' * 1 + "[" * 50_000 + "]" * 50_000 + "}"}]
    response = upload(client, headers, csv_bytes(rows), "hours.csv")
    assert response.status_code == 422
    assert response.json["errors"][0]["column"] == "opening_hours"

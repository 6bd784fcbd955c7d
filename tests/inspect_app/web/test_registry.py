"""Do the import, export and duplicates pages do what the registry team needs?"""

import io

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import DuplicateCandidate, Facility
from tests.factories import FacilityFactory, valid_bin

HEADER = "bin,name_ru,type,agency,region_kato,lat,lon,risk\n"


def upload(client, text: str, partial: bool = False, name: str = "registry.csv"):
    """Post a registry file through the import form."""
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    if partial:
        data["partial"] = "y"
    return client.post("/registry/import", data=data, content_type="multipart/form-data")


def test_import_with_one_bad_row_shows_every_error_and_imports_nothing(client, login, region_a):
    login("supervisor")
    good = f"{valid_bin()},Школа № 10,school,education,{region_a.kato},43.2,76.9,low\n"
    bad = f"123,Школа № 11,school,education,{region_a.kato},10.0,76.9,extreme\n"
    response = upload(client, HEADER + good + bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ничего не импортировано" in page
    for column in ("bin", "lat", "risk"):
        assert f'class="mono">{column}</td>' in page
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) == 0


def test_partial_import_offers_the_rejects_as_csv(client, login, region_a):
    login("supervisor")
    good = f"{valid_bin()},Школа № 10,school,education,{region_a.kato},43.2,76.9,low\n"
    bad = f"123,Школа № 11,school,education,{region_a.kato},43.2,76.9,low\n"
    page = upload(client, HEADER + good + bad, partial=True).get_data(as_text=True)
    assert "Импорт выполнен" in page
    assert 'download="rejected-rows.csv"' in page and "data:text/csv" in page
    assert db.session.scalar(sa.select(sa.func.count(Facility.id))) == 1


def test_export_downloads_reimport_cleanly(client, login, region_a):
    FacilityFactory.create_batch(3, region=region_a, type="kindergarten")
    FacilityFactory(region=region_a, type="school")
    login("supervisor")
    for fmt in ("csv", "xlsx", "csv_excel", "json", "geojson"):
        with client.get(f"/registry/export/{fmt}?type=kindergarten") as response:
            assert response.status_code == 200
            assert "attachment" in response.headers["Content-Disposition"]
            exported = response.data
        result = client.post("/registry/import", content_type="multipart/form-data",
                             data={"file": (io.BytesIO(exported), f"registry.{fmt}")})
        page = result.get_data(as_text=True)
        assert result.status_code == 200, page
        assert '<span class="num">3</span><span>без изменений' in page


def test_export_page_carries_the_list_filters(client, login):
    login("ministry")
    page = client.get("/registry/export?risk=high&q=abc").get_data(as_text=True)
    assert "/registry/export/csv?risk=high" in page


def test_ministry_exports_but_may_not_import_or_merge(client, login, region_a):
    FacilityFactory(region=region_a)
    db.session.commit()  # the 403 handler rolls the session back; keep the setup
    login("ministry")
    with client.get("/registry/export/csv") as response:
        assert response.status_code == 200
    assert client.get("/registry/import").status_code == 403
    assert client.post("/registry/duplicates/scan").status_code == 403


def test_duplicates_merge_keeps_both_histories(client, login, region_a):
    login("supervisor")
    for bin_, name in ((valid_bin(), "КГУ «Средняя школа № 5»"), (valid_bin(), "Средняя школа №5")):
        data = {"bin": bin_, "name_ru": name, "type": "school", "agency": "education", "region_kato": region_a.kato,
                "lat": "43.2500", "lon": "76.9500", "risk": "low", "status": "active"}
        assert client.post("/facilities/new", data=data).status_code == 302
    assert client.post("/registry/duplicates/scan").status_code == 302
    page = client.get("/registry/duplicates").get_data(as_text=True)
    assert "Объединить A в B" in page and "Средняя школа №5" in page
    candidate = db.session.scalar(sa.select(DuplicateCandidate))
    # The first press asks for confirmation and says what merging does; nothing is merged yet.
    confirm = client.post(f"/registry/duplicates/{candidate.id}/merge", data={"keep": "a"})
    assert confirm.status_code == 200 and "будет архивирована и присоединена" in confirm.get_data(as_text=True)
    assert db.session.scalar(sa.select(DuplicateCandidate)).status == "open"
    response = client.post(f"/registry/duplicates/{candidate.id}/merge", data={"keep": "a", "confirm": "1"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.count(">создание") == 2 and page.count(">объединение") == 2
    assert "Открытых пар нет" in client.get("/registry/duplicates").get_data(as_text=True)


def test_dismissed_pair_leaves_the_list(client, login, region_a):
    a = FacilityFactory(region=region_a, name_ru="Школа № 9")
    b = FacilityFactory(region=region_a, name_ru="Школа №9")
    db.session.add(DuplicateCandidate(facility_a_id=a.id, facility_b_id=b.id, reason="test", distance_m=5))
    login("supervisor")
    candidate = db.session.scalar(sa.select(DuplicateCandidate))
    assert client.post(f"/registry/duplicates/{candidate.id}/dismiss").status_code == 302
    assert candidate.status == "dismissed"


def test_import_page_shows_the_detected_encoding(client, login, region_a):
    """Does the import result say which encoding the file was read in (a KOI8-R file here)?"""
    login("supervisor")
    text = HEADER + f"{valid_bin()},Детский сад Солнышко,kindergarten,education,{region_a.kato},43.2,76.9,low\n"
    data = {"file": (io.BytesIO(text.encode("koi8-r")), "koi8.csv")}
    page = client.post("/registry/import", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "кодировка KOI8-R" in page
    assert db.session.scalar(sa.select(Facility.name_ru).where(Facility.name_ru.like("Детский сад%")))


def test_people_get_xlsx_first_and_an_excel_csv_and_are_told_why(client, login, region_a):
    """Is XLSX the page's first (primary) download, is a ";" CSV offered for a Russian-locale Excel, and does the
    page say why (leading zeros, "+", one column)?"""
    login("supervisor")
    page = client.get("/registry/export").get_data(as_text=True)
    assert page.index("/registry/export/xlsx") < page.index("/registry/export/csv_excel") < page.index(
        "/registry/export/csv\"")
    assert 'class="button primary" href="/registry/export/xlsx"' in page
    assert "ведущим нулём" in page and "«;»" in page and "один столбец" in page


def test_the_excel_csv_is_semicolon_separated_utf8_with_bom_and_translated_headers(client, login, region_a):
    """Does the Excel variant start with the UTF-8 BOM, split columns at ";" and name them in the UI language,
    sent with its charset once?"""
    FacilityFactory(region=region_a, name_ru="Школа; № 1")
    login("supervisor")
    with client.get("/registry/export/csv_excel?lang=kk") as response:
        content_type, disposition, data = (response.headers["Content-Type"],
                                           response.headers["Content-Disposition"], response.data)
    assert content_type == "text/csv; charset=utf-8" and "registry-excel.csv" in disposition
    assert data.startswith(b"\xef\xbb\xbf")
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    assert header.split(";")[:3] == ["БСН", "Атауы (орыс.)", "Атауы (қаз.)"]
    assert '"Школа; № 1"' in first


def test_people_xlsx_headers_are_in_the_ui_language(client, login, region_a):
    """Does the web XLSX name its columns in Kazakh (in the kk UI) and still import back unchanged?"""
    from openpyxl import load_workbook

    FacilityFactory(region=region_a)
    login("supervisor")
    with client.get("/registry/export/xlsx?lang=kk") as response:
        data = response.data
    sheet = load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["БСН", "Атауы (орыс.)"] and "bin" not in header
    result = client.post("/registry/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "registry.xlsx")})
    assert result.status_code == 200, result.get_data(as_text=True)


def test_web_csv_downloads_send_their_charset_once(client, login, region_a):
    """Do the registry CSV and a dashboard CSV say "charset=utf-8" once (it was sent twice)?"""
    FacilityFactory(region=region_a)
    login("supervisor")
    with client.get("/registry/export/csv") as response:
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/dashboard/export/regions.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_geojson_carries_each_facility_id(client, login, region_a):
    """Is every Feature's id the facility's registry id (a GIS layer joins back to the registry by it)?"""
    import json

    facilities = FacilityFactory.create_batch(2, region=region_a)
    login("supervisor")
    with client.get("/registry/export/geojson") as response:
        features = json.loads(response.data)["features"]
    assert sorted(f["id"] for f in features) == sorted(f.id for f in facilities)

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
    for fmt in ("csv", "xlsx", "json", "geojson"):
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

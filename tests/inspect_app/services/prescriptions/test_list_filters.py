"""The prescriptions list's district filter: a select of the districts in the reader's scope."""

import re

from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from tests.factories import DistrictFactory, FacilityFactory
from tests.inspect_app.services.prescriptions.conftest import prescription_of, submit


def _options(text: str) -> list[str]:
    select = re.search(r'<select name="district"[^>]*>(.*?)</select>', text, re.S)
    assert select, "no district select"
    return re.findall(r">([^<]+)</option>", select.group(1))


def test_the_district_filter_offers_the_districts_in_scope(client, login, users, region_a, region_b, templates,
                                                          plain):
    """Does a supervisor choose among their region's districts by name (never another region's), does the
    ministry get the chosen region's districts, and does choosing one list only its facilities' items?"""
    north = DistrictFactory(region=region_a, name_ru="Северный район")
    south = DistrictFactory(region=region_a, name_ru="Южный район")
    DistrictFactory(region=region_b, name_ru="Чужой район")
    north_school = FacilityFactory(region=region_a, district=north, name_ru="Школа севера")
    south_school = FacilityFactory(region=region_a, district=south, name_ru="Школа юга")
    north_p = prescription_of(submit(users["supervisor"], north_school, today_almaty(), [plain["major"][0]]))
    south_p = prescription_of(submit(users["supervisor"], south_school, today_almaty(), [plain["major"][0]]))
    db.session.flush()

    login("supervisor")
    text = client.get("/prescriptions/").get_data(as_text=True)
    assert _options(text)[1:] == ["Северный район", "Южный район"] and 'inputmode="numeric"' not in text
    chosen = client.get(f"/prescriptions/?district={north.id}").get_data(as_text=True)
    assert north_p.number in chosen and south_p.number not in chosen
    assert f'<option value="{north.id}" selected>' in chosen

    client.post("/auth/logout")
    login("ministry")
    country = client.get("/prescriptions/").get_data(as_text=True)
    assert _options(country) == ["Все"] and "Сначала выберите регион" in country
    regional = client.get(f"/prescriptions/?region={region_a.kato}&district={south.id}").get_data(as_text=True)
    assert _options(regional)[1:] == ["Северный район", "Южный район"]
    assert south_p.number in regional and north_p.number not in regional
    other = client.get(f"/prescriptions/?region={region_b.kato}&district={south.id}").get_data(as_text=True)
    assert _options(other)[1:] == ["Чужой район"]

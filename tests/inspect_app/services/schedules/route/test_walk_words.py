"""Words the walk found untranslated: the stop page's way back in Kazakh, "Ведомство" in the Kazakh act, and
region names in the English UI."""

import re

import pytest

from inspect_app.labels import report_labels


def test_the_stop_page_leads_back_to_the_route_in_kazakh(client, login, day):
    """Does the stop page's link back to the route read in Kazakh (it was the Russian "← Маршрут")?"""
    login("inspector")
    page = client.get(f"/my/route/stops/{day['today'][0].id}?lang=kk").get_data(as_text=True)
    assert "← Маршрутқа оралу" in page and "← Маршрут<" not in page


def test_the_kazakh_act_names_the_agency_in_kazakh(app):
    """Is the act's "Ведомство" heading Kazakh in the Kazakh report?"""
    with app.test_request_context("/?lang=kk"):
        assert report_labels()["agency"] == "Ведомстволық тиесілігі"


def test_the_english_ui_names_regions_in_english(client, login, day, region_a):
    """Do pages in English name regions in English (they showed the Russian names)?"""
    login("supervisor")
    facility = day["facilities"][0]
    page = client.get(f"/facilities/{facility.id}?lang=en").get_data(as_text=True)
    assert "Almaty Region" in page and region_a.name_ru not in page
    dashboard = client.get("/dashboard?lang=en").get_data(as_text=True)
    assert "Almaty Region" in dashboard and region_a.name_ru not in dashboard



@pytest.mark.parametrize("lang, sign", [("kk", ","), ("ru", ","), ("en", ".")])
def test_kilometres_on_the_route_page_use_the_languages_decimal_sign(client, login, day, lang, sign):
    """Does the route page write its kilometres with a decimal comma in Kazakh and Russian and a point in English
    (it showed "12.4" in every language)?"""
    login("inspector")
    page = client.get(f"/my/route?lang={lang}").get_data(as_text=True)
    summary = re.search(r'class="route-summary">[^<]*?(\d+)([.,])(\d) ', page)
    assert summary is not None, page[:300]
    assert summary.group(2) == sign, summary.group(0)

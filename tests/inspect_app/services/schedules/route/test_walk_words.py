"""Words the walk found untranslated: the stop page's way back in Kazakh, "Ведомство" in the Kazakh act, and
region names in the English UI."""

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

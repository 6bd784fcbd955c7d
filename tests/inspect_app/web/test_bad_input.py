"""Do the pages answer ids, page numbers and dates no record can have with a 4xx or an empty page, never a 500?"""

import pytest

HUGE = "9223372036854775808"
URLS = [
    f"/facilities/?page={HUGE}", f"/inspectors/?page={HUGE}", f"/audits/?page={HUGE}",
    f"/audits/?facility_id={HUGE}", f"/audits/?inspector_id={HUGE}", "/audits/?date_from=0001-01-01",
    f"/audits/new?facility_id={HUGE}", f"/audits/new?facility={HUGE}&visit={HUGE}",
    "/dashboard/?date_from=0001-01-01&date_to=0001-12-31", "/facilities/?q=%25", f"/registry/duplicates?page={HUGE}",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_pages_survive_values_no_record_can_have(client, login, region_a, url, role):
    """Is a page asked for an id or page beyond the database, or a year-1 date, a 2xx/4xx page?"""
    login(role)
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)


@pytest.mark.parametrize("url", ["/my/route?date=0001-01-01", "/my/route?date=9999-12-31",
                                 f"/audits/new?facility_id={HUGE}"])
def test_inspector_pages_survive_the_same(client, login, region_a, url):
    """Is the inspector's route asked for year 1 or 9999 a 4xx, not a 500?"""
    login("inspector")
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)

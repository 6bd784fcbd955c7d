"""Can a supervisor sign in, filter the registry and open a facility in a real browser?"""

import pytest

from tests.served import sign_in

pytestmark = pytest.mark.browser


def test_supervisor_filters_the_registry_and_opens_a_facility(browser_page, live_server, tmp_path):
    page = browser_page
    sign_in(page, live_server, "supervisor", "browser-pass-1")

    page.click("nav >> text=Реестр")
    page.wait_for_url("**/facilities/")
    assert page.locator("table.responsive tbody tr").count() == 4

    page.select_option("select[name=risk]", "high")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**risk=high**")
    rows = page.locator("table.responsive tbody tr")
    assert rows.count() == 2

    rows.first.locator("a").first.click()
    page.wait_for_selector("h2:has-text('История изменений')")
    page.wait_for_selector("#map.leaflet-container")
    assert "Высокий" in page.inner_text("main")
    shot = tmp_path / "facility.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

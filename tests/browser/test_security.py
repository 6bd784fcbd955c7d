"""In a real browser: does a script typed into a name, or injected into a page, never run? And does the policy
still let the maps load their tiles from the configured tile server?"""

import datetime as dt
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from inspect_app.runtime import current_runtime
from tests.browser.conftest import served_app
from tests.served import sign_in

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=1">Школа'
INSPECTOR_PAYLOAD = '<img src=x onerror="window.__xss=2">Инспектор'
PASSWORD = "browser-pass-1"
START = dt.date(2031, 3, 3)


@pytest.fixture(scope="module")
def xss_server():
    """A region whose facility and inspector carry script in their names, with a schedule that visits it."""
    ids = {}

    def seed():
        from flask import current_app

        from inspect_app.extensions import db
        from inspect_app.services import schedules
        from inspect_app.services.jobs import submit
        from inspect_app.services.users import create_user
        from tests.factories import FacilityFactory, InspectorFactory, almaty_region

        region = almaty_region(db.session)
        user = create_user(db.session, "supervisor", PASSWORD, "supervisor", region_kato="190000000")
        facility = FacilityFactory(region=region, name_ru=PAYLOAD, name_kk=PAYLOAD, type="school", risk="high",
                                   lat=43.26, lon=76.96, last_inspection_date=None)
        InspectorFactory(regions=[region], full_name=INSPECTOR_PAYLOAD, home_lat=43.25, home_lon=76.95,
                         skills=["safety", "nutrition", "health"])
        db.session.commit()
        with current_app.test_request_context():
            params, _ = schedules.check_build(db.session, user, {"region": "190000000", "start": START, "days": 1,
                                                                 "seed": 1, "time_limit": 1}, current_runtime())
            job = submit(db.session, user, "schedule_build", params.as_job_params(), region_id=region.id,
                         runtime=current_runtime())
        ids["facility"], ids["schedule"] = facility.id, job.result["schedule_ids"][0]

    with served_app(seed) as url:
        yield url, ids


def test_facility_popup_shows_the_name_as_text(browser_page, xss_server):
    """Does the facility map's popup show the name literally, with its onerror never run?"""
    url, ids = xss_server
    page = browser_page
    sign_in(page, url, "supervisor", PASSWORD)
    page.goto(f"{url}/facilities/{ids['facility']}")
    page.wait_for_selector("#map .leaflet-marker-icon")
    page.click("#map .leaflet-marker-icon")
    popup = page.wait_for_selector(".leaflet-popup-content")
    assert popup.inner_text() == PAYLOAD
    assert page.locator(".leaflet-popup-content img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_schedule_map_popups_show_names_as_text(browser_page, xss_server):
    """Does every stop's popup on the schedule map show facility and inspector names as text, running nothing?"""
    url, ids = xss_server
    page = browser_page
    sign_in(page, url, "supervisor", PASSWORD)
    page.goto(f"{url}/schedules/{ids['schedule']}")
    markers = page.locator("#schedule-map path.leaflet-interactive")
    page.wait_for_selector("#schedule-map path.leaflet-interactive")
    texts = []
    for n in range(markers.count()):
        markers.nth(n).click()
        texts.append(page.wait_for_selector(".leaflet-popup-content").inner_text())
    assert any(PAYLOAD in t and INSPECTOR_PAYLOAD in t for t in texts), texts
    assert page.locator(".leaflet-popup-content img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_injected_inline_script_does_not_run(browser_page, xss_server):
    """If markup with an inline script reached a page, would the Content-Security-Policy stop it?"""
    url, ids = xss_server
    page = browser_page
    sign_in(page, url, "supervisor", PASSWORD)
    target = f"{url}/facilities/{ids['facility']}"

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", "<script>window.__inline = 1</script>"
                                       "<div onclick=\"window.__inline = 2\" id=\"bait\">x</div></main>")
        route.fulfill(response=response, body=body)

    page.route(target, inject)
    page.evaluate("window.__violations = []")
    page.goto(target)
    page.wait_for_selector("#bait")
    page.click("#bait")
    assert page.evaluate("window.__inline") is None
    # The page's own scripts (from files) still ran: the map was drawn.
    page.wait_for_selector("#map.leaflet-container")


def test_api_docs_work_under_the_policy(browser_page, xss_server):
    """Does Swagger UI at /api/docs still render the API (its start-up script is a static file)?"""
    url, _ids = xss_server
    page = browser_page
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Tekseru API" in page.inner_text(".swagger-ui .info .title")
    assert refused == []


@pytest.fixture
def tile_server():
    """A map tile server of our own on 127.0.0.1: every path answers a small PNG."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(buf, "PNG")
    tile = buf.getvalue()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_map_tiles_load_from_the_configured_tile_server(browser_page, tile_server):
    """With only MAP_TILE_URL pointing at another tile server, does a facility's map load its tiles under the
    Content-Security-Policy?"""
    ids = {}

    def seed():
        from inspect_app.extensions import db
        from inspect_app.services.users import create_user
        from tests.factories import FacilityFactory, almaty_region

        region = almaty_region(db.session)
        create_user(db.session, "supervisor", PASSWORD, "supervisor", region_kato="190000000")
        ids["facility"] = FacilityFactory(region=region, lat=43.26, lon=76.96).id

    page = browser_page
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    with served_app(seed, MAP_TILE_URL=f"{tile_server}/{{z}}/{{x}}/{{y}}.png") as url:
        sign_in(page, url, "supervisor", PASSWORD)
        page.goto(f"{url}/facilities/{ids['facility']}")
        page.wait_for_selector("#map img.leaflet-tile-loaded")
    assert refused == []

"""Can Tekseru be installed on a phone's home screen: a web app manifest, icons drawn for it, a theme colour?"""

from flask_babel import refresh
from PIL import Image


def test_every_page_links_the_manifest_in_its_language_with_a_theme_colour(client):
    """Does a page (the sign-in page, before any login) link the manifest, the icons and the theme colour?"""
    page = client.get("/auth/login?lang=kk").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=kk">' in page
    assert '<meta name="theme-color" content="#10243e">' in page
    assert 'rel="apple-touch-icon"' in page


def test_the_manifest_opens_the_inspectors_home_standalone_with_names_in_three_languages(client):
    """Names in ru/kk/en (the asked one first, the others as translations), start_url the home (an
    inspector's is today's route), scope the whole app, standalone, the theme colour of the top bar?"""
    response = client.get("/manifest.webmanifest?lang=kk")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["lang"] == "kk" and "балалар" in manifest["name"] and manifest["short_name"] == "Тексеру"
    assert manifest["translations"]["en"]["short_name"] == "Tekseru"
    assert "проверки" in manifest["translations"]["ru"]["name"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert manifest["theme_color"] == "#10243e"
    refresh()  # the test's app context outlives the requests: forget the locale picked for the first one
    english = client.get("/manifest.webmanifest?lang=en").get_json()
    refresh()
    assert english["name"].startswith("Tekseru") and set(english["translations"]) == {"ru", "kk"}


def test_the_icons_are_served_at_the_sizes_the_manifest_names(client):
    """Is each PNG icon the manifest lists served, square and of its declared size (192, 512, a maskable 512)?"""
    import io

    icons = client.get("/manifest.webmanifest").get_json()["icons"]
    purposes = {icon["purpose"] for icon in icons}
    assert {"any", "maskable"} <= purposes
    for icon in icons:
        with client.get(icon["src"]) as response:
            assert response.status_code == 200 and response.mimetype == icon["type"], icon
            data = response.data
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(data)).size
            assert f"{width}x{height}" == icon["sizes"]
        else:
            assert b"<svg" in data

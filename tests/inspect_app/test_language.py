"""Which language a person gets: the link they followed, their choice, their profile, their browser, Russian."""

import pytest
from flask_babel import refresh

from inspect_app.extensions import db


def _page_lang(client, url="/auth/login", **headers) -> str:
    refresh()  # the test's app context outlives the requests: forget the locale picked for the previous one
    page = client.get(url, headers=headers).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(("accept", "lang"), [
    ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
    ("en-US,en;q=0.9", "en"),
    ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
    ("de-DE,de;q=0.9", "ru"),   # none of ours: the default
    (None, "ru"),
])
def test_a_first_visit_speaks_the_browsers_language(client, accept, lang):
    """Does the sign-in page answer a Kazakh or English phone in its language, and anything else in Russian?"""
    headers = {"Accept-Language": accept} if accept else {}
    refresh()
    response = client.get("/auth/login", headers=headers)
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)
    # A cache in between must not hand the Kazakh page to a Russian browser.
    assert "Accept-Language" in response.vary


def test_a_chosen_language_and_the_profile_beat_the_browser(client, login, users):
    """Does ?lang= (kept for the session) beat the browser's languages, and a signed-in user's profile too?"""
    assert _page_lang(client, "/auth/login?lang=en", **{"Accept-Language": "kk"}) == "en"
    assert _page_lang(client, **{"Accept-Language": "kk"}) == "en"
    with client.session_transaction() as s:
        s.pop("lang", None)
    users["supervisor"].locale = "kk"
    db.session.commit()
    login("supervisor")
    assert _page_lang(client, "/", **{"Accept-Language": "en-US"}) == "kk"


def test_lang_on_an_api_call_answers_that_call_only(client, auth_headers, users):
    """Does ?lang=en on an API call answer in English without switching the client's later calls (no session
    cookie is set), while Accept-Language works per call?"""
    headers = auth_headers("supervisor")

    def message(url, **extra):
        refresh()
        response = client.get(url, headers={**headers, **extra})
        assert response.status_code == 404
        return response, response.json["message"]

    russian = message("/api/v1/facilities/999999")[1]
    answer, english = message("/api/v1/facilities/999999?lang=en")
    assert english != russian and english.isascii()
    assert "Set-Cookie" not in answer.headers
    assert message("/api/v1/facilities/999999")[1] == russian
    assert message("/api/v1/facilities/999999", **{"Accept-Language": "en"})[1] == english

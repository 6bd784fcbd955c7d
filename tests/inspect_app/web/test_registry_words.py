"""Do the duplicates page and the registry list speak Kazakh to a Kazakh user: labels, names, refusals, order?"""

import re

import pytest

from inspect_app.extensions import db
from inspect_app.models import DuplicateCandidate
from inspect_app.models.vocab import utcnow
from tests.factories import FacilityFactory


@pytest.fixture
def pair(region_a):
    a = FacilityFactory(region=region_a, name_ru="Школа № 9", name_kk="№ 9 мектеп")
    b = FacilityFactory(region=region_a, name_ru="Школа №9", name_kk="№9 орта мектеп")
    candidate = DuplicateCandidate(facility_a_id=a.id, facility_b_id=b.id, reason="5 m apart, names 90% alike",
                                   distance_m=5, name_similarity=0.9)
    db.session.add(candidate)
    db.session.flush()
    return a, b, candidate


def test_duplicates_page_and_merge_confirmation_in_kazakh(client, login, pair):
    """Are the pair's labels, buttons and the merge confirmation Kazakh, with the facilities' Kazakh names?"""
    a, b, candidate = pair
    login("supervisor")
    page = client.get("/registry/duplicates?lang=kk").get_data(as_text=True)
    for words in ("Ықтимал қайталанулар", "Арақашықтық: 5 м", "атаулардың ұқсастығы: 90%", "БСН", "Мекенжайы",
                  "A-ны B-ға біріктіру", "Қайталану емес", "№ 9 мектеп", "№9 орта мектеп"):
        assert words in page, words
    for russian in ("Возможные дубликаты", "Расстояние", "Объединить", "Не дубликат", "Адрес"):
        assert russian not in page, russian
    confirm = client.post(f"/registry/duplicates/{candidate.id}/merge", data={"keep": "a"}).get_data(as_text=True)
    assert "«№9 орта мектеп»" in confirm and "«№ 9 мектеп»" in confirm
    assert "Школа" not in confirm


@pytest.mark.parametrize(("lang", "text"), [("ru", "Сохраняемый объект в архиве"),
                                            ("kk", "Сақталатын объект мұрағатта")])
def test_refused_merge_says_why_in_the_ui_language(client, login, pair, lang, text):
    """Is a merge into an archived record refused with the reason in the UI language, not the service's English?"""
    a, b, candidate = pair
    a.archived_at = utcnow()
    db.session.flush()
    login("supervisor")
    response = client.post(f"/registry/duplicates/{candidate.id}/merge?lang={lang}",
                           data={"keep": "a", "confirm": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert text in page and "restore it" not in page


@pytest.mark.parametrize(("lang", "expected"), [("kk", ["Айгөлек", "Восток", "Ясли Арман"]),
                                                ("ru", ["Арман", "Балапан", "Восток"])])
def test_registry_sorts_by_the_name_in_the_ui_language(client, login, region_a, lang, expected):
    """Does the registry list, sorted by name, follow name_kk in Kazakh (name_ru where it has none) and name_ru
    in Russian?"""
    FacilityFactory(region=region_a, name_ru="Арман", name_kk="Ясли Арман")
    FacilityFactory(region=region_a, name_ru="Балапан", name_kk="Айгөлек")
    FacilityFactory(region=region_a, name_ru="Восток", name_kk="")
    login("supervisor")
    page = client.get(f"/facilities/?lang={lang}").get_data(as_text=True)
    assert re.findall(r"(Ясли Арман|Айгөлек|Арман|Балапан|Восток)</a>", page) == expected


def test_labels_follow_each_requests_language(client, login, pair):
    """Is a field label shown in Kazakh after the page was first shown in Russian (Jinja must not freeze a
    constant's label when it compiles the template)?"""
    from flask_babel import refresh

    login("supervisor")
    assert "БИН" in client.get("/registry/duplicates?lang=ru").get_data(as_text=True)
    refresh()  # the test's app context outlives the requests: forget the locale picked for the first one
    page = client.get("/registry/duplicates?lang=kk").get_data(as_text=True)
    assert "<dt>БСН</dt>" in page and "<dt>Мекенжайы</dt>" in page and "<dt>БИН</dt>" not in page

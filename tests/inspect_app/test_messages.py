"""Words a person reads in a refusal: marshmallow's messages, HTTP errors and the error pages in ru, kk, en."""

import inspect

import marshmallow
import pytest
from flask_babel import refresh
from marshmallow import fields, validate

from inspect_app.messages import MARSHMALLOW_MESSAGES, ui_message
from tests.factories import FacilityFactory, UserFactory

BAD_FACILITY = {"name_ru": "x" * 1000, "lat": "abc", "children_count": -5, "type": "zzz", "contact_email": "nope",
                "last_inspection_date": "2020-13-01", "address": None}
# What each field of BAD_FACILITY (and a required one) must say, by language.
EXPECTED = {
    "ru": {"bin": "Обязательное поле.", "address": "Поле не может быть пустым.", "lat": "Введите число.",
           "children_count": "Должно быть не меньше 0 и не больше 100000.",
           "contact_email": "Неверный адрес эл. почты.", "last_inspection_date": "Введите дату в виде ГГГГ-ММ-ДД."},
    "kk": {"bin": "Міндетті өріс.", "address": "Өріс бос болмауы керек.", "lat": "Сан енгізіңіз.",
           "children_count": "Мәні: кем дегенде 0 және көп емес 100000.",
           "contact_email": "Электрондық пошта мекенжайы қате."},
    "en": {"bin": "This field is required.", "address": "This field may not be empty.", "lat": "Enter a number.",
           "children_count": "Must be at least 0 and at most 100000."},
}


def _default_templates():
    """Every default message template of the installed marshmallow: fields, validators, Schema."""
    found = set()
    for _name, cls in inspect.getmembers(fields, inspect.isclass):
        if issubclass(cls, fields.Field):
            found |= set(getattr(cls, "default_error_messages", {}).values())
    for _name, cls in inspect.getmembers(validate, inspect.isclass):
        for attr, value in vars(cls).items():
            if isinstance(value, str) and attr.startswith(("message_", "default_message")):
                found.add(value)
    found |= set(marshmallow.Schema._default_error_messages.values())
    return {t for t in found if not t.startswith(("greater", "less"))}


def test_every_marshmallow_default_message_has_a_translation():
    """Is every message marshmallow can produce (any field type, any validator) mapped to a UI msgid?"""
    missing = _default_templates() - set(MARSHMALLOW_MESSAGES)
    assert not missing, missing


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_api_422_speaks_the_requested_language(client, auth_headers, lang):
    """Does a refused API body carry marshmallow's messages in the language asked by ?lang=?"""
    response = client.post(f"/api/v1/facilities/?lang={lang}", headers=auth_headers("admin"), json=BAD_FACILITY)
    assert response.status_code == 422
    body = response.get_json()
    errors = body["errors"]["json"]
    for field, text in EXPECTED[lang].items():
        assert errors[field] == [text], (field, errors[field])
    shown = str(body)
    for english in ("Missing data", "Longer than", "Not a valid", "Must be", "Unknown field", "well-formed"):
        assert lang == "en" or english not in shown


def test_api_422_follows_the_token_users_language(client, db_session):
    """Does a token of a user who chose Kazakh get Kazakh messages without ?lang=?"""
    from inspect_app.services.users import issue_token

    user = UserFactory(username="kk_admin", role="admin", region=None, locale="kk")
    headers = {"Authorization": f"Bearer {issue_token(db_session, user, 't')}"}
    response = client.post("/api/v1/facilities/", headers=headers, json={})
    assert response.get_json()["errors"]["json"]["bin"] == ["Міндетті өріс."]


def test_length_and_choice_messages_keep_their_figures(app):
    """Do the translated length, range and choice messages keep the numbers and values of the original?"""
    with app.test_request_context("/?lang=kk"):
        assert ui_message("Longer than maximum length 400.") == "Тым ұзын: 400 таңбадан аспауы керек."
        assert ui_message("Must be one of: high, low.") == "Тізімнен мән таңдаңыз: high, low."
        assert ui_message("Must be greater than 5.") == "Мәні: артық 5."
        assert ui_message("Not a valid aware datetime.") == "Күн мен уақытты сағат белдеуімен көрсетіңіз (ISO 8601)."
    with app.test_request_context("/?lang=ru"):
        refresh()  # the locale is cached per app context
        assert ui_message("Shorter than minimum length 3.") == "Слишком коротко: не меньше 3 символов."
        assert ui_message("Not a valid integer.") == "Введите целое число."
        assert ui_message("Unknown field.") == "Неизвестное поле."


@pytest.mark.parametrize(("lang", "title", "text"), [
    ("ru", "Доступ запрещён", "У вас нет прав на эту страницу или действие."),
    ("kk", "Кіруге тыйым салынған", "Бұл бетке немесе әрекетке құқығыңыз жоқ."),
])
def test_403_page_speaks_the_ui_language(client, login, lang, title, text):
    """Does the 403 page an inspector meets say who may not do what in the UI language, not werkzeug's English?"""
    login("inspector")
    response = client.get(f"/audits/new?lang={lang}")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert title in page and text in page
    assert "You don't have the permission" not in page


@pytest.mark.parametrize(("lang", "text"), [("ru", "Нужна аутентификация"), ("kk", "Аутентификация қажет")])
def test_api_401_speaks_the_ui_language(client, lang, text):
    """Does an API call without a token say what to send in the UI language?"""
    response = client.get(f"/api/v1/facilities/?lang={lang}")
    assert response.status_code == 401 and text in response.get_json()["message"]


@pytest.mark.parametrize(("lang", "phrase"), [("ru", "Местоположение получено (точность ±{m} м)"),
                                              ("kk", "Орналасқан жер анықталды (дәлдігі ±{m} м)")])
def test_gps_accuracy_phrase_comes_whole_in_the_ui_language(client, login, region_a, lang, phrase):
    """Does the start page hand its script the whole GPS phrase, figure slot included, in the UI language
    (so the accuracy reads "±12 м" in Russian and Kazakh, not an English "m" glued on)?"""
    facility = FacilityFactory(region=region_a)
    login("supervisor")
    page = client.get(f"/audits/new?lang={lang}&facility_id={facility.id}").get_data(as_text=True)
    assert f'data-got="{phrase}"' in page and "data-metres" not in page


@pytest.mark.parametrize(("lang", "schedule", "job"), [("ru", "График не найден.", "Задание не найдено."),
                                                       ("kk", "Кесте табылмады.", "Тапсырма табылмады.")])
def test_service_refusals_speak_the_ui_language(client, auth_headers, login, lang, schedule, job):
    """Does a service's refusal (a missing schedule in the API, a missing job on a page) reach the user in the
    UI language instead of the service's English?"""
    response = client.get(f"/api/v1/schedules/999999?lang={lang}", headers=auth_headers("supervisor"))
    assert response.status_code == 404 and response.get_json()["message"] == schedule
    login("supervisor")
    page = client.get(f"/jobs/{'f' * 32}?lang={lang}")
    assert page.status_code == 404 and job in page.get_data(as_text=True)
    assert "not found" not in page.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "words"), [("ru", "Дата по: Период начинается позже, чем заканчивается."),
                                             ("kk", "Күнге дейін: Кезең аяқталғаннан кейін басталады.")])
def test_refused_report_batch_names_the_field_and_the_reason(client, login, region_a, lang, words):
    """Does a report batch with its period backwards say which field and why in the UI language, not
    `date_to: ['The period ends before it starts.']`?"""
    login("supervisor")
    response = client.post(f"/audits/batch?lang={lang}", follow_redirects=True,
                           data={"region": region_a.kato, "date_from": "2031-03-10", "date_to": "2031-03-01",
                                 "lang": "ru"})
    page = response.get_data(as_text=True)
    assert words in page and "date_to:" not in page and "The period" not in page

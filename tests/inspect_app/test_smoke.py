"""Does the app start, sign people in, and keep every test's writes to itself?"""

import pytest
import sqlalchemy as sa

from inspect_app.models import Facility
from tests.factories import FacilityFactory


def test_login_page_renders_in_russian_by_default(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert "Вход в Тексеру" in response.get_data(as_text=True)


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_supervisor_signs_in_and_sees_counts(client, login, region_a, db_session):
    FacilityFactory.create_batch(3, region=region_a)
    login("supervisor")
    page = client.get("/").get_data(as_text=True)
    assert ">3<" in page


@pytest.mark.parametrize("run", ["first", "second"])
def test_commits_in_one_test_are_rolled_back_for_the_next(db_session, region_a, run):
    """Whichever of the two runs comes second, does it find nothing the other one committed?"""
    assert db_session.scalar(sa.select(sa.func.count(Facility.id)).where(Facility.name_ru == "Откат")) == 0
    FacilityFactory(region=region_a, name_ru="Откат")
    db_session.commit()
    assert db_session.scalar(sa.select(sa.func.count(Facility.id)).where(Facility.name_ru == "Откат")) == 1


def test_search_ignores_case_of_cyrillic_letters(client, login, region_a, db_session):
    """Does searching «балапан» find «Балапан» (SQLite's lower() only knows ASCII)?"""
    FacilityFactory(region=region_a, name_ru="Детский сад «Балапан»")
    db_session.commit()
    login("supervisor")
    page = client.get("/facilities/?q=балапан").get_data(as_text=True)
    assert "Балапан" in page

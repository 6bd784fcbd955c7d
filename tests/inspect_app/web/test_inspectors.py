"""Can a supervisor list, read, add, edit and archive inspectors through the pages?"""

import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import Inspector
from tests.factories import FacilityFactory, InspectorFactory


def inspector_form(region, **overrides):
    """What a supervisor types into the inspector form."""
    data = {
        "full_name": "Ахметова Айгерим", "username": "", "agency": "health", "region_katos": [region.kato],
        "skills": ["safety", "health"], "home_address": "ул. Абая, 5", "home_lat": "43.25", "home_lon": "76.95",
        "max_visits_per_day": "5", "max_minutes_per_day": "480", "day_start": "09:00", "day_end": "18:00",
        "absences": "2026-07-01..2026-07-14 отпуск", "conflict_bins": "",
    }
    data.update(overrides)
    return data


def test_list_filters_by_skill_and_name(client, login, region_a):
    InspectorFactory(full_name="Сапаров Ерлан", skills=["nutrition"], regions=[region_a])
    InspectorFactory(full_name="Иванова Мария", skills=["safety"], regions=[region_a])
    login("supervisor")
    page = client.get("/inspectors/?skill=nutrition").get_data(as_text=True)
    assert "Сапаров" in page and "Иванова" not in page
    page = client.get("/inspectors/?q=Иванова").get_data(as_text=True)
    assert "Иванова" in page and "Сапаров" not in page


def test_create_with_absences_and_conflicts_then_show(client, login, region_a):
    facility = FacilityFactory(region=region_a)
    login("supervisor")
    response = client.post("/inspectors/new", data=inspector_form(region_a, conflict_bins=facility.bin))
    assert response.status_code == 302, response.get_data(as_text=True)
    inspector = db.session.scalar(sa.select(Inspector).where(Inspector.full_name == "Ахметова Айгерим"))
    assert [(a.start_date.isoformat(), a.reason) for a in inspector.absences] == [("2026-07-01", "отпуск")]
    page = client.get(f"/inspectors/{inspector.id}").get_data(as_text=True)
    assert facility.bin in page and "отпуск" in page and 'id="map"' in page


def test_bad_absence_line_is_shown_beside_absences_and_input_kept(client, login, region_a):
    login("supervisor")
    response = client.post("/inspectors/new", data=inspector_form(region_a, absences="завтра..послезавтра"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="absences-error"' in page and "завтра..послезавтра" in page
    assert db.session.scalar(sa.select(sa.func.count(Inspector.id))) == 0


def test_supervisor_may_not_assign_another_region(client, login, region_a, region_b):
    login("supervisor")
    response = client.post("/inspectors/new", data=inspector_form(region_a, region_katos=[region_b.kato]))
    assert response.status_code == 403
    assert 'id="region_katos-error"' in response.get_data(as_text=True)


def test_edit_and_archive(client, login, region_a):
    inspector = InspectorFactory(full_name="Старое Имя", regions=[region_a])
    login("supervisor")
    form = client.get(f"/inspectors/{inspector.id}/edit").get_data(as_text=True)
    assert 'value="Старое Имя"' in form
    response = client.post(f"/inspectors/{inspector.id}/edit", data=inspector_form(region_a, full_name="Новое Имя"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.post(f"/inspectors/{inspector.id}/archive").status_code == 302
    db.session.expire_all()
    inspector = db.session.get(Inspector, inspector.id)
    assert inspector.full_name == "Новое Имя" and inspector.archived_at is not None

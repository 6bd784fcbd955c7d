"""The review page's fairness table: the engine's visit rates by group, and warnings a supervisor understands."""

import random

import pytest

from inspect_app.extensions import db
from tests.factories import FacilityFactory, InspectorFactory
from tests.inspect_app.services.schedules.conftest import START
from tests.inspect_app.services.schedules.helpers import build

NO_CAUSE = {"ru": "Причина не найдена", "kk": "Себебі табылмады", "en": "No cause found"}
KINDERGARTENS = {"ru": "«Детский сад» (тип объекта, приоритет 1): посещено 20% обязательных объектов, у «Школа» 90%.",
                 "kk": "(объект түрі, басымдық 1): міндетті объектілердің 20% барылды",
                 "en": "(facility type, priority 1): 20% of due facilities visited, against 90% for"}


def _shortage(region):
    """Kindergartens (every skill) and schools (safety and nutrition) near Almaty, more than three inspectors can
    visit in a day; one inspector holds every skill, two lack health."""
    rng = random.Random(3)
    for k in range(30):
        FacilityFactory(region=region, lat=43.25 + rng.uniform(-0.03, 0.03), lon=76.95 + rng.uniform(-0.04, 0.04),
                        type="kindergarten" if k % 2 else "school", risk="medium", children_count=200,
                        last_inspection_date=None)
    for k, skills in enumerate((["safety", "nutrition", "health"], ["safety", "nutrition"], ["safety", "nutrition"])):
        InspectorFactory(regions=[region], home_lat=43.25 + 0.01 * k, home_lon=76.95, skills=skills,
                         max_visits_per_day=4)
    db.session.flush()


def test_review_page_shows_the_fairness_table(client, login, users, region_a):
    """After a build, does the page show the engine's rates by skills, length, hours, distance and type, naming
    the groups in words (skills and types by name)?"""
    _shortage(region_a)
    _, (schedule,) = build(users["supervisor"], region_a, days=1)
    fair = schedule.stats["fairness"]
    kinds = {r["key"]: r for r in fair["axes"]["kind"]}
    assert kinds["kindergarten"]["due"] == 15 and kinds["school"]["due"] == 15
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    assert 'id="fairness"' in page and "Справедливость графика" in page
    for words in ("Нужные навыки", "Длительность проверки", "Часы работы", "До ближайшего инспектора",
                  "Тип объекта", "Безопасность, Питание, Здоровье", "Детский сад"):
        assert words in page
    rate = round(100 * kinds["kindergarten"]["rate"])
    assert f"{kinds['kindergarten']['visited']:g} ({rate}%)" in page


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_review_page_warns_in_words_when_a_group_waits_without_a_cause(client, login, users, region_a, lang):
    """When the engine finds a group far below the others with no cause it can name, does the page say so in the
    UI language, with the rates and the priority, and no engine codes?"""
    _shortage(region_a)
    _, (schedule,) = build(users["supervisor"], region_a, days=1)
    stats = dict(schedule.stats)
    stats["fairness"] = dict(stats["fairness"], below=[
        {"class": 1, "axis": "kind", "group": "kindergarten", "due": 15, "rate": 0.2, "best_group": "school",
         "best_rate": 0.9, "ratio": 0.222, "reason": None}])
    schedule.stats = stats
    db.session.flush()
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}?lang={lang}").get_data(as_text=True)
    assert KINDERGARTENS[lang] in page and NO_CAUSE[lang] in page
    assert 'class="flash flash-error" data-fairness-group="kind:kindergarten"' in page
    for code in ("kindergarten<", "scarce_skills", "None"):
        assert code not in page


def test_a_cause_the_engine_names_is_said_without_alarm(client, login, users, region_a):
    """A group that waits because only a few inspectors hold its skills: is the reason given as a sentence, and
    the line not marked as a warning?"""
    _shortage(region_a)
    _, (schedule,) = build(users["supervisor"], region_a, days=1, start=START)
    stats = dict(schedule.stats)
    stats["fairness"] = dict(stats["fairness"], below=[
        {"class": 1, "axis": "skills", "group": "health+nutrition+safety", "due": 15, "rate": 0.2,
         "best_group": "nutrition+safety", "best_rate": 0.9, "ratio": 0.222, "reason": "scarce_skills",
         "inspectors": 1}])
    schedule.stats = stats
    db.session.flush()
    login("supervisor")
    page = client.get(f"/schedules/{schedule.id}").get_data(as_text=True)
    assert "инспекторов с нужными навыками всего 1, и их дни заняты" in page
    assert 'class="flash" data-fairness-group="skills:health+nutrition+safety"' in page

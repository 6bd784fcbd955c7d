"""Does a job's page (and its progress JSON) name the job and what it is doing in words, never by code?"""

import pytest

from inspect_app.extensions import db
from inspect_app.models import Job

PHASES = {
    "ru": [("solving (routing, repair)", "расчёт (построение маршрутов, доработка маршрутов)"),
           ("750000000: routing", "г. Алматы: построение маршрутов"),
           ("building problem", "сбор данных для графика"),
           ("solving area 2/5", "расчёт: участок 2 из 5")],
    "kk": [("solving (routing, repair)", "есептеу (маршруттарды құру, маршруттарды пысықтау)"),
           ("750000000: routing", "Алматы қ.: маршруттарды құру"),
           ("building problem", "кестеге деректер жинау"),
           ("solving area 2/5", "есептеу: 5 учаскенің 2-сі")],
}
KINDS = {"ru": "Построение графика", "kk": "Кесте құру"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("case", range(4))
def test_job_phase_and_kind_are_words(client, login, users, region_b, lang, case):
    """Is "solving (routing)" shown as the phase's name, with the region by name, on the page and in the JSON?"""
    code, words = PHASES[lang][case]
    job = Job(id=f"{case:032d}", kind="schedule_build", status="running", phase=code, progress=0.5,
              user_id=users["supervisor"].id)
    db.session.add(job)
    db.session.flush()
    login("supervisor")
    status = client.get(f"/jobs/{job.id}.json?lang={lang}").get_json()
    assert status["phase"] == words and status["kind"] == KINDS[lang]
    assert status["phase_code"] == code and status["kind_code"] == "schedule_build"
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert words in page and KINDS[lang] in page
    assert code not in page and "schedule_build" not in page

"""Do admins and a region's supervisors upload, check, compare, preview, activate and download checklist
versions in the browser, with every refusal naming the line and field and storing nothing?"""

import datetime as dt
import html
import io

import pytest
import sqlalchemy as sa
import yaml

import forms
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.models import AdminEvent, ChecklistTemplate
from inspect_app.services import checklists
from tests.factories import FacilityFactory
from tests.inspect_app.auth.test_sessions_and_throttling import _fresh as fresh

ORDER_2 = {"ru": "Приказ № 2", "kk": "№ 2 бұйрық", "en": "Order No. 2"}  # a legal reference in ru, kk, en

REGIONAL = """\
code: region_190000000
version: 1
extends: {code: national, version: 1}
title: {ru: "Проверочный лист: Алматинская область", kk: "Тексеру парағы: Алматы облысы", en: "Almaty region"}
sections:
  - code: safety
    items:
      - code: safety.mudflow_plan
        kind: yes_no
        severity: major
        legal_ref:
          ru: "Закон РК «О гражданской защите»"
          kk: "«Азаматтық қорғау туралы» ҚР Заңы"
          en: "Law of the RK «On Civil Protection»"
        text:
          ru: "Есть план эвакуации при селе"
          kk: "Сел кезіндегі эвакуация жоспары бар"
          en: "There is a mudflow evacuation plan"
        corrective_action:
          ru: "Разработать план эвакуации при селе"
          kk: "Сел кезіндегі эвакуация жоспарын әзірлеу"
          en: "Draw up a mudflow evacuation plan"
"""


@pytest.fixture
def loaded(db_session):
    checklists.ensure_templates(db.session)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistTemplate))


def _upload(client, text, name="template.yaml"):
    return client.post("/checklists/upload", data={"file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def _national_with_refs() -> dict:
    data = yaml.safe_load((forms.model.TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8"))
    for section in data["sections"]:
        for item in section["items"]:
            item.setdefault("legal_ref", {"ru": "Приказ № 1", "kk": "№ 1 бұйрық", "en": "Order No. 1"})
    return data


def test_a_supervisor_uploads_and_activates_their_regions_extension(client, login, users, region_a, loaded):
    """Is the upload a draft (new audits keep the national version) until activated, then used for the region?"""
    login("supervisor")
    response = _upload(client, REGIONAL)
    assert response.status_code == 302
    row = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == "region_190000000"))
    assert row.draft and row.yaml_text == REGIONAL
    facility = FacilityFactory(region=region_a)
    assert checklists.template_for_facility(db.session, facility).code == "national"
    page = client.get(f"/checklists/{row.id}").get_data(as_text=True)
    assert "safety.mudflow_plan" in page and "Добавлен" in page
    assert client.post(f"/checklists/{row.id}/activate",
                       data={"active_from": today_almaty().isoformat()}).status_code == 302
    assert checklists.template_for_facility(db.session, facility).id == row.id
    assert "safety.mudflow_plan" in checklists.parsed(row).items_by_code  # merged onto the national items
    assert "safety.video_working" in checklists.parsed(row).items_by_code
    actions = db.session.scalars(sa.select(AdminEvent.action).order_by(AdminEvent.id)).all()
    assert actions == ["checklist_uploaded", "checklist_activated"]


@pytest.mark.parametrize("change, line, field", [
    (("        severity: major\n", "        severity: grave\n"), 10, "severity"),
    (('          kk: "Сел кезіндегі эвакуация жоспары бар"\n', ""), 15, "text"),
    (('          kk: "«Азаматтық қорғау туралы» ҚР Заңы"\n', ""), 11, "legal_ref"),
    (("version: 1\n", "version: [1\n"), None, "yaml"),
])
def test_a_template_with_errors_is_refused_naming_line_and_field(client, login, users, loaded, change, line, field):
    """Is a wrong severity, a missing Kazakh text, a missing legal reference or broken YAML refused with the
    line and the field, nothing stored?"""
    login("admin")
    before = _count()
    response = _upload(client, REGIONAL.replace(*change, 1))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and f"поле {field}" in page
    if line:
        assert f"строка {line}" in page
    assert _count() == before


def test_a_supervisor_may_not_change_the_national_checklist_or_another_regions(client, login, users, loaded):
    """Are the national template and region B's extension refused to region A's supervisor, nothing stored?"""
    login("supervisor")
    before = _count()
    national = yaml.safe_dump(_national_with_refs(), allow_unicode=True, sort_keys=False)
    assert _upload(client, national).status_code == 403
    assert _upload(client, REGIONAL.replace("region_190000000", "region_750000000")).status_code == 403
    assert _count() == before


def test_the_diff_names_added_removed_reworded_and_severity_changes(client, login, users, loaded):
    """Does a new national version show each item added, removed, reworded and with its severity changed?"""
    data = _national_with_refs()
    items = data["sections"][0]["items"]
    items[0]["text"]["ru"] = "Видеонаблюдение работает круглосуточно"
    items[1]["severity"] = "minor" if items[1]["severity"] != "minor" else "major"
    removed = items.pop(2)["code"]
    items.append({"code": "safety.panic_app", "kind": "yes_no", "severity": "minor", "legal_ref": ORDER_2,
                  "text": {"ru": "Установлено приложение тревожной кнопки",
                           "kk": "Дабыл батырмасы қосымшасы орнатылған", "en": "A panic button app is installed"},
                  "corrective_action": {"ru": "Установить", "kk": "Орнату", "en": "Install"}})
    fresh(client.post)("/auth/logout")
    fresh(login)("admin")
    response = fresh(_upload)(client, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "national.yaml")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    row = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.draft.is_(True)))
    page = client.get(f"/checklists/{row.id}?lang=kk").get_data(as_text=True)
    for kind in ("change-added", "change-removed", "change-reworded", "change-severity"):
        assert kind in page
    assert removed in page and "safety.panic_app" in page


def test_activation_from_a_later_date_and_refusals(client, login, users, loaded):
    """Is a past date refused beside the field, a later one scheduled without changing what is in force now?"""
    login("supervisor")
    _upload(client, REGIONAL)
    row = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == "region_190000000"))
    past = client.post(f"/checklists/{row.id}/activate",
                       data={"active_from": (today_almaty() - dt.timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and 'id="active_from-error"' in past.get_data(as_text=True)
    assert db.session.get(ChecklistTemplate, row.id).draft
    later = (today_almaty() + dt.timedelta(days=10)).isoformat()
    assert client.post(f"/checklists/{row.id}/activate", data={"active_from": later}).status_code == 302
    assert checklists.latest_template(db.session, "region_190000000") is None
    assert "Вступит в действие" in client.get("/checklists/").get_data(as_text=True)
    again = client.post(f"/checklists/{row.id}/activate", data={"active_from": later})
    assert again.status_code == 422


def test_any_version_downloads_as_yaml_and_previews(client, login, users, loaded):
    """Does a loaded version download as YAML that parses to the same checklist, and preview on a phone and as PDF?"""
    login("admin")
    national = checklists.latest_template(db.session, "national")
    response = client.get(f"/checklists/{national.id}.yaml")
    assert response.status_code == 200
    assert forms.template_from_dict(yaml.safe_load(response.data)).checksum == national.checksum
    phone = client.get(f"/checklists/{national.id}/preview?type=kindergarten&lang=kk").get_data(as_text=True)
    first = checklists.parsed(national).sections[0].items[0]
    assert first.text.kk in phone and "phone-preview" in phone
    pdf = client.get(f"/checklists/{national.id}/preview.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_inspectors_and_the_ministry_have_no_checklists_page(client, login, users, loaded):
    """Is the page refused to an inspector and a ministry analyst?"""
    login("inspector")
    assert client.get("/checklists/").status_code == 403


def test_activating_a_national_version_carries_every_regional_extension_over(client, login, users, region_a,
                                                                             loaded):
    """When the ministry activates a new national version, do a region's audits get it with the region's own items,
    each carried-over extension recorded and downloadable as an extension of the new version?"""
    login("supervisor")
    _upload(client, REGIONAL)
    regional = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.code == "region_190000000"))
    client.post(f"/checklists/{regional.id}/activate", data={"active_from": today_almaty().isoformat()})
    data = _national_with_refs()
    data["version"] = 2
    data["sections"][0]["items"].append(
        {"code": "safety.panic_app", "kind": "yes_no", "severity": "major", "legal_ref": ORDER_2,
         "text": {"ru": "Установлено приложение тревожной кнопки", "kk": "Дабыл батырмасы қосымшасы орнатылған",
                  "en": "A panic button app is installed"},
         "corrective_action": {"ru": "Установить", "kk": "Орнату", "en": "Install"}})
    fresh(client.post)("/auth/logout")
    fresh(login)("admin")
    response = fresh(_upload)(client, yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "national.yaml")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    national = db.session.scalar(sa.select(ChecklistTemplate).where(ChecklistTemplate.draft.is_(True)))
    assert client.post(f"/checklists/{national.id}/activate",
                       data={"active_from": today_almaty().isoformat()}).status_code == 302

    in_force = checklists.template_for_facility(db.session, FacilityFactory(region=region_a))
    assert in_force.code == "region_190000000" and in_force.id != regional.id
    items = checklists.parsed(in_force).items_by_code
    assert "safety.panic_app" in items and "safety.mudflow_plan" in items
    rebased = db.session.scalars(sa.select(AdminEvent).where(AdminEvent.action == "checklist_rebased")).all()
    assert sorted(e.details["code"] for e in rebased) == ["region_190000000", "region_750000000"]
    extension = yaml.safe_load(client.get(f"/checklists/{in_force.id}.yaml").data)
    assert extension["extends"] == {"code": "national", "version": 2}
    assert [i["code"] for s in extension["sections"] for i in s["items"]] == ["safety.mudflow_plan"]
    assert "перенесено на новую национальную версию" in client.get("/users/history").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "said"), [
    ("ru", "степень нарушения «grave» недопустима; допустимы: critical, major, minor"),
    ("kk", "«grave» бұзушылық дәрежесіне рұқсат жоқ; рұқсат етілгені: critical, major, minor"),
    ("en", "severity “grave” is not allowed; allowed: critical, major, minor"),
])
def test_an_upload_problem_is_said_in_the_readers_language(client, login, users, loaded, lang, said):
    """Is the fault of a refused upload worded in the page's language, after its line and field?"""
    login("admin")
    client.get(f"/checklists/upload?lang={lang}")
    response = _upload(client, REGIONAL.replace("severity: major", "severity: grave", 1))
    assert response.status_code == 422
    assert said in html.unescape(response.get_data(as_text=True))


def test_a_russian_only_legal_reference_is_refused_in_kazakh(client, login, users, loaded):
    """Is an item whose legal reference is one Russian string refused, the Kazakh page saying what it needs?"""
    login("admin")
    client.get("/checklists/upload?lang=kk")
    text = REGIONAL.replace('          kk: "«Азаматтық қорғау туралы» ҚР Заңы"\n', "").replace(
        '          en: "Law of the RK «On Civil Protection»"\n', "").replace(
        'legal_ref:\n          ru: "Закон РК «О гражданской защите»"', 'legal_ref: "Закон РК «О гражданской защите»"')
    response = _upload(client, text)
    assert response.status_code == 422
    assert "safety.mudflow_plan тармағының нормаға сілтемесі бір ғана жолмен берілген" in html.unescape(
        response.get_data(as_text=True))

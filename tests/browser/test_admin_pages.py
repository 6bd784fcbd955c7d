"""Does an admin manage accounts and tokens in a real browser, in Russian and Kazakh, at desktop and phone width?

Screenshots go to $SHOTS_DIR when set (for a person to look at), else to the test's temporary folder.
"""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, reach_only_the_server, served_app
from tests.served import sign_in

ORDER_2 = {"ru": "Приказ № 2", "kk": "№ 2 бұйрық", "en": "Order No. 2"}  # a legal reference in ru, kk, en

PASSWORD = "browser-pass-1"


def _seed():
    from inspect_app.extensions import db
    from inspect_app.services import checklists
    from inspect_app.services.users import create_user, issue_token
    from tests.factories import almaty_region

    almaty_region(db.session)
    checklists.ensure_templates(db.session)
    admin = create_user(db.session, "admin", PASSWORD, "admin", full_name="Администратор")
    create_user(db.session, "supervisor", PASSWORD, "supervisor", region_kato="190000000",
                full_name="Руководитель Алматинской области", actor=admin)
    for n, name in enumerate(("Айгерим Нурова", "Данияр Сейткали", "Ольга Ким"), start=1):
        user = create_user(db.session, f"inspector{n}", PASSWORD, "inspector", region_kato="190000000",
                           full_name=name, actor=admin)
        if n == 2:
            issue_token(db.session, user, "телефон", 30, actor=user)
    create_user(db.session, "analyst", PASSWORD, "ministry", full_name="Аналитик министерства", actor=admin)


@pytest.fixture(scope="module")
def admin_server():
    with served_app(_seed) as url:
        yield url


@pytest.mark.parametrize("lang, words", [("ru", ("Пользователи", "Последний вход", "Токены API")),
                                         ("kk", ("Пайдаланушылар", "Соңғы кіру", "API токендері"))])
@pytest.mark.parametrize("width", [1280, 390])
def test_users_and_token_pages(chromium_path, admin_server, tmp_path, lang, words, width):
    """Does an admin see the users page and create a token shown once, in this language, at this width,
    without the page overflowing sideways?"""
    from playwright.sync_api import expect, sync_playwright

    shots = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": 900})
        reach_only_the_server(context, ("data:",))
        page = context.new_page()
        try:
            sign_in(page, admin_server, "admin", PASSWORD, lang)
            page.goto(f"{admin_server}/users/")
            assert page.locator("h1").inner_text() == words[0]
            assert page.locator("table").inner_text().count("inspector") == 3
            assert words[1] in page.content()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"users-{lang}-{width}.png"), full_page=True)
            page.goto(f"{admin_server}/account/tokens")
            page.fill("#name", "выгрузка")
            page.fill("#days", "90")
            page.click("form[action$='/account/tokens'] button[type=submit]")
            token = page.locator("#new-token").inner_text()
            assert token.startswith("tks_")
            assert words[2] in page.locator("h1").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"tokens-{lang}-{width}.png"), full_page=True)
            page.reload()
            assert token not in page.content()  # shown once
            user_id = page.evaluate("fetch('/users/?q=inspector2').then(r => r.text())")
            assert "inspector2" in user_id
            page.goto(f"{admin_server}/users/?q=inspector2")
            with page.expect_navigation():
                page.click("text=inspector2")
            expect(page.locator("main")).to_contain_text("телефон")
            page.screenshot(path=str(shots / f"user-{lang}-{width}.png"), full_page=True)
        finally:
            context.close()
            browser.close()


@pytest.mark.parametrize("lang, heading", [("ru", "Изменения относительно действующей версии v1"),
                                           ("kk", "Күшіндегі v1 нұсқасымен салыстырғандағы өзгерістер")])
def test_checklist_upload_and_diff(chromium_path, admin_server, tmp_path, lang, heading):
    """Does an admin upload a new national checklist and see its diff (added, removed, reworded, severity)
    against the version in force, in this language?"""
    import yaml
    from playwright.sync_api import expect, sync_playwright

    import forms

    data = yaml.safe_load((forms.model.TEMPLATES_DIR / "national.yaml").read_text(encoding="utf-8"))
    for section in data["sections"]:
        for item in section["items"]:
            item.setdefault("legal_ref", {"ru": "Приказ № 1", "kk": "№ 1 бұйрық", "en": "Order No. 1"})
    items = data["sections"][0]["items"]
    items[0]["text"]["ru"] = "Видеонаблюдение работает круглосуточно, запись хранится 30 дней"
    items[0]["text"]["kk"] = "Бейнебақылау тәулік бойы жұмыс істейді, жазба 30 күн сақталады"
    items[1]["severity"] = "minor"
    items.pop(2)
    items.append({"code": "safety.panic_app", "kind": "yes_no", "severity": "major", "legal_ref": ORDER_2,
                  "text": {"ru": "У охраны установлено приложение тревожной кнопки",
                           "kk": "Күзетте дабыл батырмасының қосымшасы орнатылған",
                           "en": "Guards have the panic button app"},
                  "corrective_action": {"ru": "Установить приложение", "kk": "Қосымшаны орнату", "en": "Install it"}})
    data["sections"][0]["items"] = items
    upload = tmp_path / f"national-{lang}.yaml"
    upload.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).replace(
        "version: 1", f"version: {2 if lang == 'ru' else 3}", 1), encoding="utf-8")
    shots = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        reach_only_the_server(context, ("data:",))
        page = context.new_page()
        try:
            sign_in(page, admin_server, "admin", PASSWORD, lang)
            page.goto(f"{admin_server}/checklists/upload")
            page.set_input_files("#file", str(upload))
            with page.expect_navigation():
                page.click("form[enctype] button[type=submit]")
            expect(page.locator("main")).to_contain_text(heading)
            for kind in ("added", "removed", "reworded", "severity"):
                assert page.locator(f"tr.change-{kind}").count() >= 1
            page.screenshot(path=str(shots / f"checklist-diff-{lang}.png"), full_page=True)
        finally:
            context.close()
            browser.close()

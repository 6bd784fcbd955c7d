"""On a 390 px phone: does the supervisor's prescription page (with the facility's link and QR code just issued)
and the facility's own page behind that link fit without scrolling sideways, and does the head's report through
the page reach the supervisor?

Its own live server: a kindergarten with a very long name whose audit failed several items. Screenshots go to
SHOTS_DIR when it is set (to look at them)."""

import datetime as dt
import io
import os
import uuid
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM_ARGS
from tests.served import dispose, make_app, own_database, serve, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "supervisor-pass-1"
LONG_NAME = ("Коммунальное государственное казённое предприятие «Ясли-сад № 17 «Айгөлек» отдела образования "
             "по Енбекшиказахскому району управления образования Алматинской области»")


def _seed(app) -> dict:
    from inspect_app.extensions import db
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Prescription
    from inspect_app.services import audits, checklists
    from inspect_app.services.audits import drafts
    from inspect_app.services.users import create_user
    from tests.answers import act_fields
    from tests.factories import FacilityFactory, almaty_region
    from tests.inspect_app.services.audits.conftest import answers_for

    with app.app_context():
        region = almaty_region(db.session)
        checklists.ensure_templates(db.session)
        user = create_user(db.session, "supervisor", PASSWORD, "supervisor", region_kato="190000000",
                           full_name="Руководитель Омарова Д. К.")
        facility = FacilityFactory(region=region, type="kindergarten", name_ru=LONG_NAME)
        template = checklists.parsed(checklists.latest_template(db.session, "national"))
        failing = [item.code for _, item in template.items_by_code.values()
                   if not item.photo_required_on_fail and item.kind == "yes_no"][:4]
        audit, _ = drafts.create_draft(db.session, user, {
            "client_uuid": uuid.uuid4(), "facility_id": facility.id, "legal_basis": "planned",
            "inspection_date": today_almaty() - dt.timedelta(days=12),
            "representatives": ["Заведующая Байжанова-Кенжебекова Гульнар Тулегеновна"]})
        audits.submit(db.session, user, audit, {"client_uuid": uuid.uuid4(),
                                                 "answers": answers_for(template, facility.type, failing),
                                                 **act_fields()})
        prescription = db.session.query(Prescription).filter_by(audit_id=audit.id).one()
        ids = {"prescription": prescription.id, "item": prescription.items[0].id, "audit": audit.id,
               "failing": failing}
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on 127.0.0.1 over its own database with the prescription; yields (base URL, ids)."""
    with own_database("presc") as database_url:
        app = make_app(database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")), WTF_CSRF_ENABLED=True)
        ids = _seed(app)
        try:
            with serve(app) as url:
                yield url, ids, app
        finally:
            dispose(app)


def _shot(page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _jpeg(path: Path) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def test_prescription_and_facility_pages_on_a_phone(chromium_path, server, tmp_path):
    """Do both pages fit 390 px, does the link open the facility's page in Kazakh, and does a report with a
    photo sent from it show on the supervisor's page as reported, with the photo?"""
    from playwright.sync_api import sync_playwright

    base, ids, _app = server
    widths = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            staff = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                        locale="ru-RU")
            page = staff.new_page()
            sign_in(page, base, "supervisor", PASSWORD)
            page.goto(f"{base}/prescriptions/{ids['prescription']}")
            page.click("#facility-link button[type=submit]")
            page.wait_for_selector("#link-url")
            link = page.input_value("#link-url")
            assert page.locator("#facility-link img").evaluate("img => img.naturalWidth") > 0
            widths["prescription"] = page.evaluate("document.documentElement.scrollWidth")
            _shot(page, "prescription-390.png")

            facility = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                           locale="kk-KZ")
            head = facility.new_page()
            head.goto(link.replace("http://127.0.0.1:5000", base) + "?lang=kk")
            assert "НҰСҚАМА" in head.inner_text("h1").upper()
            widths["facility"] = head.evaluate("document.documentElement.scrollWidth")
            _shot(head, "facility-link-390-kk.png")
            item = f"#item-{ids['item']}"
            head.fill(f"{item} textarea[name=note]", "Құлып ауыстырылды")
            head.set_input_files(f"{item} input[type=file]", str(_jpeg(tmp_path / "fixed.jpg")))
            head.click(f"{item} button[type=submit]")
            head.wait_for_load_state("load")
            assert head.locator("h1").inner_text() == "Хабарлама қабылданды"
            with head.expect_navigation():
                head.click("a.button")  # back to the prescription: the photo sent, shown through the link
            # The thumbnail is fetched after the page loads: wait until it is decoded before reading its size.
            head.wait_for_function("sel => { const img = document.querySelector(sel); "
                                   "return img && img.complete && img.naturalWidth > 0; }",
                                   arg=f"{item} .thumbs img", timeout=30_000)
            assert head.locator(f"{item} .thumbs img").evaluate("img => img.naturalWidth") > 0
            widths["facility with photos kk"] = head.evaluate("document.documentElement.scrollWidth")
            _shot(head, "facility-link-photos-390-kk.png")
            head.goto(link.replace("http://127.0.0.1:5000", base) + "?lang=ru")
            # The thumbnail is fetched after the page loads: wait until it is decoded before reading its size.
            head.wait_for_function("sel => { const img = document.querySelector(sel); "
                                   "return img && img.complete && img.naturalWidth > 0; }",
                                   arg=f"{item} .thumbs img", timeout=30_000)
            assert head.locator(f"{item} .thumbs img").evaluate("img => img.naturalWidth") > 0
            _shot(head, "facility-link-photos-390-ru.png")
            facility.close()
            ids["link"] = link.replace("http://127.0.0.1:5000", base)

            page.goto(f"{base}/prescriptions/{ids['prescription']}")
            card = page.locator(f"#item-{ids['item']}")
            assert "Құлып ауыстырылды" in card.inner_text()
            assert card.locator(".thumbs img").evaluate("img => img.naturalWidth") > 0
            widths["prescription reported"] = page.evaluate("document.documentElement.scrollWidth")
            _shot(page, "prescription-reported-390.png")
            staff.close()
        finally:
            browser.close()
    too_wide = {name: width for name, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, too_wide


def _correct(app, audit_id: int, failing: list[str]) -> None:
    """The supervisor corrects the act (a reason, one item fewer failed) and submits the correction."""
    from inspect_app.extensions import db
    from inspect_app.models import Audit, User
    from inspect_app.services import audits, checklists
    from inspect_app.services.audits.corrections import create_correction
    from tests.answers import act_fields
    from tests.inspect_app.services.audits.conftest import answers_for

    with app.app_context():
        user = db.session.query(User).filter_by(username="supervisor").one()
        audit = db.session.get(Audit, audit_id)
        draft, _ = create_correction(db.session, user, audit, {
            "client_uuid": uuid.uuid4(), "reason": "Пункт 3 отмечен ошибочно: нарушение не подтвердилось"})
        template = checklists.parsed(draft.template)
        audits.submit(db.session, user, draft, {"client_uuid": uuid.uuid4(),
                                                "answers": answers_for(template, draft.facility.type, failing),
                                                **act_fields()})
        db.session.remove()


def test_a_replaced_prescription_on_the_facilitys_phone(chromium_path, server):
    """After the act is corrected, does the facility's same link show the prescription in force with the act
    version and its reason, and the replaced one saying so, in ru and kk, within 390 px?"""
    from playwright.sync_api import sync_playwright

    base, ids, app = server
    link = ids.get("link")
    if link is None:
        pytest.skip("needs the link issued by test_prescription_and_facility_pages_on_a_phone")
    _correct(app, ids["audit"], ids["failing"][1:])
    widths = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for lang, locale in (("ru", "ru-RU"), ("kk", "kk-KZ")):
                context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                              has_touch=True, locale=locale)
                head = context.new_page()
                head.goto(f"{link}?lang={lang}")
                assert head.locator("#replaces a").count() == 1
                assert "нарушение не подтвердилось" in head.inner_text("#act-in-force")
                widths[f"in force {lang}"] = head.evaluate("document.documentElement.scrollWidth")
                _shot(head, f"facility-link-in-force-390-{lang}.png")
                head.click("#replaces a")
                head.wait_for_selector("#replaced")
                assert head.locator("form textarea").count() == 0
                widths[f"replaced {lang}"] = head.evaluate("document.documentElement.scrollWidth")
                _shot(head, f"facility-link-replaced-390-{lang}.png")
                head.click("#replaced a.button")
                assert head.locator("#replaces").count() == 1
                context.close()
        finally:
            browser.close()
    too_wide = {name: width for name, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, too_wide

"""Does every page of the inspector's scope fit a 390 px phone without scrolling sideways?

Its own live server (the shared one has no inspector): an inspector with a published route for today, a
submitted audit with many violations at a facility with a very long name and address, and an open draft.
"""

import datetime as dt
import uuid

import pytest

from tests.answers import act_fields
from tests.browser.conftest import CHROMIUM_ARGS
from tests.served import dispose, make_app, own_database, serve, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_NAME = ("Коммунальное государственное казённое предприятие «Ясли-сад № 17 «Айгөлек» отдела образования "
             "по Енбекшиказахскому району управления образования Алматинской области»")
LONG_ADDRESS = ("Алматинская область, Енбекшиказахский район, Малыбайский сельский округ, село Малыбай, "
                "микрорайон Жетысу-2, улица Бауыржана Момышулы, дом 143А, корпус 2, вход со двора")
PASSWORD = "inspector-pass-1"


def _seed(app) -> dict[str, int]:
    from inspect_app.extensions import db
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Schedule, ScheduleVisit
    from inspect_app.services import audits, checklists
    from inspect_app.services.audits import drafts
    from inspect_app.services.users import create_user
    from tests.factories import FacilityFactory, InspectorFactory, almaty_region
    from tests.inspect_app.services.audits.conftest import answers_for

    with app.app_context():
        region = almaty_region(db.session)
        checklists.ensure_templates(db.session)
        user = create_user(db.session, "inspector", PASSWORD, "inspector", region_kato="190000000",
                           full_name="Инспектор Сейткалиева-Жумабаева Айнагуль Серикбаевна")
        inspector = InspectorFactory(regions=[region], user=user, full_name=user.full_name)
        facility = FacilityFactory(region=region, type="kindergarten", name_ru=LONG_NAME, address=LONG_ADDRESS)
        other = FacilityFactory(region=region, type="school", name_ru=LONG_NAME.replace("Ясли-сад", "Школа"),
                                address=LONG_ADDRESS)
        today = today_almaty()
        schedule = Schedule(region=region, start_date=today, end_date=today + dt.timedelta(days=3), seed=1,
                            time_limit=1, status="published", problem={}, problem_sha256="0" * 64, schedule={},
                            commitment=uuid.uuid4().hex + uuid.uuid4().hex, published_at=dt.datetime.now(dt.UTC))
        db.session.add(schedule)
        for order, target in enumerate((facility, other)):
            db.session.add(ScheduleVisit(schedule=schedule, inspector=inspector, facility=target, date=today,
                                         start=f"{9 + 2 * order:02d}:00", end=f"{10 + 2 * order:02d}:30",
                                         order=order))
        db.session.commit()
        template = checklists.parsed(checklists.latest_template(db.session, "national"))
        failing = [item.code for _, item in template.items_by_code.values()
                   if not item.photo_required_on_fail and item.kind in ("yes_no", "number")][:12]
        audit, _ = drafts.create_draft(db.session, user, {
            "client_uuid": uuid.uuid4(), "facility_id": facility.id, "legal_basis": "planned",
            "representatives": ["Заведующая Байжанова-Кенжебекова Гульнар Тулегеновна"]})
        audits.submit(db.session, user, audit, {"client_uuid": uuid.uuid4(), **act_fields(),
                                                 "answers": answers_for(template, facility.type, failing)})
        draft, _ = drafts.create_draft(db.session, user, {"client_uuid": uuid.uuid4(), "facility_id": other.id,
                                                          "legal_basis": "planned"})
        ids = {"audit": audit.id, "draft": draft.id, "facility": facility.id}
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def inspector_server(tmp_path_factory):
    """The app on 127.0.0.1 over its own database, seeded for the inspector; yields (base URL, ids)."""
    with own_database("phone") as database_url:
        app = make_app(database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")))
        ids = _seed(app)
        try:
            with serve(app) as url:
                yield url, ids
        finally:
            dispose(app)


def test_no_page_of_the_inspector_scrolls_sideways_on_a_phone(chromium_path, inspector_server, tmp_path):
    """Is every inspector page at most 390 px wide on a 390x844 phone (the audit page was 769 px)?"""
    from playwright.sync_api import sync_playwright

    base, ids = inspector_server
    # /audits/new is closed to inspectors (they start from a stop of their route), so it is not theirs to see.
    pages = ["/", "/my/route", "/audits/",
             f"/audits/{ids['audit']}", f"/audits/{ids['draft']}", f"/audits/{ids['draft']}/fill"]
    widths = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                      locale="ru-RU")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("http://127.0.0.1:", "data:")) else route.abort())
        page = context.new_page()
        try:
            sign_in(page, base, "inspector", PASSWORD)
            for path in pages:
                response = page.goto(base + path)
                assert response.status == 200, (path, response.status)
                page.wait_for_load_state("load")
                widths[path] = page.evaluate("document.documentElement.scrollWidth")
                if widths[path] > PHONE["width"]:
                    name = (path.strip("/").replace("/", "_").replace("?", "_") or "index") + ".png"
                    page.screenshot(path=str(tmp_path / name), full_page=True)
        finally:
            context.close()
            browser.close()
    too_wide = {path: width for path, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, too_wide

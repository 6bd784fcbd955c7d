"""One phone, two inspectors (one browser profile): each one's offline work and kept pages stay theirs.

The first inspector leaves an answer unsent and signs out (warned, by the stop's name); the second signs in on
the same phone and finds none of it, online or offline; the first signs in again and the answer is sent. Kept
pages are served only until their day ends."""

import json

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, reach_only_the_server
from tests.served import PASSWORD, Server, dispose, make_app, own_database, seed_day, sign_in

pytestmark = pytest.mark.browser


def _second_inspector(app, ids) -> dict:
    """A second inspector of the region with one stop today in the same schedule."""
    from inspect_app.extensions import db
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Facility, Inspector, Region, Schedule, ScheduleVisit
    from inspect_app.services.users import create_user

    with app.app_context():
        region = db.session.scalar(sa.select(Region).where(Region.kato == "190000000"))
        user = create_user(db.session, "inspector2", PASSWORD, "inspector", region_kato="190000000",
                           full_name="Бекова Айгуль", commit=False)
        inspector = Inspector(full_name="Бекова Айгуль", agency="education", skills=["safety", "nutrition", "health"],
                              home_lat=43.24, home_lon=76.91, regions=[region], user=user)
        db.session.add(inspector)
        facility = Facility(bin="190540009999", name_ru="Детский сад «Айгөлек»", name_kk="«Айгөлек» балабақшасы",
                            type="kindergarten", agency="education", region=region,
                            address="г. Талгар, ул. Жибек жолы, 3", lat=43.27, lon=76.97, children_count=120,
                            risk="high", status="active")
        db.session.add(facility)
        schedule = db.session.get(Schedule, ids["schedule_id"])
        visit = ScheduleVisit(inspector=inspector, facility=facility, date=today_almaty(), start="09:00", end="10:30",
                              order=0)
        schedule.visits.append(visit)
        db.session.add_all([inspector, facility])
        db.session.commit()
        out = {"visit": visit.id}
        db.session.remove()
    return out


@pytest.fixture
def shared_phone(chromium_path):
    """A served day for two inspectors and one 390 px phone profile (no background sync: the pages send)."""
    from playwright.sync_api import sync_playwright

    with own_database() as url:
        app = make_app(url)
        ids = seed_day(app)
        ids["b"] = _second_inspector(app, ids)
        server = Server(app).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
                lat, lon = ids["today"][0][2:]
                context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True,
                                              geolocation={"latitude": lat + 0.0004, "longitude": lon, "accuracy": 15},
                                              permissions=["geolocation"], service_workers="allow")
                reach_only_the_server(context)
                try:
                    yield context.new_page(), context, server, ids
                finally:
                    context.close()
                    browser.close()
        finally:
            server.stop()
            dispose(app)


def _scope(page) -> str:
    return page.get_attribute("meta[name=tekseru-user]", "content")


def _store(page, scope) -> dict:
    """Everything in a user's offline store on this phone (read as any script of the site could)."""
    return page.evaluate("""(scope) => {
        const store = idbKeyval.createStore("tekseru-" + scope, "outbox");
        return idbKeyval.entries(store).then(es => Object.fromEntries(es.filter(e => typeof e[0] === "string"
            && !(e[1] instanceof Blob))));
    }""", scope)


def _cached_urls(page) -> list[str]:
    return page.evaluate("""() => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
        .then(c => c.keys()).then(keys => keys.map(k => n + " " + k.url))))).then(lists => [].concat(...lists))""")


def _sign_out(page, dialogs, accept=True, warned=True):
    """Click "sign out"; with `warned`, wait for the warning and accept or dismiss it (its text into `dialogs`)."""
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept() if accept else d.dismiss()))
    if not warned:
        page.click("#sign-out button[type=submit]")
        return
    with page.expect_event("dialog"):
        page.click("#sign-out button[type=submit]")


def test_two_inspectors_on_one_phone_never_see_each_others_work(shared_phone):
    page, context, server, ids = shared_phone
    base = server.url
    a_visit = ids["today"][0][0]
    a_name = "Средняя школа № 12 имени Абая"

    # A: the route kept for the day, the stop checked in on the server, then an answer the server never gets.
    sign_in(page, base, "inspector")
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    assert "Маршрут инспектора Аскаров Ерлан" in page.inner_text("#route-page")
    a_scope = _scope(page)
    page.goto(f"{base}/my/route/stops/{a_visit}")
    page.click("#arrive")
    expect(page.locator("#checkin-state")).to_contain_text("(на сервере)", timeout=30_000)
    assert page.evaluate("document.cookie").find("tekseru") < 0  # nothing of this in a script-readable cookie
    context.route("**/api/v1/audits/**", lambda route: route.abort())
    item = page.locator("#checklist [data-kind=yes_no]").first
    code = item.get_attribute("id").removeprefix("item-")
    item.locator("input[type=radio][value=yes]").check()
    expect(item.locator(".where")).to_have_class("where on-phone", timeout=10_000)
    assert json.dumps(_store(page, a_scope)).find(code) >= 0

    # Signing out names what is unsent; cancelling keeps A signed in, accepting keeps it only in A's store.
    dialogs: list[str] = []
    _sign_out(page, dialogs, accept=False)
    assert len(dialogs) == 1 and a_name in dialogs[0], dialogs
    assert page.url.endswith(f"/my/route/stops/{a_visit}")
    _sign_out(page, dialogs)
    page.wait_for_url("**/auth/login**")
    assert len(dialogs) == 2
    kept = _store(page, a_scope)
    assert f"rec:visit:{a_visit}" in kept and "csrf" not in kept
    assert not [u for u in _cached_urls(page) if "tekseru-pages" in u]
    context.unroute("**/api/v1/audits/**")

    # B on the same phone: B's pages open B's store only, and nothing of A's is shown, online or offline.
    sign_in(page, base, "inspector2")
    b_scope = _scope(page)
    assert b_scope and b_scope != a_scope
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    assert "Маршрут инспектора Бекова Айгуль" in page.inner_text("#route-page")
    assert page.evaluate(f"TekseruOutbox.load('visit:{a_visit}')") is None
    assert a_name not in page.content()
    assert all(f"tekseru-pages-v2-{b_scope}" in u for u in _cached_urls(page) if "tekseru-pages" in u)
    context.set_offline(True)
    page.reload()
    assert "Маршрут инспектора Бекова Айгуль" in page.inner_text("#route-page")
    try:  # A's stop was never kept for B: offline it does not open
        page.goto(f"{base}/my/route/stops/{a_visit}")
    except Exception:  # noqa: BLE001 - the browser's error page
        pass
    page.wait_for_load_state()
    expect(page.locator("html")).not_to_contain_text(a_name)
    context.set_offline(False)
    page.goto(f"{base}/my/route")
    _sign_out(page, dialogs, warned=False)
    page.wait_for_url("**/auth/login**")
    assert len(dialogs) == 2  # B had nothing unsent: no warning

    # A again: the answer kept on the phone reaches the server.
    sign_in(page, base, "inspector")
    page.goto(f"{base}/my/route/stops/{a_visit}")
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    from inspect_app.extensions import db
    from inspect_app.models import Audit

    with server.app.app_context():
        audit = db.session.scalar(sa.select(Audit).where(Audit.schedule_visit_id == a_visit))
        assert audit.answers[code]["value"] == "yes"
        db.session.remove()


def test_a_kept_page_is_not_served_after_its_day(shared_phone):
    """Is a route page the phone kept refused offline once its day is over (the phone left signed in)?"""
    page, context, server, ids = shared_phone
    base = server.url
    sign_in(page, base, "inspector")
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    context.set_offline(True)
    page.reload()
    assert "Средняя школа № 12 имени Абая" in page.inner_text("#route-page")
    # The same kept page, as it will be after midnight: its day ended a second ago.
    page.evaluate("""() => caches.keys().then(names => Promise.all(names.filter(n => n.startsWith("tekseru-pages"))
        .map(n => caches.open(n).then(c => c.keys().then(keys => Promise.all(keys.map(k => c.match(k).then(r =>
            r.text().then(body => { const h = new Headers(r.headers);
                h.set("X-Tekseru-Offline-Until", String(Date.now() - 1000));
                return c.put(k, new Response(body, { status: 200, headers: h })); })))))))))""")
    try:
        page.goto(f"{base}/my/route")
    except Exception:  # noqa: BLE001 - offline and not served from the cache: the browser's error page
        pass
    page.wait_for_load_state()
    expect(page.locator("html")).not_to_contain_text("Средняя школа № 12 имени Абая")

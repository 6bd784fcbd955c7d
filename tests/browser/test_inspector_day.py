"""The inspector's day in a real browser (Debian's chromium): today's route, check-in, a dead zone, a reload
with no network, the checklist and a photo filled offline, the sync once the network is back (exactly once),
the stop submitted, the PDFs; and an unreleased day refused everywhere, the offline copy included."""

import datetime as dt
import json
import os
import re

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from inspect_app.i18n import ALMATY
from tests.browser.conftest import CHROMIUM_ARGS, reach_only_the_server
from tests.served import Server, dispose, make_app, own_database, seed_day, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TEKSERU_SHOTS", "/tmp/tekseru-shots")


@pytest.fixture
def day_server(chromium_path):
    """A served app (own database) with the inspector's released day; yields (server, ids)."""
    with own_database() as url:
        app = make_app(url)
        ids = seed_day(app)
        server = Server(app).start()
        try:
            yield server, ids
        finally:
            server.stop()
            dispose(app)


@pytest.fixture
def phone(chromium_path, day_server):
    """A 390x844 chromium context near the first facility, geolocation granted, reaching only 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    server, ids = day_server
    _, _, lat, lon = ids["today"][0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True,
                                      geolocation={"latitude": lat + 0.0004, "longitude": lon, "accuracy": 15},
                                      # Chrome grants background sync to every site; Playwright only what
                                      # it is told.
                                      permissions=["geolocation", "background-sync"], service_workers="allow")
        reach_only_the_server(context)
        page = context.new_page()
        try:
            yield page, context, server, ids
        finally:
            context.close()
            browser.close()


def _login(page, base):
    sign_in(page, base, "inspector")


def _arrive_with_route_kept(page, base, visit_id):
    """Sign in, open today's route until the phone has kept it, open the stop and check in on the server."""
    _login(page, base)
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    page.goto(f"{base}/my/route/stops/{visit_id}")
    page.click("#arrive")
    expect(page.locator("#checkin-state")).to_contain_text("(на сервере)", timeout=30_000)


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways: {width} px"


def _answers(app, facility_type):
    from inspect_app.extensions import db
    from inspect_app.services import checklists
    from tests.inspect_app.services.audits.conftest import answers_for

    with app.app_context():
        template = checklists.parsed(checklists.latest_template(db.session, "national"))
        db.session.remove()
    return answers_for(template, facility_type)


def _photo_file(tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (3200, 2400), (40, 140, 60)).save(path, "JPEG", quality=90)
    return str(path)


def _db(app, sql, **params):
    from inspect_app.extensions import db

    with app.app_context():
        rows = db.session.execute(sa.text(sql), params).all()
        db.session.remove()
        return rows


def _fill(page, answers):
    for code, answer in answers.items():
        box = page.locator(f'[id="item-{code}"]')
        if box.count() == 0:
            continue
        kind = box.get_attribute("data-kind")
        if kind in ("yes_no", "choice"):
            box.locator(f'input[type=radio][value="{answer["value"]}"]').check()
        else:
            field = box.locator("input.number, textarea")
            field.fill(str(answer["value"]))
            field.dispatch_event("change")


def _sign(page, box_id, wiggle=1):
    """Draw a signature with the pointer on the canvas of `box_id`, as a finger would."""
    canvas = page.locator(f"#{box_id} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for n in range(1, 12):
        page.mouse.move(x + n * (box["width"] - 40) / 12, y + (12 if (n + wiggle) % 2 else -12), steps=3)
    page.mouse.up()
    expect(page.locator(f"#{box_id}")).to_have_attribute("data-signed", "1")


def _type(page, field, value):
    el = page.locator(f"#act-{field}")
    el.fill(value)
    el.dispatch_event("change")


def _fill_act(page, refuse=False):
    """The act's elements: the order, the inspector's position, the representative, then both signatures (or
    the representative's refusal)."""
    for field, value in (("order_number", "245"), ("order_date", "2019-12-20"), ("order_reg_number", "1975000245"),
                         ("inspector_position", "главный инспектор"), ("representative_name", "Серікова Айгүл"),
                         ("representative_position", "директор")):
        _type(page, field, value)
    if refuse:
        page.locator("#act-signature_refused").check()
        expect(page.locator("#rep-sign-box")).to_be_hidden()
        _type(page, "refusal_witness", "Ахметов Болат")
    else:
        _sign(page, "rep-sign-box")
    _sign(page, "insp-sign-box", wiggle=2)


def test_a_day_offline_syncs_exactly_once(phone, tmp_path):
    """Route, check-in, dead zone, reload, checklist and photo offline, back online: one audit, one photo,
    the answers, the stop submitted, the PDFs download."""
    page, context, server, ids = phone
    base = server.url
    visit_id, facility_id, _, _ = ids["today"][0]
    _login(page, base)
    assert page.locator(".stop").count() == 2  # the home page is today's route
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    assert page.locator("#route-map path.leaflet-interactive").count() >= 3  # stops and line without tiles
    _no_sideways_scroll(page)
    page.click(f".stop[data-visit='{visit_id}'] a.stop-name")
    page.wait_for_url(f"**/my/route/stops/{visit_id}")
    page.click("#arrive")
    # "synced" may be the state from before the click: wait for the check-in itself to reach the server
    expect(page.locator("#checkin-state")).to_contain_text("(на сервере)", timeout=30_000)
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    assert len(_db(server.app, "SELECT id FROM audit WHERE schedule_visit_id = :v", v=visit_id)) == 1
    # The arrival time reads in Almaty time, whatever the phone's own time zone (this browser's is UTC).
    now, shown = dt.datetime.now(ALMATY), page.inner_text("#checkin-state")
    assert any((now + dt.timedelta(minutes=m)).strftime("%H:%M") in shown for m in (-1, 0, 1)), shown

    server.stop()
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#checklist")
    assert page.locator("h1").inner_text() == "Средняя школа № 12 имени Абая"
    _no_sideways_scroll(page)
    answers = _answers(server.app, "school")
    _fill(page, answers)
    first_code = next(code for code in answers if page.locator(f'[id="item-{code}"] input.photo').count())
    page.locator(f'[id="item-{first_code}"] details summary').click()
    page.set_input_files(f'[id="item-{first_code}"] input.photo', _photo_file(tmp_path))
    page.wait_for_selector(f'[id="item-{first_code}"] .photo-list li.on-phone')
    expect(page.locator(f'[id="item-{first_code}"] .photo-list')).to_contain_text("фото на телефоне")
    expect(page.locator(f'[id="item-{first_code}"] [data-where]')).to_contain_text("Только на телефоне")
    _fill_act(page, refuse=True)
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/form-offline-ru.png", full_page=False)
    page.click("#submit")
    expect(page.locator("#submit-where")).to_contain_text("в очереди")

    page.reload()  # a second reload in the dead zone: everything is still on the phone
    page.wait_for_selector("#checklist")
    radio_code = next(c for c, a in answers.items() if a["value"] in ("yes", "no"))
    assert page.locator(f'input[name="{radio_code}"][value="{answers[radio_code]["value"]}"]').is_checked()
    assert page.evaluate("document.body.dataset.syncState") == "pending"

    server.start()
    context.set_offline(False)
    expect(page.locator("body")).to_have_attribute("data-sync-state", "submitted", timeout=60_000)
    audits = _db(server.app, "SELECT id, status FROM audit WHERE schedule_visit_id = :v", v=visit_id)
    assert len(audits) == 1 and audits[0][1] == "submitted"
    audit_id = audits[0][0]
    photos = _db(server.app, "SELECT item_code, width, height, content_type FROM audit_photo WHERE audit_id = :a",
                 a=audit_id)
    assert len(photos) == 1 and photos[0][0] == first_code
    assert max(photos[0][1], photos[0][2]) == 2000 and photos[0][3] == "image/jpeg"
    stored = _db(server.app, "SELECT answers FROM audit WHERE id = :a", a=audit_id)[0][0]
    stored = json.loads(stored) if isinstance(stored, str) else stored
    # Numbers typed in the form arrive as text ("4,5" is allowed); compare what the inspector entered.
    assert {c: str(a["value"]) for c, a in stored.items()} == {c: str(a["value"]) for c, a in answers.items()
                                                               if c in stored}
    assert stored[first_code]["photos"] == [_db(server.app, "SELECT id FROM audit_photo WHERE audit_id = :a",
                                                a=audit_id)[0][0]]
    assert len(stored) == page.locator("#checklist .item").count()
    assert _db(server.app, "SELECT status FROM schedule_visit WHERE id = :v", v=visit_id)[0][0] == "submitted"
    # The representative refused to sign: the refusal and its witness arrived, no signature of theirs.
    refusal = _db(server.app, "SELECT signature_refused, refusal_witness, representative_signature IS NULL, "
                              "inspector_signature IS NOT NULL FROM audit WHERE id = :a", a=audit_id)[0]
    assert tuple(refusal) == (True, "Ахметов Болат", True, True)

    page.goto(f"{base}/my/route")
    expect(page.locator(f".state[data-visit='{visit_id}']")).to_have_text(re.compile("^Акт отправлен"))
    with page.expect_download() as download:
        page.click("#sheet-pdf")
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    response = page.request.get(f"{base}/audits/{audit_id}/report.pdf?download=1")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"


def test_signed_on_the_canvas_then_offline_the_act_arrives_with_the_signatures(phone):
    """Sign on the canvas, lose the network, reload, submit in the dead zone, come back: does the audit arrive
    once, submitted, with both signatures as the PNGs drawn (kept on the phone across the reload) and the act's
    elements typed?"""
    page, context, server, ids = phone
    base = server.url
    visit_id = ids["today"][0][0]
    _arrive_with_route_kept(page, base, visit_id)
    _fill(page, _answers(server.app, "school"))
    _fill_act(page)
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    drawn = page.evaluate("document.querySelector('#rep-sign-box canvas').toDataURL('image/png')")

    server.stop()
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#checklist")
    # The signatures and the typed elements are still on the phone after the reload.
    expect(page.locator("#rep-sign-box")).to_have_attribute("data-signed", "1")
    expect(page.locator("#insp-sign-box")).to_have_attribute("data-signed", "1")
    expect(page.locator("#act-representative_name")).to_have_value("Серікова Айгүл")
    os.makedirs(SHOTS, exist_ok=True)
    page.locator("#act-sign").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/act-signed-offline-ru.png", full_page=False)
    page.click("#submit")
    expect(page.locator("#submit-where")).to_contain_text("в очереди")

    server.start()
    context.set_offline(False)
    expect(page.locator("body")).to_have_attribute("data-sync-state", "submitted", timeout=60_000)
    rows = _db(server.app, "SELECT id, status, representative_name, representative_position, order_number, "
                           "signature_refused, representative_signature, inspector_signature, act_format "
                           "FROM audit WHERE schedule_visit_id = :v", v=visit_id)
    assert len(rows) == 1
    _id, status, name, position, order, refused, rep_png, insp_png, act_format = rows[0]
    assert (status, name, position, order, refused, act_format) == \
        ("submitted", "Серікова Айгүл", "директор", "245", False, 1)
    import base64
    import io

    assert bytes(rep_png) == base64.b64decode(drawn.split(",", 1)[1])
    for png in (rep_png, insp_png):
        with Image.open(io.BytesIO(bytes(png))) as img:
            assert img.format == "PNG" and img.convert("RGBA").getbbox() is not None  # strokes, not blank


def test_an_unreleased_day_is_refused_everywhere(phone):
    """Tomorrow's stop: refused by the page, the API, the PDF, the calendar feed, and never in the offline copy."""
    page, context, server, ids = phone
    base = server.url
    tomorrow = ids["tomorrow"]
    _login(page, base)
    page.goto(f"{base}/my/route")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    from inspect_app.extensions import db
    from inspect_app.models import ScheduleVisit

    with server.app.app_context():
        day = db.session.get(ScheduleVisit, tomorrow).date.isoformat()
        name = db.session.get(ScheduleVisit, tomorrow).facility.name_ru
        db.session.remove()
    assert name not in page.content()
    assert page.request.get(f"{base}/my/route?date={day}").status == 403
    assert page.request.get(f"{base}/api/v1/my/route?date={day}").status == 403
    assert page.request.get(f"{base}/my/route/sheet.pdf?date={day}").status == 403
    status = page.evaluate("(url) => fetch(url, {credentials: 'same-origin'}).then(r => r.status)",
                           f"/my/route/stops/{tomorrow}")
    assert status == 404
    cached = page.evaluate("""() => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
        .then(c => c.keys()).then(keys => keys.map(k => k.url))))).then(lists => [].concat(...lists))""")
    assert any(u.endswith("/my/route") for u in cached)
    assert not any(f"/stops/{tomorrow}" in u or f"date={day}" in u for u in cached), cached
    server.app.config["PUBLIC_BASE_URL"] = base  # the served port is known only now
    page.click(".calendar-box summary")
    page.click(".calendar-box button[type=submit]")
    feed = page.input_value("#calendar-url")
    assert feed.startswith(f"{base}/calendar/")
    text = page.request.get(feed).text()
    assert "Средняя школа № 12" in text and name not in text


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_screenshots_at_390(phone, lang):
    """Route, stop and form at 390x844 in Russian and Kazakh (saved for a person to look at), no sideways scroll."""
    page, context, server, ids = phone
    base = server.url
    visit_id = ids["today"][0][0]
    _login(page, base)
    os.makedirs(SHOTS, exist_ok=True)
    page.goto(f"{base}/my/route?lang={lang}")
    page.wait_for_selector("#route-map .leaflet-interactive")
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/route-{lang}.png", full_page=True)
    page.goto(f"{base}/my/route/stops/{visit_id}")
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/stop-{lang}.png", full_page=False)
    page.click("#arrive")
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    page.locator("#checklist .item input[type=radio]").first.check()
    page.wait_for_timeout(300)
    _no_sideways_scroll(page)
    page.screenshot(path=f"{SHOTS}/form-{lang}.png", full_page=True)
    assert os.path.getsize(f"{SHOTS}/form-{lang}.png") > 20_000


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_not_done_and_discard_offline_are_sent_once(phone, lang):
    """In a dead zone: a draft discarded and the next visit recorded as not done, both shown as on the phone
    (and kept over a reload); back online, the server has each exactly once and the stops say so."""
    page, context, server, ids = phone
    base = server.url
    (first, _, _, _), (second, _, _, _) = ids["today"]
    _login(page, base)
    page.goto(f"{base}/my/route?lang={lang}")
    page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
    page.goto(f"{base}/my/route/stops/{first}")
    page.click("#arrive")
    expect(page.locator("#discard-box")).to_be_visible(timeout=30_000)  # the draft is on the server
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    audit_id = _db(server.app, "SELECT id FROM audit WHERE schedule_visit_id = :v", v=first)[0][0]

    server.stop()
    context.set_offline(True)
    page.locator("#discard-box summary").click()
    page.fill("#discard-reason", "Начал не тот объект")
    page.click("#discard-box button[type=submit]")
    state = page.locator("#visit-state")
    expect(state).to_have_attribute("data-where", "phone", timeout=30_000)
    expect(page.locator("#arrive")).to_be_visible()

    page.goto(f"{base}/my/route/stops/{second}")  # the kept page, from the service worker
    page.locator("#not-done-box summary").click()
    page.select_option("#reason", "closed")
    page.fill("#note", "Карантин")
    page.locator("#not-done-box button[type=submit]").click()
    expect(state).to_have_attribute("data-where", "phone", timeout=30_000)
    expect(page.locator("#checkin-box")).to_be_hidden()
    if lang == "ru":
        expect(state).to_have_text("Посещение не состоялось (Объект закрыт). Только на телефоне")
        expect(page.locator(f".state[data-visit='{second}']")).to_have_text("Не состоялось: Объект закрыт")
    page.reload()  # still in the dead zone: the not-done is kept on the phone
    expect(state).to_have_attribute("data-where", "phone", timeout=30_000)
    _no_sideways_scroll(page)
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/not-done-offline-{lang}.png", full_page=False)
    assert _db(server.app, "SELECT status FROM schedule_visit WHERE id = :v", v=second)[0][0] == "planned"

    server.start()
    context.set_offline(False)
    expect(state).to_have_attribute("data-where", "server", timeout=60_000)
    expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=30_000)
    rows = _db(server.app, "SELECT status, not_done_reason, not_done_note, not_done_uuid FROM schedule_visit "
                           "WHERE id = :v", v=second)
    assert rows[0][:3] == ("not_done", "closed", "Карантин") and rows[0][3]
    audits = _db(server.app, "SELECT id, status, discard_reason FROM audit WHERE schedule_visit_id = :v", v=first)
    assert audits == [(audit_id, "discarded", "Начал не тот объект")]
    assert _db(server.app, "SELECT status FROM schedule_visit WHERE id = :v", v=first)[0][0] == "planned"
    page.screenshot(path=f"{SHOTS}/not-done-sent-{lang}.png", full_page=False)

    page.reload()  # online: the server's page says it
    expect(page.locator("#visit-state")).to_have_count(0)
    page.goto(f"{base}/my/route")
    badge = page.locator(f".state[data-visit='{second}']")
    expect(badge).to_have_attribute("data-state", "not_done")
    if lang == "ru":
        expect(badge).to_have_text("Не состоялось: Объект закрыт")
        expect(page.locator(f".state[data-visit='{first}']")).to_have_text("Запланировано")


def _persistent_phone(p, chromium_path, profile, lat, lon, offline=False):
    """A 390x844 chromium with a profile on disk (what survives closing the browser), reaching only 127.0.0.1."""
    context = p.chromium.launch_persistent_context(
        str(profile), executable_path=chromium_path, args=CHROMIUM_ARGS, viewport={"width": 390, "height": 844},
        locale="ru-RU", is_mobile=True, geolocation={"latitude": lat + 0.0004, "longitude": lon, "accuracy": 15},
        permissions=["geolocation"], service_workers="allow", offline=offline)
    reach_only_the_server(context)
    return context, (context.pages[0] if context.pages else context.new_page())


def test_the_day_opens_offline_after_the_browser_was_closed(chromium_path, day_server, tmp_path):
    """Route, a stop's form and an answer typed in a dead zone: the browser closed, the server gone, the phone
    still offline; the reopened browser shows all three, and sends the answer once the inspector is back."""
    from playwright.sync_api import sync_playwright

    server, ids = day_server
    base = server.url
    visit_id, _, lat, lon = ids["today"][0]
    profile = tmp_path / "profile"
    with sync_playwright() as p:
        context, page = _persistent_phone(p, chromium_path, profile, lat, lon)
        _arrive_with_route_kept(page, base, visit_id)
        context.set_offline(True)
        radio = page.locator("#checklist .item input[type=radio]").first
        code, value = radio.get_attribute("name"), radio.get_attribute("value")
        radio.check()
        where = page.locator(f'[id="item-{code}"] [data-where]')
        expect(where).to_have_text("Только на телефоне", timeout=30_000)
        context.close()
        server.stop()

        context, page = _persistent_phone(p, chromium_path, profile, lat, lon, offline=True)
        try:
            page.goto(f"{base}/my/route")
            expect(page.locator(f".stop[data-visit='{visit_id}']")).to_be_visible(timeout=30_000)
            expect(page.locator(f".state[data-visit='{visit_id}']")).to_have_text("Черновик на телефоне",
                                                                                  timeout=30_000)
            page.click(f".stop[data-visit='{visit_id}'] a.stop-name")
            page.wait_for_url(f"**/my/route/stops/{visit_id}")
            expect(page.locator("h1")).to_have_text("Средняя школа № 12 имени Абая")
            radio = page.locator(f'input[name="{code}"][value="{value}"]')
            expect(radio).to_be_checked(timeout=30_000)
            expect(page.locator(f'[id="item-{code}"] [data-where]')).to_have_text("Только на телефоне")
            assert _db(server.app, "SELECT answers FROM audit WHERE schedule_visit_id = :v", v=visit_id)[0][0] in (
                None, {}, "{}")

            server.start()  # back in coverage; the closed browser forgot the sign-in, so sign in again
            context.set_offline(False)
            _login(page, base)
            page.goto(f"{base}/my/route/stops/{visit_id}")
            expect(page.locator("body")).to_have_attribute("data-sync-state", "synced", timeout=60_000)
            stored = _db(server.app, "SELECT answers FROM audit WHERE schedule_visit_id = :v", v=visit_id)[0][0]
            stored = json.loads(stored) if isinstance(stored, str) else stored
            assert stored[code]["value"] == value
        finally:
            context.close()


def _stored_answers(app, visit_id):
    stored = _db(app, "SELECT answers FROM audit WHERE schedule_visit_id = :v", v=visit_id)[0][0]
    return (json.loads(stored) if isinstance(stored, str) else stored) or {}


def test_background_sync_alone_sends_the_outbox(phone):
    """An answer queued in a dead zone is sent by the service worker's `sync` handler with no page of the app
    left open, so no page's load or `online` handler can have sent it.

    Headless Chromium under Playwright keeps the sync registered while the phone is offline but did not fire it
    when the emulated network came back (nothing within two minutes, the page closed, another one blank). So the
    test fires the registered tag as DevTools' "Sync" button does (`ServiceWorker.dispatchSyncEvent`): the
    browser's sync event, delivered to the worker, whose handler must then drain the outbox on its own."""
    page, context, server, ids = phone
    base = server.url
    visit_id = ids["today"][0][0]
    _arrive_with_route_kept(page, base, visit_id)
    audit_id = _db(server.app, "SELECT id FROM audit WHERE schedule_visit_id = :v", v=visit_id)[0][0]

    context.set_offline(True)  # a dead zone: the phone reaches nothing
    radio = page.locator("#checklist .item input[type=radio]").first
    code, value = radio.get_attribute("name"), radio.get_attribute("value")
    radio.check()
    expect(page.locator(f'[id="item-{code}"] [data-where]')).to_have_text("Только на телефоне", timeout=30_000)
    tags = []
    for _ in range(60):  # the page registers the sync a moment after the change (it batches quick edits)
        tags = page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
        if tags:
            break
        page.wait_for_timeout(500)
    assert tags == ["tekseru-outbox"]

    sent = []
    context.on("request", lambda r: sent.append((r.method, r.url, r.service_worker is not None)))
    blank = context.new_page()  # about:blank, none of the app's scripts: it only carries the DevTools session
    devtools = context.new_cdp_session(blank)
    registrations = []
    devtools.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    devtools.send("ServiceWorker.enable")
    page.close()
    context.set_offline(False)
    for _ in range(100):
        if registrations:
            break
        blank.wait_for_timeout(200)
    sync = {"origin": base, "tag": "tekseru-outbox", "lastChance": False,
            "registrationId": registrations[0]["registrationId"]}
    for n in range(240):  # waiting through Playwright, so that its request routing keeps answering
        if n % 20 == 0:
            # A sync fired while the worker still saw no network fails (work is left), and the browser fires it
            # again later: so does the test, every 10 s.
            devtools.send("ServiceWorker.dispatchSyncEvent", sync)
        if code in _stored_answers(server.app, visit_id):
            break
        blank.wait_for_timeout(500)
    assert _stored_answers(server.app, visit_id).get(code, {}).get("value") == value
    assert ("PATCH", f"{base}/api/v1/audits/{audit_id}", True) in sent  # sent by the service worker
    assert [p.url for p in context.pages] == ["about:blank"]

    page = context.new_page()
    page.goto(f"{base}/my/route/stops/{visit_id}")
    expect(page.locator(f'[id="item-{code}"] [data-where]')).to_have_text("На сервере", timeout=30_000)


def test_a_hung_save_is_given_up_and_the_next_one_sends_both(phone):
    """A save whose request hangs (a captive portal, a dying cell) is given up after the send timeout (3 s here,
    30 s in the field): it no longer holds the outbox, the answer stays queued, and the next change sends both
    answers. Before, the hung request kept the outbox's lock and nothing was sent again until a reload."""
    page, context, server, ids = phone
    base = server.url
    visit_id = ids["today"][0][0]
    context.add_init_script("self.TEKSERU_SEND_TIMEOUT_MS = 3000")
    _login(page, base)
    page.goto(f"{base}/my/route/stops/{visit_id}")
    page.click("#arrive")
    expect(page.locator("#checkin-state")).to_contain_text("(на сервере)", timeout=30_000)
    audit_id = _db(server.app, "SELECT id FROM audit WHERE schedule_visit_id = :v", v=visit_id)[0][0]
    hung = []

    def hang_the_first_save(route):
        if route.request.method == "PATCH" and not hung:
            hung.append(route)  # never answered: the request hangs until the phone gives it up
            return None
        return route.fallback()

    context.route(f"{base}/api/v1/audits/{audit_id}", hang_the_first_save)
    radios = page.locator("#checklist .item input[type=radio][value=yes]")
    first, second = radios.nth(0).get_attribute("name"), radios.nth(1).get_attribute("name")
    radios.nth(0).check()
    for _ in range(60):
        if hung:
            break
        page.wait_for_timeout(250)
    assert hung, "the save was never sent"
    # The phone gives the hung save up after the send timeout: the item no longer says "sending" (it is on the
    # phone again, or already on the server when a background flush retried it).
    where = page.locator(f'[id="item-{first}"] [data-where]')
    expect(where).to_have_text("Отправляется…", timeout=10_000)
    expect(where).not_to_have_text("Отправляется…", timeout=10_000)
    radios.nth(1).check()
    for _ in range(120):
        if {first, second} <= set(_stored_answers(server.app, visit_id)):
            break
        page.wait_for_timeout(250)
    assert {first, second} <= set(_stored_answers(server.app, visit_id))
    expect(page.locator(f'[id="item-{first}"] [data-where]')).to_have_text("На сервере", timeout=30_000)
    hung[0].abort()


def test_the_app_is_installable_to_the_home_screen(chromium_path, day_server, tmp_path):
    """On the inspector's home (today's route, kept offline), does chromium find nothing that stops installing
    Tekseru (Page.getInstallabilityErrors empty: a manifest, icons, a service worker), and read the manifest
    without errors? (A persistent profile: Playwright's ordinary contexts are incognito, never installable.)"""
    from playwright.sync_api import sync_playwright

    server, _ids = day_server
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=chromium_path, args=CHROMIUM_ARGS,
            viewport={"width": 390, "height": 844}, locale="kk-KZ", is_mobile=True, service_workers="allow")
        reach_only_the_server(context)
        try:
            page = context.new_page()
            _login(page, server.url)
            page.goto(f"{server.url}/?lang=kk")
            page.wait_for_selector("#route-page[data-offline-cached='1']", timeout=30_000)
            cdp = context.new_cdp_session(page)
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["url"] == f"{server.url}/manifest.webmanifest?lang=kk"
            assert manifest["errors"] == [], manifest["errors"]
            data = json.loads(manifest["data"])
            assert (data["start_url"], data["display"], data["lang"]) == ("/", "standalone", "kk")
            errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
            assert errors == [], errors
            os.makedirs(SHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SHOTS, "installable-home-kk.png"))
        finally:
            context.close()

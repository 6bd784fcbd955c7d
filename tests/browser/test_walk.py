"""The walk, in a real browser over the demo: the schedule review page at 1366 and 390 px, the checklist's progress,
section jump and list of what is missing before submit, and a build's job page that opens the schedule it made."""

import datetime as dt
import os
import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, reach_only_the_server
from tests.served import sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TEKSERU_SHOTS", "/tmp/tekseru-shots")


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _page(browser, base, role, width):
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": 844 if phone else 900}, locale="ru-RU",
                                  is_mobile=phone, has_touch=phone)
    reach_only_the_server(context)
    page = context.new_page()
    sign_in(page, base, role, f"{role}-demo-1")
    return page


@pytest.mark.parametrize("width", [1366, 390])
def test_the_schedule_review_page_is_usable_at_1366_and_390_px(demo_server, browser, width):
    """Does the review page keep the viewport's width (the hash wraps), stay a few screens tall (it was 14,600 px
    on a desktop and 135,000 on a phone), with the grid scrolling inside itself, collapsible, day columns wide
    enough for words, and a filter by inspector?"""
    app, base, ids = demo_server
    page = _page(browser, base, "supervisor", width)
    page.goto(f"{base}/schedules/{ids['published']}")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/schedule-review-{width}.png", full_page=True)
    size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= width, f"the page scrolls sideways: {size[0]} px"
    assert size[1] < 6000, f"the page is {size[1]} px tall"
    hash_box = page.locator("code.hash").bounding_box()
    assert hash_box["x"] + hash_box["width"] <= width
    grid = page.locator(".grid-scroll")
    scroll = grid.evaluate("g => [g.scrollWidth, g.clientWidth, g.scrollHeight, g.clientHeight]")
    assert scroll[0] > scroll[1] or scroll[2] > scroll[3], "the grid does not scroll inside itself"
    narrowest = min(page.locator(".route-grid thead th").evaluate_all("ths => ths.map(th => th.offsetWidth)"))
    assert narrowest >= 100, f"a day column is {narrowest} px wide"

    page.click(".route-grid-box > summary")
    expect(grid).to_be_hidden()
    page.click(".route-grid-box > summary")
    expect(grid).to_be_visible()

    first = page.locator(".route-grid tbody tr").first.get_attribute("data-inspector")
    page.select_option("#grid-filters select[name=inspector]", first)
    page.click("#grid-filters button[type=submit]")
    page.wait_for_url(f"**inspector={first}**")
    assert page.locator(".route-grid tbody tr").count() == 1


def test_the_checklist_counts_answers_jumps_to_sections_and_lists_what_is_missing(demo_server, browser):
    """Does the checklist show answered/total as items are answered, jump to a section from its list, and, on
    submit, list every unanswered item and a failed item without its required photo, sending nothing?"""
    app, base, ids = demo_server
    page = _page(browser, base, "inspector", 390)
    page.goto(f"{base}/audits/{ids['audit']}/fill")
    progress = page.locator("[data-progress]")
    expect(progress).to_have_text(re.compile(r"Отвечено \d+ из \d+"))
    total = page.locator(".item").count()
    before = int(progress.inner_text().split()[1])
    plain = page.locator(".item[data-kind=yes_no][data-photo-on-fail='0']").first
    plain.locator("input[value=yes]").check()
    expect(progress).to_have_text(f"Отвечено {before + 1} из {total}")
    photo_item = page.locator(".item[data-kind=yes_no][data-photo-on-fail='1']").first
    photo_item.locator("input[value=no]").check()
    expect(progress).to_have_text(f"Отвечено {before + 2} из {total}")

    page.click("#checklist-sections li:nth-child(2) a")
    page.wait_for_timeout(300)
    bar = page.locator("#checklist-progress").bounding_box()
    top = page.locator("#section-2").bounding_box()["y"]
    assert bar["y"] + bar["height"] <= top < 200, f"section 2 is at {top} px after the jump, the bar ends at " \
        f"{bar['y'] + bar['height']}"

    page.click("#submit")
    check = page.locator("#submit-check")
    expect(check).to_be_visible()
    page.screenshot(path=f"{SHOTS}/checklist-before-submit-390.png")
    missing = check.locator("li").count()
    unanswered_required = page.evaluate("""() => [...document.querySelectorAll('.item[data-required="1"]')]
        .filter(box => ![...box.querySelectorAll('input[type=radio]')].some(r => r.checked)
                       && ![...box.querySelectorAll('input.number, textarea')].some(f => f.value.trim())).length""")
    # ... and the act's elements not typed or signed yet (positions, the representative, both signatures).
    act_missing = page.evaluate("""() => [...document.querySelectorAll('[data-act][data-required="1"]')]
        .filter(el => !el.value.trim()).length
        + [...document.querySelectorAll('.signature')]
          .filter(box => !box.hidden && box.dataset.signed !== '1').length""")
    assert act_missing >= 4
    assert missing == unanswered_required + 1 + act_missing, (missing, unanswered_required, act_missing)
    assert check.locator('a[href="#act-representative_name"]').count() == 1
    assert f"не готово пунктов: {missing}" in check.inner_text()
    assert check.locator(f'a[href="#{photo_item.get_attribute("id")}"]').count() == 1
    assert check.locator(f'a[href="#{plain.get_attribute("id")}"]').count() == 0
    assert "нарушение без обязательного фото" in check.inner_text()

    from inspect_app.extensions import db
    from inspect_app.models import Audit

    with app.app_context():
        assert db.session.get(Audit, ids["audit"]).status == "draft"
        db.session.remove()


def test_a_build_s_job_page_opens_its_schedule_when_it_ends(demo_server, browser):
    """Does the page of a running build go to the schedule it saved as soon as the build ends, instead of
    stopping at "finished"?"""
    app, base, ids = demo_server
    from inspect_app.extensions import db
    from inspect_app.models import Job, User

    with app.app_context():
        supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
        job = Job(id=uuid.uuid4().hex, kind="schedule_build", status="running", params={}, user_id=supervisor.id,
                  started_at=dt.datetime.now(dt.UTC), heartbeat_at=dt.datetime.now(dt.UTC), progress=0.5)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    page = _page(browser, base, "supervisor", 1366)
    page.goto(f"{base}/jobs/{job_id}")
    expect(page.locator('[data-job="status"]')).to_have_text("выполняется")
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.status, job.progress, job.finished_at = "finished", 1.0, dt.datetime.now(dt.UTC)
        job.result = {"schedule_ids": [ids["draft"]]}
        db.session.commit()
        db.session.remove()
    page.wait_for_url(f"{base}/schedules/{ids['draft']}", timeout=15_000)


SPLIT_WORDS = """() => {
    // Every word of every table cell: a word whose box spans two lines was broken inside it (a line may end
    // after a hyphen: "Гуманитарно-|технический" is two words here).
    const split = [];
    document.querySelectorAll('main td, main th').forEach(cell => {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const re = /[^\\s\\u002d\\u2010]+/g;
            let m;
            while ((m = re.exec(node.data))) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) split.push(m[0]);
            }
        }
    });
    return split;
}"""


def test_desktop_tables_never_break_a_word(demo_server, browser):
    """At 1366 px, do the registry, audit, inspector and dashboard tables wrap between words only (they split
    "Низки|й" and BINs across lines)?"""
    _, base, ids = demo_server
    page = _page(browser, base, "supervisor", 1366)
    broken = {}
    for path in ("/facilities/", "/audits/", "/inspectors/", "/dashboard", f"/schedules/{ids['published']}",
                 f"/facilities/{ids['facility']}"):
        page.goto(base + path)
        words = page.evaluate(SPLIT_WORDS)
        if words:
            broken[path] = words[:10]
    assert not broken, broken


def test_the_urgent_visit_pages_fit_a_phone(demo_server, browser):
    """At 390 px, do the urgent visit's list of matches and its options stay within the screen (the options
    table widened the page to 740 px)?"""
    _, base, ids = demo_server
    page = _page(browser, base, "supervisor", 390)
    page.goto(f"{base}/schedules/{ids['published']}")
    page.fill("#urgent-facility", "сад")
    page.fill("#urgent-form input[name=hours]", "120")
    page.click("#urgent-form button[type=submit]")
    page.wait_for_url("**/urgent?**")
    widths = [page.evaluate("document.documentElement.scrollWidth")]
    links = page.locator("#urgent-matches a").evaluate_all("links => links.map(a => a.href)")
    for link in links:  # the first facility that can be placed before its deadline
        page.goto(link)
        if page.locator("#urgent-options").count():
            break
    expect(page.locator("#urgent-options")).to_be_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/urgent-options-390.png", full_page=True)
    widths.append(page.evaluate("document.documentElement.scrollWidth"))
    assert max(widths) <= 390, widths


def test_the_dashboard_charts_write_numbers_as_the_page_s_language_does(demo_server, browser):
    """On a Russian page in a browser set to English, does a chart's axis write nine thousand the Russian way
    ("9 000"), rather than the browser's "9,000" that Chart.js writes by default?"""
    _, base, _ = demo_server
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    reach_only_the_server(context)
    page = context.new_page()
    sign_in(page, base, "supervisor", "supervisor-demo-1")
    page.goto(base + "/dashboard?lang=ru")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-monthly')")
    label = page.evaluate("""() => {
        const scale = Chart.getChart('chart-monthly').scales.y;
        return Chart.Ticks.formatters.numeric.call(scale, 9000, 1, [{value: 0}, {value: 9000}]);
    }""")
    assert label.replace("\u00a0", " ").replace("\u202f", " ") == "9 000"

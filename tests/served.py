"""Served apps for the tests that need real concurrent requests or a real browser: a database of its own
(temporary SQLite file, or a fresh PostgreSQL schema of TEST_DATABASE_URL), the migrated app on it, and a
threaded werkzeug server on 127.0.0.1; plus one inspector's released day to seed it with."""

import contextlib
import datetime as dt
import os
import shutil
import tempfile
import threading
import uuid

import sqlalchemy as sa
from werkzeug.serving import WSGIRequestHandler, make_server

from config import TestingConfig

PASSWORD = "live-pass-1"


@contextlib.contextmanager
def own_database(prefix: str = "live", url: str | None = None):
    """Yield a database URL nobody else uses (a schema `<prefix>_<hex>` or a SQLite file); dropped afterwards.
    On this run's database (TEST_DATABASE_URL) unless a PostgreSQL `url` is given."""
    url = url or os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in url else "?"
        try:
            yield f"{url}{sep}options=-csearch_path%3D{schema}"
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        folder = tempfile.mkdtemp(prefix=f"tekseru-{prefix}-")
        try:
            yield f"sqlite:///{os.path.join(folder, f'{prefix}.db')}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


_responses = threading.local()


class _ClosingHandler(WSGIRequestHandler):
    """werkzeug's handler, except that every response is closed even when the client hung up mid-body.

    werkzeug 3.1 drains the request in a `finally` before it closes the response; when the browser has reset the
    connection (it drops requests it no longer needs on every navigation) that read raises, and the file behind a
    static response is left open for the garbage collector (a ResourceWarning, which the suite treats as an error).
    """

    def run_wsgi(self):
        _responses.open = []
        try:
            super().run_wsgi()
        finally:
            for iterable in _responses.open:
                with contextlib.suppress(Exception):
                    iterable.close()
            _responses.open = []


def _closing(app):
    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        if hasattr(iterable, "close"):
            getattr(_responses, "open", []).append(iterable)
        return iterable

    return wsgi


class Server:
    """The app served from a thread on 127.0.0.1: a free port at the first start, the same port at every restart
    (so a phone can be given a real dead zone and its network back)."""

    def __init__(self, app, port: int = 0):
        self.app, self.port, self.server, self.thread = app, port, None, None

    def start(self) -> "Server":
        self.server = make_server("127.0.0.1", self.port, _closing(self.app), threaded=True,
                                  request_handler=_ClosingHandler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="served-app")
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is None:
            return
        server, self.server = self.server, None
        server.shutdown()
        self.thread.join(5)
        server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def serve(app):
    """Serve the app from a thread on a free port of 127.0.0.1; yields its base URL."""
    server = Server(app).start()
    try:
        yield server.url
    finally:
        server.stop()


def dispose(app) -> None:
    """Stop the app's outbox pump and close its pooled connections (before its database is dropped)."""
    from inspect_app import notify_pump
    from inspect_app.extensions import db

    notify_pump.stop(app)
    with app.app_context():
        db.engine.dispose()


def make_app(database_url: str, **overrides):
    """The app on that database, migrated; routes released from midnight so a run at any hour sees today."""
    from flask_migrate import upgrade

    from inspect_app import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        ROUTE_RELEASE_HOUR = 0
        MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # no tile ever loads: the map must draw anyway

    for key, value in overrides.items():
        setattr(Config, key, value)
    app = create_app(Config)
    with app.app_context():
        upgrade()
    return app


def seed_day(app, stops: int = 2) -> dict:
    """Region, supervisor, an inspector with `stops` visits today and one tomorrow, of a published schedule."""
    from inspect_app.extensions import db
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Facility, Inspector, Schedule, ScheduleVisit
    from inspect_app.services import checklists
    from inspect_app.services.users import create_user, issue_token
    from tests.factories import almaty_region

    with app.app_context():
        region = almaty_region(db.session)
        create_user(db.session, "supervisor", PASSWORD, "supervisor", region_kato="190000000",
                    full_name="Руководитель", commit=False)
        user = create_user(db.session, "inspector", PASSWORD, "inspector", region_kato="190000000",
                           full_name="Аскаров Ерлан", commit=False)
        inspector = Inspector(full_name="Аскаров Ерлан", agency="education", skills=["safety", "nutrition", "health"],
                              home_lat=43.24, home_lon=76.91, regions=[region], user=user)
        names = ["Средняя школа № 12 имени Абая", "Детский сад «Балдаурен»", "Гимназия № 3"]
        kk = ["Абай атындағы № 12 орта мектеп", "«Балдәурен» балабақшасы", "№ 3 гимназия"]
        facilities = [Facility(bin=f"19054000{n:04d}", name_ru=names[n], name_kk=kk[n], type="school",
                               agency="education", region=region, address=f"г. Талгар, ул. Абая, {10 + n}",
                               lat=43.255 + n / 150, lon=76.96 + n / 200, children_count=600, risk="high",
                               status="active") for n in range(stops + 1)]
        today = today_almaty()
        tomorrow = today + dt.timedelta(days=1)
        schedule = Schedule(region=region, start_date=today, end_date=tomorrow, seed=1, time_limit=1,
                            status="published", problem={"dates": [], "facilities": [], "inspectors": []},
                            problem_sha256="0" * 64, schedule={"routes": [], "unscheduled": []}, stats={})
        for n in range(stops):
            schedule.visits.append(ScheduleVisit(inspector=inspector, facility=facilities[n], date=today,
                                                 start=f"{9 + 2 * n:02d}:00", end=f"{10 + 2 * n:02d}:30", order=n))
        schedule.visits.append(ScheduleVisit(inspector=inspector, facility=facilities[stops], date=tomorrow,
                                             start="09:00", end="10:30", order=0))
        db.session.add_all([inspector, *facilities, schedule])
        db.session.commit()
        checklists.ensure_templates(db.session)
        db.session.commit()
        visits = sorted(schedule.visits, key=lambda v: (v.date, v.order))
        out = {"today": [(v.id, v.facility_id, v.facility.lat, v.facility.lon) for v in visits[:stops]],
               "tomorrow": visits[stops].id, "token": issue_token(db.session, user, "live"),
               "supervisor_token": None, "schedule_id": schedule.id}
        db.session.remove()
        return out


def sign_in(page, base: str, username: str, password: str = PASSWORD, lang: str | None = None) -> None:
    """Sign in through the login page of a served app (in `lang` when given) and wait for the home page."""
    page.goto(f"{base}/auth/login" + (f"?lang={lang}" if lang else ""))
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")

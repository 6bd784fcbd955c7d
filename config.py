"""Configuration classes read from the environment, with safe development defaults."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-not-secret"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _default_sqlite_url() -> str:
    return f"sqlite:///{BASE_DIR / 'instance' / 'tekseru.db'}"


class Config:
    """Development defaults: an embedded SQLite database and background jobs in a thread."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", _default_sqlite_url())
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Bounded waits while the database is busy or gone (inspect_app/database.py): seconds to connect, seconds
    # to wait for a pooled connection, and how often a request that met a lock timeout or deadlock is rerun.
    DB_CONNECT_TIMEOUT = int(os.environ.get("DB_CONNECT_TIMEOUT", 5))
    DB_POOL_TIMEOUT = int(os.environ.get("DB_POOL_TIMEOUT", 10))
    DB_RETRIES = int(os.environ.get("DB_RETRIES", 3))
    # PostgreSQL: seconds a statement may run before the server cancels it (0: no limit), and seconds the
    # ping of a pooled connection may take; a request waits at most DB_STATEMENT_TIMEOUT + 2 for any answer.
    DB_STATEMENT_TIMEOUT = float(os.environ.get("DB_STATEMENT_TIMEOUT", 8))
    DB_PING_TIMEOUT = float(os.environ.get("DB_PING_TIMEOUT", 2))
    # Jobs go to RQ when a Redis URL is given, else to a thread of the app (the embedded default).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "tekseru")
    JOBS_INLINE = _env_bool("JOBS_INLINE", False)
    # A running job's runner writes a heartbeat this often; a job silent for JOB_DEAD_AFTER_SECONDS is failed.
    JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", 10))
    JOB_DEAD_AFTER_SECONDS = float(os.environ.get("JOB_DEAD_AFTER_SECONDS", 60))
    # Modules whose `@task` functions the job runner knows; features append theirs.
    JOB_TASK_MODULES: tuple[str, ...] = ("inspect_app.services.schedules.build", "inspect_app.services.audits.reports",
                                         "inspect_app.services.capacity.whatif",
                                         "inspect_app.services.statistics.exports_job")

    # Notifications (services/notifications): the SMTP server e-mails leave through; without MAIL_SERVER they
    # stay in the outbox, shown to admins on /notifications/outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 587))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "tekseru@localhost")
    # The outbox is sent by a thread of each app process (no REDIS_URL) or of each `flask jobs worker`, woken
    # by every commit that queued something and at least this often (retries, digests, weekly summaries).
    NOTIFY_POLL_SECONDS = float(os.environ.get("NOTIFY_POLL_SECONDS", 30))
    NOTIFY_PUMP = _env_bool("NOTIFY_PUMP", True)
    # Seconds a worker holds a claimed message or endpoint; a worker that died frees them after it.
    NOTIFY_LEASE_SECONDS = float(os.environ.get("NOTIFY_LEASE_SECONDS", 120))
    # Webhook URLs may be plain http outside production (a receiver on a developer's machine).
    WEBHOOK_ALLOW_HTTP = _env_bool("WEBHOOK_ALLOW_HTTP", True)

    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    LANGUAGES = ("ru", "kk", "en")

    API_TITLE = "Tekseru API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = os.environ.get("SWAGGER_UI_URL", "/vendor/swagger-ui-dist/")
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
    }

    # A form's CSRF token lasts an inspector's working day (a field form opened in the morning is still sent
    # after a long inspection), yet a token copied out of a page does not work forever.
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    # Throttling (inspect_app/auth/throttle.py): counters in Redis when REDIS_URL is set, else in memory.
    THROTTLE_ENABLED = _env_bool("THROTTLE_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_STRATEGY = "moving-window"
    # A Redis that stopped answering costs a request at most these seconds before the counters fall back to memory.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    # Per kind, the limits of its keys in order: sign-in failures (account, address); sign-in tries on a locked
    # account from a device it signed in on before (account and device); bad API tokens (the token presented,
    # address); API requests (account, address). An office of inspectors behind one address stays under them.
    THROTTLE_LIMITS = {
        "login_failure": ("10 per 15 minutes", "50 per 15 minutes"),
        "known_device": ("1 per 10 seconds",),
        "bad_token": ("10 per 15 minutes", "30 per 15 minutes"),
        "api_request": ("300 per minute", "1200 per minute"),
        "reset_link": ("20 per 15 minutes",),  # unknown or spent password-reset links (address)
        "prescription_link": ("20 per 15 minutes",),  # unknown, revoked or expired facility links (address)
        "prescription_report": ("30 per hour",),  # reports (accepted or refused) through one valid facility link
    }
    # Hosts the Content-Security-Policy lets pages load images from, beyond this origin and the tile server of
    # MAP_TILE_URL (which the policy names by itself, so changing MAP_TILE_URL alone is enough for the maps).
    CSP_IMG_HOSTS: tuple[str, ...] = ()
    # Strict-Transport-Security max-age; 0 sends none (development serves plain HTTP on 127.0.0.1).
    HSTS_SECONDS = 0
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024))
    # Upload limits that a user meets with a clear error rather than a 413 page.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 100_000))
    PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 8 * 1024 * 1024))
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(BASE_DIR / "instance" / "uploads"))

    # Settings a ministry changes on the settings page (/settings, models/setting.py), not in the environment:
    # these are only their values until someone sets them there.
    # Days between routine inspections by risk category; counted from the last completed one.
    INSPECTION_INTERVAL_DAYS = {"high": 90, "medium": 180, "low": 365}
    # Seconds the dashboard's figures may be reused for the same scope and filters (services/statistics/cache.py).
    STATS_CACHE_SECONDS = int(os.environ.get("STATS_CACHE_SECONDS", 30))
    # The child-safety compliance index (README, "The compliance index"): the weight of each checklist section,
    # the weight of a violation by severity, and the share of the index that is the in-time figure.
    COMPLIANCE_INDEX_WEIGHTS = {
        "sections": {"safety": 0.5, "nutrition": 0.25, "health": 0.25},
        "severity": {"critical": 5.0, "major": 2.0, "minor": 1.0},
        "in_time": 0.3,
    }
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Days to correct a violation by severity, counted from the inspection; an item's own deadline_days wins.
    AUDIT_DEADLINE_DAYS = {"critical": 10, "major": 30, "minor": 60}  # the settings page's defaults
    PRESCRIPTION_MIN_DAYS = 10  # the shortest deadline of a prescription item after delivery (settings page)

    # Surprise scheduler (see README, "Surprise schedules"): the weekdays inspectors work, the weight of
    # not-yet-due facilities in the lottery of extra visits, the travel rule and the default solve time.
    # Builds always do their deterministic budget, so an auditor's rebuild gives the same routes; with the
    # cap on, the engine's wall clock only stops a run far past its time limit (3x: a safety net on a starved
    # machine). A build that hit it is marked and cannot be published until rebuilt.
    SCHEDULE_WALL_CLOCK_CAP = _env_bool("SCHEDULE_WALL_CLOCK_CAP", True)
    # Share of the inspector-days left after must-visits that go to unannounced extra (lottery) visits.
    # 0.5: inspectors also write reports, follow up complaints, go to court and train; the other half stays
    # free for urgent visits, follow-ups and absences (README, "Capacity").
    SCHEDULE_FILL = 0.5  # the settings page's default
    # How much a due visit matters now (the problem's facility "priority"; README, "Who waits"):
    # risk base + per 30 days overdue (capped) + follow-up after a critical violation + open complaint
    # + per horizon already waited + a planned visit that did not happen.
    SCHEDULE_PRIORITY = {
        "risk": {"high": 3.0, "medium": 2.0, "low": 1.0},
        "per_30_days_overdue": 1.0,
        "overdue_cap": 6.0,
        "followup": 3.0,
        "complaint": 5.0,
        "per_horizon_waited": 2.0,
        "not_done": 2.0,
        "not_fixed": 3.0,  # a prescription item a follow-up audit found not fixed
    }
    # Capacity planning: the share of an inspector's working days planned visits may fill; the rest stays free
    # for what no plan foresees (0.85: the engine's own capacity estimate, scheduler/eligibility.py).
    CAPACITY_FILL = float(os.environ.get("CAPACITY_FILL", 0.85))
    # Solver seconds of each of a what-if's two solves (today's month and the what-if's).
    CAPACITY_WHATIF_TIME_LIMIT = float(os.environ.get("CAPACITY_WHATIF_TIME_LIMIT", 10))
    # Solver seconds of the sample solve that gives the travel per visit of a region without published schedules.
    CAPACITY_SAMPLE_TIME_LIMIT = float(os.environ.get("CAPACITY_SAMPLE_TIME_LIMIT", 3))
    # Per facility type, overrides of the calendar's rules (services/calendar/rules.py TYPE_RULES), e.g.
    # {"school": {"open_in_breaks": True, "meals_in_breaks": False}}: open in the breaks, canteen closed.
    CALENDAR_TYPE_RULES: dict = {}
    SCHEDULE_WORKDAYS = tuple(os.environ.get("SCHEDULE_WORKDAYS", "mon,tue,wed,thu,fri").split(","))
    SCHEDULE_OPTIONAL_WEIGHTS = {"high": 3.0, "medium": 2.0, "low": 1.0}
    SCHEDULE_TRAVEL = {"speed_kmh": float(os.environ.get("SCHEDULE_SPEED_KMH", 40)), "road_factor": 1.3}
    SCHEDULE_TIME_LIMIT = int(os.environ.get("SCHEDULE_TIME_LIMIT", 30))
    # Regions solved at once by a national build without Redis (a process pool on this machine).
    SCHEDULE_PROCESSES = int(os.environ.get("SCHEDULE_PROCESSES", os.cpu_count() or 1))

    # The inspector's day: a day's route reaches its inspector that day from ROUTE_RELEASE_HOUR (Almaty), or,
    # in regions that chose "evening", the evening before from ROUTE_EVENING_RELEASE_HOUR.
    ROUTE_RELEASE_HOUR = 6  # the settings page's defaults (nationally, or a region's own)
    ROUTE_EVENING_RELEASE_HOUR = 18
    # A check-in farther than this from the facility is allowed but flagged for the supervisor.
    CHECKIN_MAX_DISTANCE_M = 300  # the settings page's default
    # Map tiles for every Leaflet map; the route map draws its stops and line even when no tile loads.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap")


class TestingConfig(Config):
    """Tests: a throwaway database chosen by the test suite, jobs run inline, no CSRF tokens."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    JOBS_INLINE = True
    # The suite signs in thousands of times from 127.0.0.1; the throttling tests turn it on.
    THROTTLE_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    STATS_CACHE_SECONDS = 0
    # Tests compare builds for equality; uncapped runs stay identical on a machine loaded by other tests.
    SCHEDULE_WALL_CLOCK_CAP = False
    # Routes released from midnight, so a test of today's route passes at any hour (release tests set 06:00).
    ROUTE_RELEASE_HOUR = 0
    REDIS_URL = ""
    # A what-if solves a month twice and a plan without published schedules solves a sample: short in tests.
    CAPACITY_WHATIF_TIME_LIMIT = 1.0
    CAPACITY_SAMPLE_TIME_LIMIT = 1.0
    # Tests send the outbox themselves (a real SMTP server and receiver of their own).
    NOTIFY_PUMP = False
    MAIL_SERVER = ""


class ProductionConfig(Config):
    """Production: refuses to start on weak or development settings; cookies only over HTTPS."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = 365 * 24 * 3600
    WEBHOOK_ALLOW_HTTP = False

    @classmethod
    def check(cls) -> None:
        """Raise when the environment would run production on development defaults or a guessable key."""
        problems = weak_settings(cls.SECRET_KEY, cls.PUBLIC_BASE_URL)
        if "DATABASE_URL" not in os.environ:
            problems.append("set DATABASE_URL")
        if problems:
            raise RuntimeError("ProductionConfig: " + "; ".join(problems))


MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 12


def weak_settings(secret_key: str, public_base_url: str) -> list[str]:
    """What is wrong with these production settings (an empty list when nothing is)."""
    problems = []
    key = secret_key or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        problems.append(f"set SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
                        "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    host = (public_base_url or "").split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if host in {"", "127.0.0.1", "localhost", "0.0.0.0", "::1"}:
        problems.append("set PUBLIC_BASE_URL to the address the public reaches (it is printed on reports)")
    return problems


CONFIGS = {
    "development": Config,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

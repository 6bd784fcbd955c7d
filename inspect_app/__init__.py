"""Tekseru: registry, surprise-inspection scheduling and audit reports for child-safety inspectorates."""

import os

from flask import Flask

from config import CONFIGS, Config, ProductionConfig


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application; the config comes from the argument or from `TEKSERU_CONFIG`."""
    if config_class is None:
        config_class = CONFIGS[os.environ.get("TEKSERU_CONFIG", "development")]
    if issubclass(config_class, ProductionConfig):
        config_class.check()
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_class)
    register_runtime(app)
    register_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_notifications(app)
    return app


def register_runtime(app: Flask) -> None:
    """The frozen Runtime the services are given (services/runtime.py), built once from the config."""
    from inspect_app.runtime import install_runtime

    install_runtime(app)


def register_notifications(app: Flask) -> None:
    """The outbox's pump: a thread of this process without Redis, RQ workers with it."""
    from inspect_app import notify_pump

    notify_pump.register(app)


def register_converters(app: Flask) -> None:
    """URL converters, before any rule uses them: ids in URLs are bounded to the database's integers."""
    from inspect_app.converters import register_converters as register

    register(app)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions of `extensions.py` to this app."""
    from inspect_app import models  # noqa: F401  (tables must be known to Alembic)
    from inspect_app.api.contract import ContractPlugin
    from inspect_app.auth.loader import init_login
    from inspect_app.database import engine_options
    from inspect_app.extensions import api, babel, csrf, db, limiter, migrate
    from inspect_app.i18n import select_locale, select_timezone, vary_by_language

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        os.makedirs(os.path.dirname(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]) or ".",
                    exist_ok=True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.after_request(vary_by_language)
    init_login(app)
    limiter.init_app(app)
    api.init_app(app, spec_kwargs={"extra_plugins": [ContractPlugin()]})
    from inspect_app.services.audits.visits import track_visit_states

    track_visit_states()


def register_blueprints(app: Flask) -> None:
    """Register the web, auth and API blueprints."""
    from inspect_app.api import register_api
    from inspect_app.auth.facility_link import bp as facility_link_bp
    from inspect_app.auth.routes import bp as auth_bp
    from inspect_app.web import register_web

    app.register_blueprint(auth_bp)
    app.register_blueprint(facility_link_bp)
    register_web(app)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, HTML pages elsewhere."""
    from inspect_app.database_errors import init_database
    from inspect_app.errors import init_errorhandlers

    init_errorhandlers(app)
    init_database(app)


def register_commands(app: Flask) -> None:
    """Register the `flask` CLI groups (registry, demo, users, ...)."""
    from inspect_app.cli import init_cli

    init_cli(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates share."""
    from inspect_app.web.filters import init_template_helpers

    init_template_helpers(app)


def register_security_headers(app: Flask) -> None:
    """CSP, framing, sniffing, referrer, HSTS and Cache-Control on every response."""
    from inspect_app.security import init_security_headers

    init_security_headers(app)

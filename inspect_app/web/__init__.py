"""Server-rendered web pages, one blueprint package per feature."""

from pathlib import Path

from flask import Flask, abort, redirect, request, send_from_directory, url_for
from flask_login import current_user

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
# Browser libraries come from package.json through `npm ci`; only these folders are served.
VENDOR_DIRS = {
    "leaflet": "leaflet/dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
    "chart.js": "chart.js/dist",
    "idb-keyval": "idb-keyval/dist",
    "swagger-ui-dist": "swagger-ui-dist",
}


def register_web(app: Flask) -> None:
    """Register the web blueprints and the route for npm-installed browser libraries."""
    from inspect_app.web.account.routes import bp as account_bp
    from inspect_app.web.audits.routes import bp as audits_bp
    from inspect_app.web.audits.routes import public_bp as verify_bp
    from inspect_app.web.calendar.routes import bp as calendar_bp
    from inspect_app.web.capacity.routes import bp as capacity_bp
    from inspect_app.web.checklists.routes import bp as checklists_bp
    from inspect_app.web.dashboard.routes import bp as dashboard_bp
    from inspect_app.web.facilities.routes import bp as facilities_bp
    from inspect_app.web.inspectors.routes import bp as inspectors_bp
    from inspect_app.web.jobs.routes import bp as jobs_bp
    from inspect_app.web.main.routes import bp as main_bp
    from inspect_app.web.notifications.routes import bp as notifications_bp
    from inspect_app.web.prescriptions.routes import bp as prescriptions_bp
    from inspect_app.web.registry.routes import bp as registry_bp
    from inspect_app.web.review.routes import bp as review_bp
    from inspect_app.web.route.routes import bp as route_bp
    from inspect_app.web.schedules.routes import bp as schedules_bp
    from inspect_app.web.settings.routes import bp as settings_bp
    from inspect_app.web.users.routes import bp as users_bp

    for blueprint in (main_bp, facilities_bp, inspectors_bp, registry_bp, jobs_bp, schedules_bp,
                      audits_bp, verify_bp, dashboard_bp, route_bp, calendar_bp,
                      capacity_bp, account_bp, users_bp, checklists_bp, settings_bp, review_bp,
                      notifications_bp, prescriptions_bp):
        app.register_blueprint(blueprint)
    app.before_request(_temporary_password_first)

    @app.route("/vendor/<package>/<path:filename>")
    def vendor(package: str, filename: str):
        """Serve a file of an npm-installed browser library."""
        if package not in VENDOR_DIRS:
            abort(404)
        return send_from_directory(NODE_MODULES / VENDOR_DIRS[package], filename, max_age=86400)


# What a user with a temporary password may still open: the page to replace it, sign-out, and files.
_BEFORE_NEW_PASSWORD = {"account.password_page", "auth.logout", "auth.login", "static", "vendor"}


def _temporary_password_first():
    """After signing in with a temporary password, every page leads to the password form until it is changed."""
    if (request.endpoint in _BEFORE_NEW_PASSWORD or request.path.startswith("/api/")
            or not getattr(current_user, "is_authenticated", False) or not current_user.must_change_password):
        return None
    return redirect(url_for("account.password_page"))

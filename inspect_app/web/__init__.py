"""Server-rendered web pages, one blueprint package per feature."""

from pathlib import Path

from flask import Flask, abort, send_from_directory

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
# Browser libraries come from package.json through `npm ci`; only these folders are served.
VENDOR_DIRS = {
    "leaflet": "leaflet/dist",
    "chart.js": "chart.js/dist",
    "idb-keyval": "idb-keyval/dist",
    "swagger-ui-dist": "swagger-ui-dist",
}


def register_web(app: Flask) -> None:
    """Register the web blueprints and the route for npm-installed browser libraries."""
    from inspect_app.web.audits.routes import bp as audits_bp
    from inspect_app.web.audits.routes import public_bp as verify_bp
    from inspect_app.web.calendar.routes import bp as calendar_bp
    from inspect_app.web.capacity.routes import bp as capacity_bp
    from inspect_app.web.dashboard.routes import bp as dashboard_bp
    from inspect_app.web.facilities.routes import bp as facilities_bp
    from inspect_app.web.inspectors.routes import bp as inspectors_bp
    from inspect_app.web.jobs.routes import bp as jobs_bp
    from inspect_app.web.main.routes import bp as main_bp
    from inspect_app.web.registry.routes import bp as registry_bp
    from inspect_app.web.route.routes import bp as route_bp
    from inspect_app.web.schedules.routes import bp as schedules_bp

    for blueprint in (main_bp, facilities_bp, inspectors_bp, registry_bp, jobs_bp, schedules_bp,
                      audits_bp, verify_bp, dashboard_bp, route_bp, calendar_bp,
                      capacity_bp):
        app.register_blueprint(blueprint)

    @app.route("/vendor/<package>/<path:filename>")
    def vendor(package: str, filename: str):
        """Serve a file of an npm-installed browser library."""
        if package not in VENDOR_DIRS:
            abort(404)
        return send_from_directory(NODE_MODULES / VENDOR_DIRS[package], filename, max_age=86400)

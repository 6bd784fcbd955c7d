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
    from inspect_app.web.main.routes import bp as main_bp

    app.register_blueprint(main_bp)

    @app.route("/vendor/<package>/<path:filename>")
    def vendor(package: str, filename: str):
        """Serve a file of an npm-installed browser library."""
        if package not in VENDOR_DIRS:
            abort(404)
        return send_from_directory(NODE_MODULES / VENDOR_DIRS[package], filename, max_age=86400)

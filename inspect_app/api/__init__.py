"""The REST API (flask-smorest): one module per resource, bearer-token authentication."""

from flask import Flask

from inspect_app.extensions import api, csrf


def register_api(app: Flask) -> None:
    """Register every API blueprint; they authenticate themselves, so CSRF is checked per request there."""
    from inspect_app.api import (
        audits,
        calendar,
        capacity,
        facilities,
        inspectors,
        prescriptions,
        registry,
        reviews,
        routes,
        schedules,
        statistics,
    )

    modules = (facilities, inspectors, registry, audits, prescriptions, schedules, routes, statistics, calendar,
               capacity, reviews)
    for module in modules:
        csrf.exempt(module.blp)
        # The web UI has blueprints of the same names; the API's endpoints are "api_facilities.*" and so on.
        api.register_blueprint(module.blp, url_prefix=f"/api/v1/{module.blp.url_prefix}", name=f"api_{module.blp.name}")
    # The document's sections are the blueprints' human tags (flask-smorest would list the endpoint prefixes).
    api.spec.options["tags"] = [{"name": module.blp.tag, "description": module.blp.description} for module in modules]

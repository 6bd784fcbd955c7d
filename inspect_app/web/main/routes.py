"""The home page: what the signed-in user works on."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from inspect_app.database import writes_on_read
from inspect_app.extensions import db
from inspect_app.models import Facility, Inspector
from inspect_app.services import access
from inspect_app.services.access import facility_filter, inspector_filter

bp = Blueprint("main", __name__)


@bp.route("/")
@writes_on_read  # an inspector's home page is the logged route of the day
@login_required
def index():
    """Counts of the registry the user may see; an inspector's home is today's route."""
    if access.is_inspector(current_user):
        from inspect_app.web.route.routes import render_day

        return render_day()
    facilities = db.session.scalar(sa.select(sa.func.count(Facility.id)).where(
        facility_filter(current_user), Facility.archived_at.is_(None)))
    inspectors = db.session.scalar(sa.select(sa.func.count(Inspector.id)).where(
        inspector_filter(current_user), Inspector.archived_at.is_(None)))
    by_risk = dict(db.session.execute(
        sa.select(Facility.risk, sa.func.count(Facility.id))
        .where(facility_filter(current_user), Facility.archived_at.is_(None))
        .group_by(Facility.risk)).all())
    by_type = dict(db.session.execute(
        sa.select(Facility.type, sa.func.count(Facility.id))
        .where(facility_filter(current_user), Facility.archived_at.is_(None))
        .group_by(Facility.type)).all())
    return render_template("main/index.html", facilities=facilities, inspectors=inspectors, by_risk=by_risk,
                           by_type=by_type)


# The app's name and description in each UI language: the manifest carries the asked one, the others under
# "translations" (so a phone set to Kazakh shows the Kazakh name on its home screen).
APP_NAMES = {
    "ru": ("Тексеру — проверки безопасности детей", "Тексеру",
           "Маршрут инспектора на день, проверки и отчёты — и без сети."),
    "kk": ("Тексеру — балалар қауіпсіздігін тексеру", "Тексеру",
           "Инспектордың күндік маршруты, тексерулер мен есептер — желісіз де."),
    "en": ("Tekseru — child-safety inspections", "Tekseru",
           "The inspector's route of the day, inspections and reports — offline too."),
}
THEME_COLOUR = "#10243e"  # the top bar's navy, as the icons


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: installed to a phone's home screen, Tekseru opens full screen at the user's home
    (an inspector's is today's route, kept offline by the service worker)."""
    languages = current_app.config["LANGUAGES"]
    lang = str(get_locale() or "ru")
    lang = lang if lang in languages else "ru"
    name, short_name, description = APP_NAMES[lang]

    def icon(filename: str, size: str, purpose: str, kind: str = "image/png") -> dict:
        return {"src": url_for("static", filename=f"icons/{filename}"), "sizes": size, "type": kind,
                "purpose": purpose}

    body = {
        "id": "/", "name": name, "short_name": short_name, "description": description, "lang": lang,
        "dir": "ltr", "start_url": url_for("main.index"), "scope": "/", "display": "standalone",
        "orientation": "any", "theme_color": THEME_COLOUR, "background_color": "#f5f7fa",
        "icons": [icon("tekseru-192.png", "192x192", "any"), icon("tekseru-512.png", "512x512", "any"),
                  icon("tekseru-maskable-512.png", "512x512", "maskable"),
                  icon("tekseru.svg", "any", "any", "image/svg+xml")],
        "translations": {other: {"name": APP_NAMES[other][0], "short_name": APP_NAMES[other][1],
                                 "description": APP_NAMES[other][2]} for other in languages if other != lang},
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    return response

"""The home page: what the signed-in user works on."""

import sqlalchemy as sa
from flask import Blueprint, render_template
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

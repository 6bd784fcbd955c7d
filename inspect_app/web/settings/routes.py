"""The settings page: values in force (national, and a region's own route release hours), a form per setting,
and the history of changes. A change applies to later work only."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.models import Region
from inspect_app.models.setting import SPECS, current, stored
from inspect_app.services import access
from inspect_app.services import settings as service
from inspect_app.services.errors import ServiceError
from inspect_app.services.regions import region_by_kato
from inspect_app.web.account.forms import ConfirmForm

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _page(errors: dict, status: int = 200, typed: dict | None = None):
    regions = list(db.session.scalars(sa.select(Region).order_by(Region.kato)))
    regional = [(r, {k: stored(k, r.id) for k, spec in SPECS.items() if spec.per_region}) for r in regions]
    return render_template("settings/index.html", specs=SPECS, values={k: current(k) for k in SPECS},
                           regional=[(r, v) for r, v in regional if any(v.values())], regions=regions,
                           history=service.history(db.session), form=ConfirmForm(), errors=errors,
                           typed=typed or {}), status


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """Show the settings; a POST changes one (`key`, `value`, optionally `region` for release hours)."""
    access.require_settings_editor(current_user)
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _page({})
    key, raw = request.form.get("key", ""), request.form.get("value", "")
    try:
        kato = request.form.get("region") or None
        region = region_by_kato(db.session, kato, "region") if kato else None
        row = service.set_value(db.session, current_user._get_current_object(), key, raw, region)
    except ServiceError as error:
        if not error.field:
            raise
        db.session.rollback()
        field = "region" if error.field == "region" else key
        return _page({field: [error.message]}, 422, {key: raw})
    flash(_("Настройка сохранена; она действует для дальнейшей работы.") if row is not None else
          _("Значение не изменилось."), "success")
    return redirect(url_for("settings.index"))

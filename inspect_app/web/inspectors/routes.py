"""Inspector pages: the list, one inspector with home base and calendar, create, edit, archive."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.models import Region
from inspect_app.schemas.inspector import InspectorInputSchema, InspectorQueryArgsSchema, InspectorUpdateSchema
from inspect_app.services.access import region_filter, require_registry_editor, require_registry_reader
from inspect_app.services.registry import inspectors as service
from inspect_app.web.facilities.forms import ArchiveForm
from inspect_app.web.forms_io import choices, group_errors, save_submitted
from inspect_app.web.inspectors.forms import InspectorForm, format_absences
from inspect_app.web.query_args import list_filters, page_arg

bp = Blueprint("inspectors", __name__, url_prefix="/inspectors")

PER_PAGE = 50
FILTERS = ("q", "region", "skill", "archived")


def _regions() -> list[Region]:
    return list(db.session.scalars(sa.select(Region).where(region_filter(current_user)).order_by(Region.kato)))


def _prepare(form: InspectorForm) -> InspectorForm:
    locale = str(get_locale() or "ru")
    form.region_katos.choices = choices([(r.kato, r.name(locale)) for r in _regions()])
    return form


def _initial(inspector) -> dict:
    # Only the conflicts the user may see: the service keeps the others when the form is saved.
    shown, _hidden = service.visible_conflicts(current_user, inspector)
    return {
        "full_name": inspector.full_name, "username": inspector.user.username if inspector.user else "",
        "agency": inspector.agency, "region_katos": inspector.region_katos, "skills": inspector.skills,
        "home_address": inspector.home_address, "home_lat": str(inspector.home_lat),
        "home_lon": str(inspector.home_lon), "max_visits_per_day": str(inspector.max_visits_per_day),
        "max_minutes_per_day": str(inspector.max_minutes_per_day), "day_start": inspector.day_start,
        "day_end": inspector.day_end, "absences": format_absences(inspector.absences),
        "conflict_bins": ", ".join(c.facility.bin for c in shown),
    }


@bp.route("/")
@login_required
def index():
    """The inspectors the user may see, filtered."""
    require_registry_reader(current_user)
    args = list_filters(InspectorQueryArgsSchema(), request.args, FILTERS)
    raw = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    page = db.paginate(service.inspector_query(current_user, args), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("inspectors/index.html", page=page, args=args, regions=_regions(), query_args=raw)


@bp.route("/<int:inspector_id>")
@login_required
def show(inspector_id: int):
    """One inspector: skills, regions, home base, capacity, absences, conflicts of interest."""
    require_registry_reader(current_user)
    inspector = service.get_inspector(db.session, current_user, inspector_id)
    conflicts, hidden_conflicts = service.visible_conflicts(current_user, inspector)
    return render_template("inspectors/show.html", inspector=inspector, archive_form=ArchiveForm(),
                           conflicts=conflicts, hidden_conflicts=hidden_conflicts)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Add an inspector; errors appear next to their fields and the typed values stay."""
    require_registry_editor(current_user)
    form = _prepare(InspectorForm())
    inspector, errors, status = save_submitted(
        form, InspectorInputSchema(), lambda data: service.create_inspector(db.session, current_user, data),
        group_errors)
    if inspector is not None:
        flash(_("Инспектор добавлен."), "success")
        return redirect(url_for("inspectors.show", inspector_id=inspector.id))
    return render_template("inspectors/form.html", form=form, errors=errors, inspector=None), status


@bp.route("/<int:inspector_id>/edit", methods=["GET", "POST"])
@login_required
def edit(inspector_id: int):
    """Edit an inspector."""
    require_registry_editor(current_user)
    inspector = service.get_inspector(db.session, current_user, inspector_id)
    form = _prepare(InspectorForm() if request.method == "POST" else InspectorForm(data=_initial(inspector)))
    saved, errors, status = save_submitted(
        form, InspectorUpdateSchema(), lambda data: service.update_inspector(db.session, current_user, inspector, data),
        group_errors)
    if saved is not None:
        flash(_("Изменения сохранены."), "success")
        return redirect(url_for("inspectors.show", inspector_id=inspector.id))
    return render_template("inspectors/form.html", form=form, errors=errors, inspector=inspector), status


@bp.route("/<int:inspector_id>/archive", methods=["POST"])
@login_required
def archive(inspector_id: int):
    """Archive an inspector: new schedules leave them out."""
    inspector = service.get_inspector(db.session, current_user, inspector_id)
    if ArchiveForm().validate_on_submit():
        service.archive_inspector(db.session, current_user, inspector)
        flash(_("Инспектор перенесён в архив."), "success")
    return redirect(url_for("inspectors.show", inspector_id=inspector.id))

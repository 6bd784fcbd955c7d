"""Facility pages: the filtered list, one facility with its map and history, create, edit, archive."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.models import District, Region
from inspect_app.schemas.calendar import ClosureSchema
from inspect_app.schemas.facility import FacilityInputSchema, FacilityQueryArgsSchema, FacilityUpdateSchema
from inspect_app.schemas.opening_hours import format_opening_hours
from inspect_app.services import access
from inspect_app.services.access import region_filter, require_registry_editor
from inspect_app.services.calendar import closures
from inspect_app.services.prescriptions import queries as prescriptions
from inspect_app.services.registry import facilities as service
from inspect_app.services.schedules.signals import refused_entries
from inspect_app.web.calendar.forms import ClosureForm
from inspect_app.web.facilities.forms import ArchiveForm, FacilityForm
from inspect_app.web.forms_io import choices, save_submitted
from inspect_app.web.query_args import list_filters, page_arg

bp = Blueprint("facilities", __name__, url_prefix="/facilities")

PER_PAGE = 50
INPUT_FIELDS = tuple(FacilityInputSchema().fields)
FILTERS = ("q", "type", "agency", "risk", "status", "region", "district", "overdue", "archived", "sort")


def list_args(args) -> dict:
    """The list filters of a query string; a bad value is dropped rather than failing the page."""
    return list_filters(FacilityQueryArgsSchema(), args, FILTERS)


def geo_choices(locale: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Region and district options of the regions the user works in."""
    regions = db.session.scalars(sa.select(Region).where(region_filter(current_user)).order_by(Region.kato)).all()
    districts = db.session.scalars(
        sa.select(District).join(Region).where(region_filter(current_user)).order_by(District.kato)).all()
    many = len(regions) > 1
    region_options = [(r.kato, r.name(locale)) for r in regions]
    district_options = [("", "—")] + [
        (d.kato, f"{d.region.name(locale)} · {d.name(locale)}" if many else d.name(locale)) for d in districts]
    return region_options, district_options


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "ru")


def _prepare(form: FacilityForm) -> FacilityForm:
    regions, districts = geo_choices(_locale())
    form.region_kato.choices = choices(regions if len(regions) == 1 else [("", "—"), *regions])
    form.district_kato.choices = choices(districts)
    return form


def _initial(facility) -> dict:
    return {
        **{name: getattr(facility, name) for name in INPUT_FIELDS
           if name not in ("region_kato", "district_kato", "opening_hours")},
        "region_kato": facility.region.kato,
        "district_kato": facility.district.kato if facility.district else "",
        "opening_hours": format_opening_hours(facility.opening_hours),
        "version": facility.version,
    }


@bp.route("/")
@login_required
def index():
    """The facilities the user may see, filtered, sorted and paginated."""
    args = list_args(request.args)
    if not request.args.get("sort"):
        args["sort"] = "name"  # the name in the UI language
    query = service.facility_query(current_user, args, locale=_locale())
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE,
                       error_out=False, count=True)
    regions, districts = geo_choices(_locale())
    query_args = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    return render_template("facilities/index.html", page=page, args=args, regions=regions,
                           districts=districts[1:], query_args=query_args)


@bp.route("/<int:facility_id>")
@login_required
def show(facility_id: int, closure_form=None, closure_errors=None, status=200):
    """One facility: every field, a map, its closures, its audits, violations and follow-ups, and its history."""
    facility = service.get_facility(db.session, current_user, facility_id)
    history = service.facility_history(db.session, facility)
    may_edit = access.may_edit_facility(current_user, facility)
    refused = refused_entries(db.session, facility_id=facility.id) if access.may_read_registry(current_user) else []
    return render_template("facilities/show.html", facility=facility, history=history, may_edit=may_edit,
                           hours=format_opening_hours(facility.opening_hours), archive_form=ArchiveForm(),
                           refused=refused, closures=closures.facility_closures(db.session, facility),
                           closure_form=closure_form or ClosureForm(), closure_errors=closure_errors or {},
                           delete_form=ArchiveForm(), prescription_rows=prescriptions.item_rows(
                               db.session, prescriptions.item_query(current_user, {"facility_id": facility.id,
                                                                                   "state": "unclosed"})),
                           inspections=service.facility_inspections(db.session, current_user, facility)), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Register a facility; the schema's errors and the service's refusals appear next to their fields."""
    require_registry_editor(current_user)
    form = _prepare(FacilityForm())
    facility, errors, status = save_submitted(
        form, FacilityInputSchema(), lambda data: service.create_facility(db.session, current_user, data),
        fields=INPUT_FIELDS)
    if facility is not None:
        flash(_("Объект добавлен в реестр."), "success")
        return redirect(url_for("facilities.show", facility_id=facility.id))
    return render_template("facilities/form.html", form=form, errors=errors, facility=None), status


@bp.route("/<int:facility_id>/edit", methods=["GET", "POST"])
@login_required
def edit(facility_id: int):
    """Edit a facility; the hidden version refuses an edit made on a stale copy."""
    require_registry_editor(current_user)
    facility = service.get_facility(db.session, current_user, facility_id)
    form = _prepare(FacilityForm() if request.method == "POST" else FacilityForm(data=_initial(facility)))
    saved, errors, status = save_submitted(
        form, FacilityUpdateSchema(), lambda data: service.update_facility(db.session, current_user, facility, data),
        fields=(*INPUT_FIELDS, "version"))
    if status == 409 and "version" in errors:
        errors = {"_schema": [_("Пока вы редактировали, объект изменил кто-то другой. "
                                "Откройте его заново и внесите правку ещё раз.")]}
    if saved is not None:
        flash(_("Изменения сохранены."), "success")
        return redirect(url_for("facilities.show", facility_id=facility.id))
    return render_template("facilities/form.html", form=form, errors=errors, facility=facility), status


@bp.route("/<int:facility_id>/archive", methods=["POST"])
@login_required
def archive(facility_id: int):
    """Archive a facility: it leaves the lists, its history stays."""
    facility = service.get_facility(db.session, current_user, facility_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        service.archive_facility(db.session, current_user, facility, form.note.data or "")
        flash(_("Объект перенесён в архив."), "success")
    return redirect(url_for("facilities.show", facility_id=facility.id))


@bp.route("/<int:facility_id>/closures", methods=["POST"])
@login_required
def add_closure(facility_id: int):
    """Record a closure (supervisors of the region); errors appear beside the fields, the typed values stay."""
    facility = service.get_facility(db.session, current_user, facility_id)
    form = ClosureForm()
    saved, errors, status = save_submitted(
        form, ClosureSchema(), lambda data: closures.add_closure(db.session, current_user, facility, data))
    if saved is not None:
        flash(_("Закрытие объекта сохранено."), "success")
        return redirect(url_for("facilities.show", facility_id=facility.id, _anchor="closures"))
    return show(facility.id, closure_form=form, closure_errors=errors, status=status if errors else 400)


@bp.route("/<int:facility_id>/closures/<int:closure_id>/delete", methods=["POST"])
@login_required
def remove_closure(facility_id: int, closure_id: int):
    """Remove a closure (the history keeps it)."""
    facility = service.get_facility(db.session, current_user, facility_id)
    if ArchiveForm().validate_on_submit():
        closures.remove_closure(db.session, current_user, facility, closure_id)
        flash(_("Закрытие объекта удалено."), "success")
    return redirect(url_for("facilities.show", facility_id=facility.id, _anchor="closures"))

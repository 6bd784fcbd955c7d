"""Import and export of the registry, and the review of likely duplicates."""

import base64
import io
import os

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from exports.tabular import write_csv
from inspect_app.extensions import db
from inspect_app.messages import ui_message
from inspect_app.models import DuplicateCandidate, DuplicateStatus
from inspect_app.models.vocab import EXPORT_FORMATS
from inspect_app.schemas.facility import FacilityQueryArgsSchema
from inspect_app.services.access import require_registry_editor, require_registry_reader
from inspect_app.services.errors import NotFound, ServiceError
from inspect_app.services.registry import duplicates, facilities
from inspect_app.services.registry.import_export import PEOPLE_FORMATS, export_to_tempfile, import_registry
from inspect_app.web.downloads import exact_type
from inspect_app.web.facilities.routes import list_args
from inspect_app.web.forms_io import service_errors
from inspect_app.web.registry.forms import ActionForm, ImportForm

bp = Blueprint("registry", __name__, url_prefix="/registry")
# The list filters the exporter applies; text search and district are list-only.
EXPORT_FILTERS = ("type", "agency", "risk", "status", "region")
# The files for programs and GIS, keyed by column names (the people's XLSX and Excel CSV come first on the page).
MACHINE_FORMATS = ("csv", "json", "geojson")


def rejects_csv_href(rejects: list[dict]) -> str | None:
    """The rejected rows (with their `error` column) as a data: URL, so the page can offer them without storage."""
    if not rejects:
        return None
    # The importer joins a row's messages with "; "; each is shown in the UI language.
    rejects = [{**row, "error": "; ".join(ui_message(m) for m in str(row.get("error", "")).split("; "))}
               if row.get("error") else row for row in rejects]
    columns = list(dict.fromkeys(key for row in rejects for key in row))
    buffer = io.BytesIO()
    write_csv(rejects, [(c, c) for c in columns], buffer)
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page():
    """Upload a registry file; shows the counts and every error by row and column."""
    require_registry_editor(current_user)
    form = ImportForm()
    result, errors, status = None, {}, 200
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            errors, status = {"file": [_("Выберите файл.")]}, 422
        else:
            try:
                result = import_registry(db.session, current_user, upload.stream, upload.filename,
                                         partial=form.partial.data,
                                         max_rows=current_app.config["IMPORT_MAX_ROWS"])
            except ServiceError as exc:
                if not exc.field:
                    raise
                db.session.rollback()
                errors, status = service_errors(exc), 422
            else:
                status = 200 if result.committed else 422
    return render_template("registry/import.html", form=form, result=result, errors=errors,
                           rejects_href=rejects_csv_href(result.rejects) if result else None), status


@bp.route("/export")
@login_required
def export_page():
    """Choose a format; the current list filters carry over to the download."""
    require_registry_reader(current_user)
    args = {k: request.args[k] for k in EXPORT_FILTERS if request.args.get(k)}
    return render_template("registry/export.html", args=args, machine_formats=MACHINE_FORMATS,
                           dropped=[k for k in ("q", "district") if request.args.get(k)])


@bp.route("/export/<fmt>")
@login_required
def export(fmt: str):
    """Download the registry the user may see, filtered, in one format: XLSX and the Excel CSV for people
    (headers in the UI language), CSV, JSON and GeoJSON for programs (column keys)."""
    if fmt not in EXPORT_FORMATS and fmt not in PEOPLE_FORMATS:
        raise NotFound(_("Неизвестный формат."))
    try:
        args = FacilityQueryArgsSchema().load({k: v for k, v in request.args.items() if v})
    except ValidationError:
        args = list_args(request.args)
    for_people = fmt in PEOPLE_FORMATS
    path = export_to_tempfile(db.session, current_user, fmt, args, for_people=for_people)

    @after_this_request
    def _remove(response):
        os.unlink(path)
        return response

    mimetype, extension = (PEOPLE_FORMATS if for_people else EXPORT_FORMATS)[fmt]
    name = "registry-excel" if fmt == "csv_excel" else "registry"
    return exact_type(send_file(path, mimetype=mimetype, as_attachment=True, download_name=f"{name}.{extension}"),
                      mimetype)


@bp.route("/duplicates")
@login_required
def duplicates_page():
    """Open pairs of likely duplicates, side by side."""
    require_registry_reader(current_user)
    candidates = db.session.scalars(duplicates.candidate_query(current_user)).all()
    return render_template("registry/duplicates.html", candidates=candidates, form=ActionForm())


@bp.route("/duplicates/scan", methods=["POST"])
@login_required
def scan():
    """Look for new likely duplicates among the facilities the user may see."""
    form = ActionForm()
    if form.validate_on_submit():
        added = duplicates.find_duplicates(db.session, current_user)
        flash(_("Найдено новых пар: %(n)s.", n=added), "success")
    return redirect(url_for("registry.duplicates_page"))


@bp.route("/duplicates/<int:candidate_id>/merge", methods=["POST"])
@login_required
def merge(candidate_id: int):
    """Merge one record of a pair into the other (`keep` says which survives: a or b)."""
    form = ActionForm()
    candidate = db.session.get(DuplicateCandidate, candidate_id)
    if candidate is None or candidate.status != DuplicateStatus.OPEN or form.keep.data not in ("a", "b"):
        raise NotFound(_("Пара не найдена."))
    a = facilities.get_facility(db.session, current_user, candidate.facility_a_id)
    b = facilities.get_facility(db.session, current_user, candidate.facility_b_id)
    keep, drop = (a, b) if form.keep.data == "a" else (b, a)
    if not form.validate_on_submit():
        return redirect(url_for("registry.duplicates_page"))
    if request.form.get("confirm") != "1":
        # The first press only says what merging does; the confirmed form below merges.
        locale = str(get_locale() or "ru")
        effects = [
            _("«%(d)s» (БИН %(db)s) будет архивирована и присоединена к «%(k)s» (БИН %(kb)s).",
              d=drop.name(locale), db=drop.bin, k=keep.name(locale), kb=keep.bin),
            _("Её проверки, посещения графиков и конфликты интересов перейдут к сохраняемой записи."),
            _("История обеих записей останется доступной на странице сохраняемой записи; отменить объединение "
              "нельзя."),
        ]
        return render_template("confirm.html", title=_("Объединить записи?"), effects=effects,
                               button=_("Объединить"), refusal=None, form=form, hidden={},
                               action=request.path, back=url_for("registry.duplicates_page"))
    duplicates.merge_facilities(db.session, current_user, keep, drop)
    flash(_("Записи объединены; история обеих сохранена."), "success")
    return redirect(url_for("facilities.show", facility_id=keep.id))


@bp.route("/duplicates/<int:candidate_id>/dismiss", methods=["POST"])
@login_required
def dismiss(candidate_id: int):
    """Mark a pair as two different places."""
    form = ActionForm()
    if form.validate_on_submit():
        duplicates.dismiss_candidate(db.session, current_user, candidate_id)
        flash(_("Пара отмечена как разные объекты."), "success")
    return redirect(url_for("registry.duplicates_page"))

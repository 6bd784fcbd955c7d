"""Checklists in the browser: versions, upload with checking, preview (phone form and PDF), diff against the
version in force, activation from a date, YAML download."""

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

import forms
from inspect_app.extensions import db
from inspect_app.i18n import today_almaty
from inspect_app.labels import SEVERITY_LABELS, template_problem
from inspect_app.services import access, checklists
from inspect_app.services import checklist_versions as service
from inspect_app.services.errors import ServiceError
from inspect_app.web.audits.pages import template_items
from inspect_app.web.checklists.forms import ActivateForm, UploadForm

bp = Blueprint("checklists", __name__, url_prefix="/checklists")


@bp.context_processor
def _labels():
    return {"SEVERITY_LABELS": SEVERITY_LABELS}  # the phone form's badges (audits/_checklist_form.html)


def _lang() -> str:
    return str(get_locale() or "ru")


def _problem_text(problem) -> str:
    where = []
    if problem.line:
        where.append(_("строка %(n)s", n=problem.line))
    if problem.field:
        where.append(_("поле %(name)s", name=problem.field))
    return (", ".join(where) + ": " if where else "") + template_problem(problem.code, problem.params)


@bp.route("/")
@login_required
def index():
    """Every version the user may see, with its state (draft, in force, scheduled, replaced)."""
    access.require_checklist_reader(current_user)
    rows = db.session.scalars(service.version_query(current_user)).all()
    in_force = {code: row.id for code in {r.code for r in rows}
                if (row := checklists.latest_template(db.session, code)) is not None}
    return render_template("checklists/index.html", rows=rows,
                           states={r.id: service.state(r, in_force.get(r.code)) for r in rows})


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Upload a YAML template; each problem is listed with its line and field, and nothing is stored."""
    access.require_checklist_reader(current_user)
    form = UploadForm()
    errors, status = {}, 200
    if form.validate_on_submit():
        text, filename = form.yaml_input()
        try:
            row = service.upload(db.session, current_user._get_current_object(), text, filename)
        except service.TemplateRefused as refused:
            db.session.rollback()
            errors, status = {"file": [_problem_text(p) for p in refused.problems]}, 422
        except ServiceError as error:
            if not error.field:
                raise
            db.session.rollback()
            errors, status = {"file": [error.message]}, error.status
        else:
            flash(_("Версия загружена как черновик. Проверьте изменения и введите её в действие."), "success")
            return redirect(url_for("checklists.show", template_id=row.id))
    return render_template("checklists/upload.html", form=form, errors=errors), status


@bp.route("/<int:template_id>")
@login_required
def show(template_id: int):
    """One version: what it changes against the version in force, previews, download, activation."""
    row = service.get_version(db.session, current_user, template_id)
    in_force, changes = service.changes_against_in_force(db.session, row)
    region = service._region_of(db.session, row)
    return render_template("checklists/show.html", row=row, in_force=in_force, changes=changes,
                           state=service.state(row, in_force.id if in_force else None), lang=_lang(),
                           may_manage=access.may_manage_checklist(current_user, region),
                           form=ActivateForm(data={"active_from": today_almaty().isoformat()}), errors={},
                           types=forms.FACILITY_TYPES)


@bp.route("/<int:template_id>/activate", methods=["POST"])
@login_required
def activate(template_id: int):
    """Put a draft in force from a date (today or later)."""
    row = service.get_version(db.session, current_user, template_id)
    form = ActivateForm()
    errors = {}
    if form.validate_on_submit():
        try:
            when = date.fromisoformat((form.active_from.data or "").strip())
        except ValueError:
            errors = {"active_from": [_("Введите дату в виде ГГГГ-ММ-ДД.")]}
        else:
            try:
                service.activate(db.session, current_user._get_current_object(), row, when)
            except ServiceError as error:
                if not error.field or error.status == 403:
                    raise
                db.session.rollback()
                errors = {"active_from": [error.message]}
            else:
                flash(_("Версия введена в действие."), "success")
                return redirect(url_for("checklists.show", template_id=row.id))
    in_force, changes = service.changes_against_in_force(db.session, row)
    return render_template("checklists/show.html", row=row, in_force=in_force, changes=changes,
                           state=service.state(row, in_force.id if in_force else None), lang=_lang(),
                           may_manage=access.may_manage_checklist(current_user, service._region_of(db.session, row)),
                           form=form, errors=errors, types=forms.FACILITY_TYPES), 422


@bp.route("/<int:template_id>/preview")
@login_required
def preview(template_id: int):
    """The version as an inspector's phone shows it, for one facility type."""
    row = service.get_version(db.session, current_user, template_id)
    facility_type = request.args.get("type") if request.args.get("type") in forms.FACILITY_TYPES else "school"
    return render_template("checklists/preview.html", row=row, facility_type=facility_type, types=forms.FACILITY_TYPES,
                           sections=template_items(checklists.parsed(row), facility_type, _lang()))


@bp.route("/<int:template_id>/preview.pdf")
@login_required
def preview_pdf(template_id: int):
    """The report this version prints, unanswered, in the UI language."""
    row = service.get_version(db.session, current_user, template_id)
    facility_type = request.args.get("type") if request.args.get("type") in forms.FACILITY_TYPES else "school"
    pdf = service.preview_pdf(row, facility_type, _lang())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename={row.code}-v{row.version}-preview.pdf"})


@bp.route("/<int:template_id>.yaml")
@login_required
def download(template_id: int):
    """The version as YAML (as uploaded, or the stored content of a version loaded from the files)."""
    row = service.get_version(db.session, current_user, template_id)
    return Response(service.as_yaml(row), mimetype="application/yaml", headers={
        "Content-Disposition": f"attachment; filename={row.code}-v{row.version}.yaml"})

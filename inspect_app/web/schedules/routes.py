"""Schedule pages: thin views over `services.schedules`."""

from flask import Blueprint, Response, abort, flash, json, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from inspect_app.extensions import db
from inspect_app.schemas.schedule import ScheduleBuildSchema, ScheduleEditSchema
from inspect_app.services import route_access
from inspect_app.services import schedules as service
from inspect_app.services.errors import InvalidInput, ServiceError
from inspect_app.web.schedules.forms import BuildForm, EditForm, PublishForm

bp = Blueprint("schedules", __name__)


def _form_data(form, names: tuple[str, ...]) -> dict:
    # Empty fields mean "not given", so the schema's defaults apply.
    return {k: request.form.get(k) for k in names if request.form.get(k) not in (None, "")}


def _build_form() -> BuildForm:
    form = BuildForm()
    regions = service.buildable_regions(db.session, current_user)
    choices = [(r.kato, r.name(str(get_locale() or "ru"))) for r in regions]
    if current_user.role == "admin":
        choices = [("", _("Вся страна (по регионам)")), *choices]
    form.region.choices = choices
    return form


@bp.route("/schedules/")
@login_required
def index():
    """Schedules the user may see, and the build form for those who may build."""
    if current_user.role == "inspector":
        return redirect(url_for("route.my_route"))
    items = db.session.scalars(service.schedule_query(current_user, request.args).limit(100)).all()
    form = _build_form() if current_user.role in ("admin", "supervisor") else None
    return render_template("schedules/index.html", schedules=items, form=form, errors={})


@bp.route("/schedules/build", methods=["POST"])
@login_required
def build():
    """Start a build job and follow it on the job page."""
    form = _build_form()
    errors: dict = {}
    if form.validate_on_submit():
        try:
            data = ScheduleBuildSchema().load(_form_data(form, ("region", "start", "days", "seed", "time_limit")))
            job = service.submit_build(db.session, current_user, data)
            return redirect(url_for("jobs.show", job_id=job.id))
        except ValidationError as exc:
            errors = exc.messages
        except InvalidInput as exc:
            errors = exc.errors or {"_schema": [exc.message]}
    else:
        errors = form.errors
    items = db.session.scalars(service.schedule_query(current_user).limit(100)).all()
    return render_template("schedules/index.html", schedules=items, form=form, errors=errors), 422


def _edit_form(schedule, summary) -> EditForm:
    form = EditForm()
    visits = [(str(s["visit_id"]), f"{r['date']} · {r['inspector'].full_name if r['inspector'] else ''} · "
                                   f"{s['facility'].name_ru if s['facility'] else ''}")
              for r in summary["routes"] for s in r["stops"]]
    form.visit_id.choices = visits
    form.other_visit_id.choices = visits
    form.date.choices = [("", "—"), *[(d, d) for d in summary["dates"]]]
    form.inspector_id.choices = [("", "—"), *[(str(i.id), i.full_name) for i in summary["inspectors"]]]
    form.version.data = str(schedule.version)
    return form


@bp.route("/schedules/<int:schedule_id>")
@login_required
def show(schedule_id: int):
    """Review: routes by inspector and date, a map, stats, unscheduled facilities, edits, publishing."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    route_access.record(db.session, current_user, "page", schedule=schedule, what=request.path)
    summary = service.schedule_summary(db.session, schedule)
    return render_template("schedules/show.html", schedule=schedule, s=summary,
                           edit_form=_edit_form(schedule, summary), publish_form=PublishForm(),
                           map_data=_map_data(summary))


def _map_data(summary) -> list:
    return [{"inspector": r["inspector"].full_name if r["inspector"] else "", "date": r["date"], "home": r["home"],
             "stops": [{"name": s["facility"].name_ru, "lat": s["facility"].lat, "lon": s["facility"].lon,
                        "start": s["start"], "end": s["end"], "must": s["must_visit"]}
                       for s in r["stops"] if s["facility"]]}
            for r in summary["routes"]]


@bp.route("/schedules/<int:schedule_id>/edit", methods=["POST"])
@login_required
def edit(schedule_id: int):
    """Apply one hand edit; refusals name the broken rule, accepted edits show predictability warnings."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    if not EditForm().validate_on_submit():
        abort(400)
    try:
        data = ScheduleEditSchema().load(_form_data(None, ("action", "visit_id", "other_visit_id", "date",
                                                           "inspector_id", "version")))
        result = service.edit_schedule(db.session, current_user, schedule, data)
    except ValidationError as exc:
        flash(_("Правка не принята: %(m)s", m="; ".join(f"{k}: {v}" for k, v in exc.messages.items())), "error")
    except InvalidInput as exc:
        rules = ", ".join(exc.errors.get("rules", [])) if exc.errors else ""
        flash(_("Правка нарушает правила (%(rules)s): %(m)s", rules=rules, m=exc.message), "error")
    except ServiceError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("Правка сохранена."), "success")
        for warning in result.warnings:
            flash(_("Предупреждение о предсказуемости (%(rule)s): %(m)s", rule=warning["rule"],
                    m=warning["message"]), "warning")
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


@bp.route("/schedules/<int:schedule_id>/publish", methods=["POST"])
@login_required
def publish(schedule_id: int):
    """Publish the draft and show its commitment."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    if PublishForm().validate_on_submit():
        schedule = service.publish_schedule(db.session, current_user, schedule)
        flash(_("График опубликован. Обязательство (SHA-256): %(c)s", c=schedule.commitment), "success")
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


@bp.route("/schedules/<int:schedule_id>/export.json")
@login_required
def export(schedule_id: int):
    """Download the schedule (or `?what=problem`, its problem) in the engine's JSON format."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    what = "problem" if request.args.get("what") == "problem" else "schedule"
    route_access.record(db.session, current_user, "export", schedule=schedule, what=f"{request.path} {what}")
    data = service.export_problem(schedule) if what == "problem" else service.export_schedule(schedule)
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={what}-{schedule.id}.json"})


@bp.route("/schedules/commitment/<commitment>")
def commitment(commitment: str):
    """Public: confirms that a schedule with this commitment was published, when and for which region."""
    schedule = service.find_commitment(db.session, commitment)
    return render_template("schedules/commitment.html", schedule=schedule)

"""Schedule pages: thin views over `services.schedules`."""

from flask import Blueprint, Response, abort, flash, json, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from inspect_app.database import writes_on_read
from inspect_app.extensions import db
from inspect_app.labels import field_label, predictability_sentence
from inspect_app.messages import ui_message
from inspect_app.models import ScheduleStatus
from inspect_app.models import setting as settings_values
from inspect_app.runtime import current_runtime
from inspect_app.schemas.schedule import ScheduleAbsenceSchema, ScheduleBuildSchema, ScheduleEditSchema, UrgentSchema
from inspect_app.services import access
from inspect_app.services import schedules as service
from inspect_app.services.errors import Conflict, InvalidInput, ServiceError
from inspect_app.services.schedules import read_log
from inspect_app.web.filters import almaty
from inspect_app.web.forms_io import choices, flatten_errors
from inspect_app.web.schedules.forms import (
    URGENT_REASON_LABELS,
    AbsenceForm,
    BuildForm,
    EditForm,
    PublishForm,
    UrgentForm,
)

bp = Blueprint("schedules", __name__)


def _form_data(form, names: tuple[str, ...]) -> dict:
    # Empty fields mean "not given", so the schema's defaults apply.
    return {k: request.form.get(k) for k in names if request.form.get(k) not in (None, "")}


def _refusal(messages: dict) -> str:
    """A schema's refusal as one line: each field by its label, each message in the UI language."""
    return "; ".join((f"{field_label(field.split('.')[0])}: " if field != "_schema" else "")
                     + ", ".join(ui_message(m) for m in items) for field, items in flatten_errors(messages).items())


def _build_form() -> BuildForm:
    form = BuildForm()
    regions = service.buildable_regions(db.session, current_user)
    choices = [(r.kato, r.name(str(get_locale() or "ru"))) for r in regions]
    if access.may_build_nationally(current_user):
        choices = [("", _("Вся страна (по регионам)")), *choices]
    form.region.choices = choices
    return form


@bp.route("/schedules/")
@login_required
def index():
    """Schedules the user may see, and the build form for those who may build."""
    if access.is_inspector(current_user):
        return redirect(url_for("route.my_route"))
    items = db.session.scalars(service.schedule_query(current_user, request.args).limit(100)).all()
    form = _build_form() if access.may_build_schedules(current_user) else None
    return render_template("schedules/index.html", schedules=items, form=form, errors={})


@bp.route("/schedules/build", methods=["POST"])
@login_required
def build():
    """Start a build job and follow it on the job page."""
    form = _build_form()
    errors: dict = {}
    if form.validate_on_submit():
        try:
            data = ScheduleBuildSchema().load(_form_data(form, ("region", "start", "days", "seed", "time_limit",
                                                                "fill", "replaces", "replace_from")))
            job = service.submit_build(db.session, current_user, data, current_runtime())
            return redirect(url_for("jobs.show", job_id=job.id))
        except ValidationError as exc:
            errors = exc.messages
        except (InvalidInput, Conflict) as exc:
            errors = exc.errors or {"_schema": [exc.message]}
    else:
        errors = form.errors
    items = db.session.scalars(service.schedule_query(current_user).limit(100)).all()
    return render_template("schedules/index.html", schedules=items, form=form, errors=errors), 422


def _edit_form(schedule, summary, names: dict[int, str]) -> EditForm:
    form = EditForm()
    locale = str(get_locale() or "ru")
    visits = [(str(s["visit_id"]), f"{almaty(r['date'], 'EEE d MMM')} {s['start']} · "
                                   f"{names.get(r['inspector_id'], '')} · "
                                   f"{s['facility'].name(locale) if s['facility'] else ''}")
              for r in summary["routes"] for s in r["stops"]]
    form.visit_id.choices = visits
    form.other_visit_id.choices = visits
    form.date.choices = [("", "—"), *[(d, almaty(d, "EEE d MMM")) for d in summary["dates"]]]
    form.inspector_id.choices = [("", "—"), *[(str(i.id), names[i.id]) for i in summary["inspectors"]]]
    form.version.data = str(schedule.version)
    return form


@bp.route("/schedules/<int:schedule_id>")
@writes_on_read
@login_required
def show(schedule_id: int):
    """Review: routes by inspector and date, a map, stats, unscheduled facilities, edits, publishing."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    return _show(schedule)


def _show(schedule, urgent_error: str | None = None):
    """The review page (with the urgent form's refusal when there is one): the grid filtered by `?inspector=`
    and `?district=`, a visit picked on the grid (`?visit=`) preselected in the hand-edit forms."""
    read_log.record(db.session, current_user, "page", schedule=schedule, what=request.path)
    summary = service.schedule_summary(db.session, schedule)
    grid_args = {"inspector": request.args.get("inspector", type=int),
                 "district": request.args.get("district", type=int)}
    grid = service.route_grid(db.session, schedule, summary, **grid_args)
    picked = request.args.get("visit", type=int)
    edit_form = _edit_form(schedule, summary, grid["names"])
    if picked is not None:
        edit_form.visit_id.data = str(picked)
    absence_form = AbsenceForm()
    absence_form.inspector_id.choices = choices((str(i.id), grid["names"][i.id]) for i in summary["inspectors"])
    absence_form.dates.choices = choices((d, almaty(d, "EEE d MMM")) for d in summary["dates"])
    # A refused search shows the form again as it was typed, the error beside the field.
    urgent_form = UrgentForm(formdata=request.args if urgent_error else None, meta={"csrf": False})
    urgent_form.reason.choices = choices(URGENT_REASON_LABELS.items())
    return render_template("schedules/show.html", schedule=schedule, s=summary, grid=grid, grid_args=grid_args,
                           grid_query={k: v for k, v in grid_args.items() if v is not None}, picked=picked,
                           edit_form=edit_form, publish_form=PublishForm(),
                           absence_form=absence_form, urgent_form=urgent_form, urgent_error=urgent_error,
                           names=service.revision_names(db.session, schedule), map_data=_map_data(summary))


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
        flash(_("Правка не принята: %(m)s", m=_refusal(exc.messages)), "error")
    except ServiceError as exc:
        _refused(exc)
    else:
        flash(_("Правка сохранена."), "success")
        for warning in result.warnings:
            flash(_("Предупреждение о предсказуемости: %(m)s",
                    m=predictability_sentence(warning["message"], service.facility_namer(db.session))), "warning")
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


def _refused(exc: ServiceError) -> None:
    """Undo what the refused service call began and say why."""
    db.session.rollback()
    flash(ui_message(exc.message), "error")


def _confirmed() -> bool:
    """Whether this request is the confirmed POST of a confirmation page (see `_confirm`)."""
    return request.method == "POST" and PublishForm().validate_on_submit() and request.form.get("confirm") == "1"


def _do_confirmed(schedule_id: int, action, done):
    """Run a confirmed change (`action()`), flash its refusal or `done(result)`, and go back to the schedule."""
    try:
        result = action()
    except ServiceError as exc:
        _refused(exc)
    else:
        flash(done(result), "success")
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


def _confirm(title: str, effects: list[str], button: str, schedule, refusal=None, hidden=None):
    return render_template("confirm.html", title=title, effects=effects, button=button,
                           refusal=refusal, form=PublishForm(), hidden=hidden or {}, action=request.path,
                           back=url_for("schedules.show", schedule_id=schedule.id))


@bp.route("/schedules/<int:schedule_id>/publish", methods=["GET", "POST"])
@login_required
def publish(schedule_id: int):
    """A confirmation page saying what publishing does; the confirmed POST publishes."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    service.require_editor(current_user, schedule)
    if _confirmed():
        return _do_confirmed(schedule_id, lambda: service.publish_schedule(db.session, current_user, schedule),
                             lambda published: _("График опубликован. Обязательство (SHA-256): %(c)s",
                                                 c=published.commitment))
    effect = service.publication_effect(db.session, schedule)
    effects = [
        _("График №%(n)s (%(a)s – %(b)s) станет обязательным: каждый инспектор увидит маршрут дня только в этот "
          "день, с %(h)s по Алматы (или накануне с %(e)s, если регион выбрал вечернее открытие).",
          n=schedule.id, a=schedule.first_day.isoformat(), b=schedule.end_date.isoformat(),
          h=f"{int(settings_values.current('route_release_hour', schedule.region_id)):02d}:00",
          e=f"{int(settings_values.current('route_evening_release_hour', schedule.region_id)):02d}:00"),
        _("Посещений: %(v)s, инспекторов: %(i)s.", v=effect["visits"], i=effect["inspectors"]),
        _("Будет зафиксировано обязательство (SHA-256 графика и зерна), его можно проверить публично; "
          "менять график после этого нельзя."),
    ]
    if effect["supersedes"] is not None:
        effects.append(_("График №%(n)s заменяется с %(d)s; его более ранние дни и обязательство сохраняются.",
                         n=effect["supersedes"].id, d=effect["from"].isoformat()))
    refusal = effect["refusal"].message if effect["refusal"] else None
    return _confirm(_("Опубликовать график №%(n)s?", n=schedule.id), effects, _("Опубликовать"), schedule, refusal)


@bp.route("/schedules/<int:schedule_id>/discard", methods=["GET", "POST"])
@login_required
def discard(schedule_id: int):
    """Confirm, then mark the draft discarded (it stays on record)."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    service.require_editor(current_user, schedule)
    if _confirmed():
        return _do_confirmed(
            schedule_id, lambda: service.discard_schedule(db.session, current_user, schedule),
            lambda _discarded: _("Черновик отклонён; он сохранён в списке, но опубликовать его нельзя."))
    refusal = None if schedule.status == ScheduleStatus.DRAFT else _("Отклонить можно только черновик.")
    effects = [_("Черновик №%(n)s получит статус «отклонён»: он останется в списке со всеми данными, но "
                 "опубликовать его будет нельзя.", n=schedule.id)]
    return _confirm(_("Отклонить черновик №%(n)s?", n=schedule.id), effects, _("Отклонить"), schedule, refusal)


@bp.route("/schedules/<int:schedule_id>/absence", methods=["POST"])
@login_required
def absence(schedule_id: int):
    """Mark an inspector absent on dates; the repaired revision's page lists what moved."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    if not AbsenceForm().validate_on_submit():
        abort(400)
    raw = {"inspector_id": request.form.get("inspector_id", type=int), "dates": request.form.getlist("dates"),
           "note": request.form.get("note", "")}
    try:
        data = ScheduleAbsenceSchema().load(raw)
        if request.form.get("confirm") != "1":
            return _absence_confirmation(schedule, data, raw)
        revision = service.mark_absent(db.session, current_user, schedule, data)
    except ValidationError as exc:
        flash(_("Не принято: %(m)s", m=_refusal(exc.messages)), "error")
    except ServiceError as exc:
        _refused(exc)
    else:
        flash(_("Опубликована новая редакция; перенесено посещений: %(m)s, не размещено: %(u)s.",
                m=len(revision.revision["moved"]), u=len(revision.revision["unplaced"])), "success")
        return redirect(url_for("schedules.show", schedule_id=revision.id))
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


def _absence_confirmation(schedule, data: dict, raw: dict):
    """What an absence repair will move and leave unplaced, to confirm before it is published (as publishing)."""
    record = service.absence_preview(db.session, current_user, schedule, data)
    names = service.revision_names(db.session, schedule, record)
    inspector = names["inspectors"].get(data["inspector_id"], "")
    days = ", ".join(almaty(d, "EEE d MMM") for d in record["dates"])
    effects = [_("%(name)s отсутствует: %(days)s.", name=inspector, days=days)]
    effects += [_("«%(f)s» (%(d)s) перейдёт к %(to)s, %(day)s.", f=names["facilities"].get(int(m["facility"][1:]), ""),
                  d=almaty(m["from_date"], "EEE d MMM"),
                  to=names["inspectors"].get(int(m["to_inspector"][1:]), ""), day=almaty(m["date"], "EEE d MMM"))
                for m in record["moved"]]
    effects += [_("«%(f)s» (%(d)s) разместить некому: посещение станет обязательным в следующем графике.",
                  f=names["facilities"].get(int(u["facility"][1:]), ""), d=almaty(u["date"], "EEE d MMM"))
                for u in record["unplaced"]]
    effects.append(_("Остальные маршруты не меняются. Будет опубликована новая редакция с новым обязательством, "
                     "ссылающимся на прежнее."))
    refusal = None if record["moved"] or record["unplaced"] else _(
        "В эти дни у инспектора нет посещений: менять нечего.")
    hidden = [("inspector_id", raw["inspector_id"]), *(("dates", d) for d in raw["dates"]), ("note", raw["note"])]
    return _confirm(_("Перестроить график №%(n)s из-за отсутствия?", n=schedule.id), effects,
                    _("Опубликовать новую редакцию"), schedule, refusal, hidden=hidden)


@bp.route("/schedules/<int:schedule_id>/urgent", methods=["GET", "POST"])
@login_required
def urgent(schedule_id: int):
    """GET: the insertion options and their cost; POST (confirmed choice): apply one as a new revision."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    service.require_editor(current_user, schedule)
    source = request.form if request.method == "POST" else request.args
    raw = {k: source.get(k) for k in ("facility_id", "hours", "reason", "note", "option", "inspector_id", "date")
           if source.get(k) not in (None, "")}
    for key in ("facility_id", "hours", "option", "inspector_id"):
        if key in raw:
            raw[key] = source.get(key, type=int)
    if "facility_id" not in raw and request.method == "GET":
        found = _urgent_facility(schedule, source.get("facility", ""), raw)
        if found is not None:
            return found
    try:
        data = UrgentSchema().load(raw)
        if request.method == "POST":
            if not PublishForm().validate_on_submit():
                abort(400)
            request_row, revision = service.apply_urgent(db.session, current_user, schedule, data,
                                                                  runtime=current_runtime())
            if revision is None:
                flash(_("Обращение записано: объект станет обязательным в следующем графике."), "success")
                return redirect(url_for("schedules.show", schedule_id=schedule_id))
            flash(_("Срочная проверка вставлена; опубликована новая редакция."), "success")
            return redirect(url_for("schedules.show", schedule_id=revision.id))
        found = service.urgent_options(db.session, current_user, schedule, data, runtime=current_runtime())
    except ValidationError as exc:
        flash(_("Не принято: %(m)s", m=_refusal(exc.messages)), "error")
    except ServiceError as exc:
        _refused(exc)
    else:
        return render_template("schedules/urgent.html", schedule=schedule, found=found, form=PublishForm(),
                               args=data)
    return redirect(url_for("schedules.show", schedule_id=schedule_id))


def _urgent_facility(schedule, text: str, raw: dict):
    """Find the urgent visit's facility by what was typed: one match goes on to the options (returns None with
    `raw["facility_id"]` set), several are listed to choose from, none is refused beside the field."""
    text = text.strip()
    matches = service.find_urgent_facilities(db.session, current_user, schedule, text) if text else []
    if len(matches) == 1:
        raw["facility_id"] = matches[0].id
        return None
    if not matches:
        message = (_("Объект: не найден в регионе графика по запросу «%(q)s».", q=text) if text
                   else _("Объект: введите название, БИН или адрес."))
        return _show(schedule, urgent_error=message), 422
    return render_template("schedules/urgent.html", schedule=schedule, found=None, matches=matches, form=PublishForm(),
                           args={k: v for k, v in raw.items() if k in ("hours", "reason", "note")}, query=text)


@bp.route("/schedules/<int:schedule_id>/export.json")
@writes_on_read
@login_required
def export(schedule_id: int):
    """Download the schedule (or `?what=problem`, its problem) in the engine's JSON format."""
    schedule = service.get_schedule(db.session, current_user, schedule_id)
    what = "problem" if request.args.get("what") == "problem" else "schedule"
    read_log.record(db.session, current_user, "export", schedule=schedule, what=f"{request.path} {what}")
    data = service.export_problem(schedule) if what == "problem" else service.export_schedule(schedule)
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={what}-{schedule.id}.json"})


@bp.route("/schedules/commitment/<commitment>")
def commitment(commitment: str):
    """Public: confirms that a schedule with this commitment was published, when and for which region."""
    schedule = service.find_commitment(db.session, commitment)
    return render_template("schedules/commitment.html", schedule=schedule)

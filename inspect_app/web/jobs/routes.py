"""A job's progress page, its JSON status for polling, and cancellation."""

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.labels import job_phase, label
from inspect_app.models import JobStatus, Region
from inspect_app.runtime import current_runtime
from inspect_app.services import jobs as service
from inspect_app.web.jobs.forms import CancelForm

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

# The job service speaks English (the API's language); the page shows its plain messages in the UI language.
JOB_MESSAGES = {
    service.FAILED_MESSAGE: _l("Задание не выполнено из-за ошибки на сервере; ничего не сохранено."),
    service.CANCELLED_MESSAGE: _l("Отменено пользователем; ничего не сохранено."),
    service.CANCELLED_QUEUED_MESSAGE: _l("Отменено до начала."),
    service.QUEUE_DOWN_MESSAGE: _l("Очередь заданий недоступна: ничего не запущено, повторите через несколько минут."),
}


def shown_status(job) -> dict:
    """The job's status with its kind, phase and message in the UI language (the codes stay under `*_code`)."""
    status = service.job_status(job)
    if status["message"] in JOB_MESSAGES:
        status["message"] = str(JOB_MESSAGES[status["message"]])
    status["kind_code"], status["kind"] = status["kind"], label(status["kind"], "job_kind")
    status["phase_code"], status["phase"] = status["phase"], job_phase(status["phase"], _region_name)
    return status


def _region_name(kato: str) -> str:
    region = db.session.scalar(sa.select(Region).where(Region.kato == kato))
    return region.name(str(get_locale() or "ru")) if region else kato


@bp.route("/<job_id>")
@login_required
def show(job_id: str):
    """The progress bar of one job; a script polls the JSON status every second."""
    job = service.get_job(db.session, current_user, job_id, current_runtime())
    return render_template("jobs/show.html", job=job, status=shown_status(job), form=CancelForm(),
                           links=result_links(job))


def result_links(job) -> list[tuple[str, str]]:
    """Where the result of a finished job can be seen: (label, url) pairs by job kind."""
    result = job.result or {}
    if job.status != JobStatus.FINISHED:
        return []
    if job.kind == "schedule_build":
        return [(_("График №%(id)s", id=sid), url_for("schedules.show", schedule_id=sid))
                for sid in result.get("schedule_ids", [])]
    if job.kind == "report_batch":
        return [(ngettext("Скачать ZIP (%(num)s акт)", "Скачать ZIP (%(num)s актов)", result.get("count", 0)),
                 url_for("audits.batch_download", job_id=job.id))]
    if job.kind == "stats_export":
        return [(_("Скачать %(format)s", format=str(result.get("format", "")).upper()),
                 url_for("dashboard.national_download", job_id=job.id))]
    if job.kind == "capacity_whatif":
        return [(_("Результат на странице нагрузки"),
                 url_for("capacity.index", year=result.get("year"), region=result.get("region"),
                         _anchor="what-ifs"))]
    return []


@bp.route("/<job_id>.json")
@login_required
def status(job_id: str):
    """What the progress bar shows, as JSON."""
    job = service.get_job(db.session, current_user, job_id, current_runtime())
    links = result_links(job)
    # A build that saved one schedule opens it when it ends (the page would otherwise stop at "finished").
    follow = links[0][1] if job.kind == "schedule_build" and len(links) == 1 else None
    return jsonify({**shown_status(job), "next": follow})


@bp.route("/<job_id>/cancel", methods=["POST"])
@login_required
def cancel(job_id: str):
    """Ask the job to stop at its next progress report."""
    form = CancelForm()
    if form.validate_on_submit():
        service.request_cancel(db.session, current_user, job_id, current_runtime())
        flash(_("Отмена запрошена."), "success")
    return redirect(url_for("jobs.show", job_id=job_id))

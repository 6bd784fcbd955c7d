"""Notification pages: one's e-mail and per-event choices, the admins' outbox (failed e-mails and retry), and
webhook endpoints (register with the secret shown once, delivery log, test event, enable/disable)."""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.models import OutboxMessage, Region
from inspect_app.models.notification import MailStatus
from inspect_app.services import access
from inspect_app.services.errors import ServiceError
from inspect_app.services.notifications import outbox, preferences, webhooks
from inspect_app.services.notifications.events import WEBHOOK_EVENTS
from inspect_app.services.regions import region_by_kato
from inspect_app.web.account.forms import ConfirmForm
from inspect_app.web.forms_io import service_errors

bp = Blueprint("notifications", __name__)
OUTBOX_PAGE = 100


def _me():
    return current_user._get_current_object()


def _prefs_page(errors: dict, status: int = 200, typed: dict | None = None):
    choices = preferences.choices(db.session, _me())
    # A field the page does not show (an event of another role, a made-up one) is named in an alert of its own.
    shown = {"_schema", "email", *(f"pref_{c.spec.kind}" for c in choices)}
    return render_template("notifications/preferences.html", choices=choices, form=ConfirmForm(), errors=errors,
                           stray={k: v for k, v in errors.items() if k not in shown}, typed=typed or {}), status


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences_page():
    """My e-mail address and, per event of my role, at once / daily digest / off."""
    if request.method == "GET" or not ConfirmForm().validate_on_submit():
        return _prefs_page({})
    data = {"email": request.form.get("email", ""),
            "prefs": {key[len("pref_"):]: value for key, value in request.form.items() if key.startswith("pref_")}}
    try:
        preferences.save(db.session, _me(), data)
    except ServiceError as error:
        db.session.rollback()
        return _prefs_page(service_errors(error), error.status, data)
    flash(_("Настройки уведомлений сохранены."), "success")
    return redirect(url_for("notifications.preferences_page"))


@bp.route("/notifications/outbox")
@login_required
def outbox_page():
    """Every queued, sent and failed e-mail, newest first (admins); without a mail server, what would be sent."""
    if not access.may_read_outbox(current_user):
        abort(404)
    status = request.args.get("status") or None
    if status is not None and status not in set(MailStatus):
        status = None
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(OUTBOX_PAGE)
    if status:
        query = query.where(OutboxMessage.status == status)
    counts = dict(db.session.execute(sa.select(OutboxMessage.status, sa.func.count())
                                     .group_by(OutboxMessage.status)).all())
    return render_template("notifications/outbox.html", messages=list(db.session.scalars(query)), status=status,
                           counts=counts, statuses=list(MailStatus), form=ConfirmForm(),
                           mail_server=current_app.config.get("MAIL_SERVER"),
                           hooks_waiting=outbox.undelivered_hooks(db.session))


@bp.route("/notifications/outbox/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(message_id: int):
    """Send a failed e-mail again (admins)."""
    if not access.may_read_outbox(current_user):
        abort(404)
    if ConfirmForm().validate_on_submit():
        if outbox.retry(db.session, message_id) is None:
            flash(_("Это письмо не в состоянии ошибки."), "error")
        else:
            flash(_("Письмо поставлено в очередь снова."), "success")
    return redirect(url_for("notifications.outbox_page", status="failed"))


def _regions():
    return list(db.session.scalars(sa.select(Region).order_by(Region.kato)))


@bp.route("/webhooks/", methods=["GET", "POST"])
@login_required
def webhooks_page():
    """My scope's endpoints and the form to register one; the new secret is shown on this answer only."""
    if not access.may_manage_webhooks(current_user):
        abort(404)
    errors, status, created, typed = {}, 200, None, {}
    if request.method == "POST" and ConfirmForm().validate_on_submit():
        typed = {"url": request.form.get("url", ""), "events": request.form.getlist("events"),
                 "allow_private": request.form.get("allow_private") == "1", "region": request.form.get("region", "")}
        try:
            region = None
            if typed["region"] and access.is_admin(current_user):
                region = region_by_kato(db.session, typed["region"], "region")
            created = webhooks.register(db.session, _me(), {**typed, "region": region},
                                        allow_http=bool(current_app.config.get("WEBHOOK_ALLOW_HTTP")))
            typed = {}
        except ServiceError as error:
            if not error.field and not error.errors:
                raise
            db.session.rollback()
            errors, status = service_errors(error), error.status
    return render_template("notifications/webhooks.html", endpoints=webhooks.endpoints(db.session, _me()),
                           created=created, errors=errors, typed=typed, events=WEBHOOK_EVENTS,
                           regions=_regions() if access.is_admin(current_user) else [], form=ConfirmForm(),
                           admin=access.is_admin(current_user)), status


@bp.route("/webhooks/<int:endpoint_id>")
@login_required
def webhook(endpoint_id: int):
    """An endpoint with its newest deliveries and every attempt (status, time, milliseconds, error)."""
    endpoint = webhooks.get_endpoint(db.session, _me(), endpoint_id)
    return render_template("notifications/webhook.html", endpoint=endpoint,
                           deliveries=webhooks.deliveries(db.session, endpoint), form=ConfirmForm())


@bp.route("/webhooks/<int:endpoint_id>/test", methods=["POST"])
@login_required
def webhook_test(endpoint_id: int):
    """Queue a test event for this endpoint."""
    endpoint = webhooks.get_endpoint(db.session, _me(), endpoint_id)
    if ConfirmForm().validate_on_submit():
        webhooks.send_test(db.session, endpoint)
        flash(_("Проверочное событие поставлено в очередь."), "success")
    return redirect(url_for("notifications.webhook", endpoint_id=endpoint_id))


@bp.route("/webhooks/<int:endpoint_id>/active", methods=["POST"])
@login_required
def webhook_active(endpoint_id: int):
    """Enable (waiting deliveries go out again) or disable an endpoint."""
    endpoint = webhooks.get_endpoint(db.session, _me(), endpoint_id)
    if ConfirmForm().validate_on_submit():
        webhooks.set_active(db.session, endpoint, request.form.get("active") == "1")
        flash(_("Вебхук включён.") if endpoint.active else _("Вебхук отключён."), "success")
    return redirect(url_for("notifications.webhook", endpoint_id=endpoint_id))

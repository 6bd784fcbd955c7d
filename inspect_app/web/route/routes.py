"""The inspector's day: thin views over `services.schedules.route`, `services.audits.visits` and
`services.schedules.read_log`."""

import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError

from inspect_app.database import writes_on_read
from inspect_app.extensions import db
from inspect_app.i18n import ALMATY
from inspect_app.labels import SEVERITY_LABELS
from inspect_app.messages import ui_message
from inspect_app.models import setting as settings_values
from inspect_app.runtime import current_runtime
from inspect_app.schemas.route import AccessLogArgsSchema, DayRouteArgsSchema
from inspect_app.services import access, audits, checklists
from inspect_app.services.audits import visits
from inspect_app.services.errors import ServiceError
from inspect_app.services.schedules import read_log
from inspect_app.services.schedules import route as routes
from inspect_app.web.audits.pages import form_items
from inspect_app.web.route.forms import (
    CHANNEL_LABELS,
    NOT_DONE_LABELS,
    RELEASE_LABELS,
    VISIT_STATUS_LABELS,
    DiscardForm,
    NotDoneForm,
    PlainForm,
    ReleaseForm,
)

bp = Blueprint("route", __name__)
NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
WORKBOX_FILE = re.compile(r"^workbox-(sw|core|routing|strategies|expiration|cacheable-response)(\.(prod|dev))?\.js$")
# The header that tells the service worker a page may be kept for offline use (see static/sw.js).
OFFLINE_HEADER = "X-Tekseru-Offline"
# When the service worker must stop serving a kept page: the end of its day, in milliseconds since 1970.
OFFLINE_UNTIL_HEADER = "X-Tekseru-Offline-Until"


def _locale() -> str:
    return str(get_locale() or "ru")


@bp.app_context_processor
def _labels():
    return {"VISIT_STATUS_LABELS": VISIT_STATUS_LABELS, "NOT_DONE_LABELS": NOT_DONE_LABELS,
            "CHANNEL_LABELS": CHANNEL_LABELS, "RELEASE_LABELS": RELEASE_LABELS, "SEVERITY_LABELS": SEVERITY_LABELS}


@bp.app_template_global()
def checklist_texts() -> dict:
    """The words static/checklist.js shows, in the UI language."""
    return {
        "phone": _("Только на телефоне"), "sending": _("Отправляется…"), "server": _("На сервере"),
        "photo_phone": _("фото на телефоне"), "photo_sending": _("фото отправляется…"),
        "photo_server": _("фото на сервере"), "photo_preparing": _("Подготовка фото…"),
        "photo_bad": _("Не удалось прочитать фото; попробуйте снять ещё раз."),
        "offline": _("Нет связи: всё сохранено на телефоне и будет отправлено, когда связь появится."),
        "sending_all": _("Отправка на сервер…"), "saved": _("Всё сохранено на сервере."),
        "conflict": _("Сервер не принял изменения: запись изменилась или уже отправлена."),
        "invalid": _("Сервер не принял ответы: проверьте отмеченные пункты."),
        "kept": _("Всё, что вы ввели, сохранено на телефоне."), "retry": _("Отправить ещё раз"),
        "submit_queued": _("Акт в очереди: будет отправлен после ответов, когда появится связь."),
        "submit_sending": _("Акт отправляется…"), "submitted": _("Акт отправлен."),
        "locating": _("Определяем местоположение…"),
        "checkin_ok": _("Прибытие {at}: точность ±{acc} м, {dist} м от объекта."),
        "checkin_nogps": _("Прибытие {at}: местоположение не получено."),
        "checkin_far": _("Дальше {max} м от объекта: руководитель увидит отметку."),
        "checkin_phone": _("(на телефоне)"), "checkin_server": _("(на сервере)"),
        "not_done": _("Посещение не состоялось ({reason})."), "discarded": _("Черновик удалён."),
        "not_done_badge": str(VISIT_STATUS_LABELS["not_done"]),
        "progress": _("Отвечено {n} из {total}"), "lacks_answer": _("нет ответа"),
        "lacks_photo": _("нарушение без обязательного фото"),
        "lacks_title": _("Акт не отправлен: не готово пунктов: {n}. Ответьте на них или приложите фото:"),
        "lacks_act": _("не заполнено"),
    }


def _args(schema):
    try:
        return schema.load(request.args)
    except ValidationError:
        abort(400)


def _offline(response: Response, day) -> Response:
    """Mark an inspector's page as one the service worker may keep until `day` ends in Almaty (it then drops
    it, so a phone left signed in never shows yesterday's route); nothing else is ever cached."""
    response.headers["Cache-Control"] = "private, no-store"
    if access.routes_released_only(current_user):
        response.headers[OFFLINE_HEADER] = "1"
        end = datetime.combine(day + timedelta(days=1), time(0), ALMATY)
        response.headers[OFFLINE_UNTIL_HEADER] = str(int(end.timestamp() * 1000))
    return response


def _map_data(route) -> dict:
    home = route.inspector and route.inspector.home_lat is not None
    return {"home": [route.inspector.home_lat, route.inspector.home_lon] if home else None,
            "tiles": current_app.config["MAP_TILE_URL"], "attribution": current_app.config["MAP_TILE_ATTRIBUTION"],
            "stops": [{"n": s["order"] + 1, "name": s["facility"].name(_locale()), "lat": s["facility"].lat,
                       "lon": s["facility"].lon, "time": f"{s['start']}–{s['end']}", "address": s["facility"].address}
                      for s in route.stops]}


def render_day(day=None, inspector_id=None):
    """The route page of a day (also the inspector's home page)."""
    route = routes.day_route(db.session, current_user, day, inspector_id, road_factor=current_runtime().road_factor)
    read_log.record(db.session, current_user, "page", route=route, what=request.path)
    calendar = (read_log.has_feed(db.session, current_user) if access.may_have_calendar(current_user) else None)
    stops_urls = [url_for("route.stop", visit_id=s["visit"].id) for s in [*route.stops, *route.urgent]]
    response = Response(render_template(
        "route/day.html", route=route, map_data=_map_data(route), stop_urls=stops_urls, has_calendar=calendar,
        calendar_form=PlainForm(), release_days=access.released_days(current_user.region)
        if access.routes_released_only(current_user) and current_user.region else []))
    return _offline(response, route.day)


@bp.route("/my/route")
@writes_on_read
@login_required
def my_route():
    """Today's route (or, for supervisors, any day of an inspector of their region)."""
    args = _args(DayRouteArgsSchema())
    return render_day(args.get("date"), args.get("inspector_id"))


@bp.route("/my/route/stops/<int:visit_id>")
@writes_on_read
@login_required
def stop(visit_id: int):
    """One stop: where, when, navigation, check-in, the checklist (works offline once opened), not done."""
    visit = routes.readable_visit(db.session, current_user, visit_id)
    audit = routes.live_audits(db.session, [visit.id]).get(visit.id)
    template = audit.template if audit else checklists.template_for_facility(db.session, visit.facility)
    sections = form_items(SimpleNamespace(template=template, facility=visit.facility), _locale())
    read_log.record(db.session, current_user, "page", what=request.path,
                        route=SimpleNamespace(inspector=visit.inspector, day=visit.date,
                                              schedule_ids=[visit.schedule_id]))
    response = Response(render_template(
        "route/stop.html", visit=visit, audit=audit, sections=sections, nav=routes.nav_links(visit.facility),
        not_done_form=NotDoneForm(), discard_form=DiscardForm(), data=_stop_data(visit, audit),
        # The state badge's partial reads the visit as the route page's stops give it.
        s={"visit": visit, "status": visit.status, "reason": visit.not_done_reason},
        last_position=audits.last_position(db.session, current_user.id)))
    return _offline(response, visit.date)


def _stop_data(visit, audit) -> dict:
    """What the offline form needs, as JSON for its <script type="application/json"> block."""
    server = None
    if audit is not None:
        server = {"id": audit.id, "status": audit.status, "version": getattr(audit, "version", None),
                  "answers": audit.answers or {}, "photos": [{"id": p.id, "item": p.item_code} for p in audit.photos],
                  "checked_in": audit.check_in_at.isoformat() if audit.check_in_at else None,
                  "fill": url_for("audits.show", audit_id=audit.id)}
    return {"visit": visit.id, "facility": visit.facility_id, "audit": server,
            "target": {"lat": visit.facility.lat, "lon": visit.facility.lon},
            "max_m": float(settings_values.current("checkin_max_distance_m")), "route": url_for("route.my_route"),
            "api": {"audits": url_for("api_audits.Audits"), "audit": "/api/v1/audits/"}}


@bp.route("/my/route/stops/<int:visit_id>/not-done", methods=["POST"])
@login_required
def not_done(visit_id: int):
    """Record that the visit could not happen, with its reason."""
    form = NotDoneForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        visits.record_not_done(db.session, current_user, visit_id, form.reason.data, form.note.data or "")
        flash(_("Посещение отмечено как несостоявшееся."), "success")
    except ServiceError as exc:
        db.session.rollback()
        flash(ui_message(exc.message), "error")
    return redirect(url_for("route.stop", visit_id=visit_id))


@bp.route("/audits/<int:audit_id>/discard", methods=["POST"])
@login_required
def discard(audit_id: int):
    """Discard a draft (author only, with a reason)."""
    form = DiscardForm()
    if not form.validate_on_submit():
        abort(400)
    audit = audits.get_audit(db.session, current_user, audit_id)
    try:
        visits.discard_draft(db.session, current_user, audit, form.reason.data or "")
        flash(_("Черновик удалён."), "success")
    except ServiceError as exc:
        flash(ui_message(exc.message), "error")
    if audit.schedule_visit_id:
        return redirect(url_for("route.stop", visit_id=audit.schedule_visit_id))
    return redirect(url_for("audits.show", audit_id=audit.id))


@bp.route("/my/route/sheet.pdf")
@writes_on_read
@login_required
def sheet():
    """The printable route sheet of the day (PT Sans PDF)."""
    args = _args(DayRouteArgsSchema())
    route = routes.day_route(db.session, current_user, args.get("date"), args.get("inspector_id"),
                             road_factor=current_runtime().road_factor)
    read_log.record(db.session, current_user, "pdf", route=route, what=request.path)
    lang = request.args.get("lang") if request.args.get("lang") in ("ru", "kk", "en") else _locale()
    pdf = routes.route_sheet_pdf(route, lang)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"route-{route.day.isoformat()}.pdf")


@bp.route("/my/calendar", methods=["POST"])
@login_required
def calendar_rotate():
    """Make (or replace) the secret calendar URL and show it once, on this answer only.

    Not in a flash message: that travels in the session cookie (signed, not encrypted) and lands on the route
    page the service worker keeps. Built from PUBLIC_BASE_URL, never from the Host a request claims.
    """
    if not PlainForm().validate_on_submit():
        abort(400)
    try:
        token = read_log.rotate_feed(db.session, current_user)
    except ServiceError as exc:
        abort(exc.status, exc.message)
    url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("route.calendar", token=token)
    response = Response(render_template("route/calendar_url.html", url=url))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/my/calendar/revoke", methods=["POST"])
@login_required
def calendar_revoke():
    """Revoke the calendar URL."""
    if not PlainForm().validate_on_submit():
        abort(400)
    read_log.revoke_feed(db.session, current_user)
    flash(_("Ссылка календаря отозвана."), "success")
    return redirect(url_for("route.my_route"))


@bp.route("/calendar/<token>.ics")
@writes_on_read
def calendar(token: str):
    """The iCalendar feed of the inspector's released day(s), for a phone's calendar app (no login)."""
    user = read_log.feed_user(db.session, token)
    body = routes.calendar_feed(db.session, user, _("Маршрут Тексеру"), current_runtime())
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "private, no-store"})


@bp.route("/schedules/access-log")
@login_required
def access_log():
    """Who read which schedule or route, for the region's supervisors; `?format=csv` downloads it."""
    args = _args(AccessLogArgsSchema())
    if request.args.get("format") == "csv":
        rows = read_log.log_rows(db.session, current_user, args, limit=None)
        headers = [_("Время (Алматы)"), _("Пользователь"), _("Имя"), _("Роль"), _("Канал"), _("График"),
                   _("День"), _("Инспектор"), _("Что открыто")]
        body = read_log.log_csv(rows, headers, lambda c: str(CHANNEL_LABELS.get(c, c)))
        return Response(body, mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=route-access.csv"})
    rows = read_log.log_rows(db.session, current_user, args)
    form = ReleaseForm()
    if current_user.region is not None:
        form.route_release.data = current_user.region.route_release
    return render_template("route/access_log.html", rows=rows, args=request.args, release_form=form)


@bp.route("/schedules/route-release", methods=["POST"])
@login_required
def route_release():
    """Choose when the region's inspectors see their routes."""
    form = ReleaseForm()
    if not form.validate_on_submit() or current_user.region is None:
        abort(400)
    try:
        routes.set_release(db.session, current_user, current_user.region, form.route_release.data)
        flash(_("Время открытия маршрутов сохранено."), "success")
    except ServiceError as exc:
        flash(ui_message(exc.message), "error")
    return redirect(url_for("route.access_log"))


@bp.route("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope covers the inspector's pages."""
    response = send_from_directory(Path(current_app.static_folder), "sw.js", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/vendor/workbox/<name>")
def workbox(name: str):
    """Workbox modules from node_modules, where `workbox-sw` looks for them (its modulePathPrefix)."""
    match = WORKBOX_FILE.match(name)
    if not match:
        abort(404)
    return send_from_directory(NODE_MODULES / f"workbox-{match.group(1)}" / "build", name, max_age=86400)

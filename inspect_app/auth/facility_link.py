"""The facility's page behind its secret prescription link: no account, throttled like sign-in (unknown, revoked
and expired links count per address), and the reports through one link throttled per link. It shows only that
link's prescriptions (the one in force, and the ones it replaced after a corrected act), the act version in force,
and the head's own evidence photos (served through the link only); it takes the head's report that an item of the
prescription in force is done, with a note and up to five photos."""

import io

from flask import Blueprint, Response, current_app, render_template, request, send_file
from flask_babel import gettext as _

from inspect_app.auth import throttle
from inspect_app.extensions import db
from inspect_app.messages import ui_message
from inspect_app.services.errors import NotFound, ServiceError
from inspect_app.services.images import thumbnail
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links, queries
from inspect_app.services.prescriptions.reports import legal_refs
from inspect_app.web.forms_io import service_errors

bp = Blueprint("facility_link", __name__)
# The page holds the secret link: never stored by a browser or proxy, never sent on as a referrer.
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def _open(token: str) -> links.LinkView:
    """What a link opens, throttled like sign-in: unknown, revoked and expired links count per address."""
    key = throttle.address()
    throttle.refuse_if_exhausted("prescription_link", key)
    try:
        return links.open_link(db.session, token)
    except NotFound:
        throttle.count("prescription_link", key)
        raise


def _gone() -> Response:
    return Response(render_template("prescriptions/link_gone.html"), status=404, headers=NO_STORE)


@bp.route("/p/<token>", methods=["GET", "POST"])
def page(token: str):
    """The facility's page: the prescription in force (items, deadlines, states, the head's photos) and the act
    version in force; the head reports an item done with a note and up to five photos. `?earlier=<id>` shows a
    prescription of this link that a corrected act replaced: read only, pointing to the one in force."""
    earlier = request.args.get("earlier", type=int)
    try:
        view = _open(token)
        if earlier is not None:
            view.prescription(earlier)
    except NotFound:
        return _gone()
    if earlier is not None and (view.in_force is None or earlier != view.in_force.id):
        return _render(view, earlier, token, {}, 200, NO_STORE)
    errors: dict = {}
    status, headers = 200, dict(NO_STORE)
    if request.method == "POST" and view.in_force is not None:
        item_id = request.form.get("item_id", type=int) or 0
        try:
            _count_report(view)
        except throttle.Throttled as refused:
            errors = {item_id: {"throttle": [refused.description]}}
            status, headers = 429, {**NO_STORE, "Retry-After": str(refused.retry_after)}
        else:
            files = [f for f in request.files.getlist("photos") if f and f.filename]
            try:
                item_service.report_done(
                    db.session, item_id, view.in_force.id, request.form.get("note", ""), [f.read() for f in files],
                    current_app.config["PHOTO_MAX_BYTES"], _representative(view.in_force))
            except ServiceError as error:
                db.session.rollback()
                errors = {item_id: {k: [ui_message(m) for m in v] for k, v in service_errors(error).items()}}
                status = error.status if error.status != 404 else 422
            else:
                return Response(render_template("prescriptions/link_thanks.html", token=token), headers=NO_STORE)
            view = links.open_link(db.session, token)
    return _render(view, None, token, errors, status, headers)


@bp.route("/p/<token>/photos/<int:photo_id>")
def photo(token: str, photo_id: int):
    """A photo the head sent for an item of this link's prescriptions (`?size=thumb`: a small one); never by
    its id alone."""
    try:
        view = _open(token)
        found = links.link_photo(db.session, view, photo_id)
    except NotFound:
        return Response(status=404, headers=NO_STORE)
    if request.args.get("size") == "thumb":
        response = send_file(io.BytesIO(thumbnail(found.data)), mimetype="image/jpeg", max_age=0)
    else:
        response = send_file(io.BytesIO(found.data), mimetype=found.content_type, max_age=0)
    response.headers.update(NO_STORE)
    return response


def _count_report(view: links.LinkView) -> None:
    """One report through this link; Throttled (with the words the head reads) past the limit per link."""
    key = f"link:{view.link.id}"
    try:
        throttle.refuse_if_exhausted("prescription_report", key)
    except throttle.Throttled as refused:
        minutes = max(1, -(-refused.retry_after // 60))
        raise throttle.Throttled(refused.retry_after, _(
            "Слишком много сообщений по этой ссылке. Повторите через %(n)s мин. или позвоните в инспекцию.",
            n=minutes)) from refused
    throttle.count("prescription_report", key)


def _render(view: links.LinkView, prescription_id: int | None, token: str, errors: dict, status: int,
            headers: dict) -> Response:
    prescription = view.prescription(prescription_id)
    rows = queries.prescription_rows(db.session, prescription)
    body = render_template("prescriptions/link.html", view=view, prescription=prescription, rows=rows,
                           errors=errors, token=token, max_photos=item_service.MAX_PHOTOS,
                           in_force=prescription_id is None and view.in_force is not None,
                           act_version=links.act_version, legal_refs=legal_refs(prescription))
    return Response(body, status=status, headers=headers)


def _representative(prescription) -> str:
    """The name a report through the link carries: the representatives on the act (no account behind it)."""
    return "; ".join(prescription.audit.representatives or []) or _("Руководитель объекта")

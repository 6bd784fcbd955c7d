"""The facility's page behind its secret prescription link: no account, throttled like sign-in (unknown, revoked
and expired links count per address). It shows only that prescription (items, deadlines, states) and takes the
head's report that an item is done, with a note and up to five photos."""

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from inspect_app.auth import throttle
from inspect_app.extensions import db
from inspect_app.messages import ui_message
from inspect_app.services.errors import NotFound, ServiceError
from inspect_app.services.prescriptions import items as item_service
from inspect_app.services.prescriptions import links, queries
from inspect_app.web.forms_io import service_errors

bp = Blueprint("facility_link", __name__)
# The page holds the secret link: never stored by a browser or proxy, never sent on as a referrer.
NO_STORE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def _link_prescription(token: str):
    """The prescription of a link, throttled like sign-in: unknown, revoked and expired links count per address."""
    key = throttle.address()
    throttle.refuse_if_exhausted("prescription_link", key)
    try:
        return links.prescription_for(db.session, token)
    except NotFound:
        throttle.count("prescription_link", key)
        raise


@bp.route("/p/<token>", methods=["GET", "POST"])
def page(token: str):
    """The facility's page: only this prescription's items, deadlines and states; the head reports an item done
    with a note and up to five photos."""
    try:
        prescription = _link_prescription(token)
    except NotFound:
        return Response(render_template("prescriptions/link_gone.html"), status=404, headers=NO_STORE)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        item_id = request.form.get("item_id", type=int) or 0
        files = [f for f in request.files.getlist("photos") if f and f.filename]
        try:
            item_service.report_done(
                db.session, item_id, prescription.id, request.form.get("note", ""), [f.read() for f in files],
                current_app.config["PHOTO_MAX_BYTES"], _representative(prescription))
        except ServiceError as error:
            db.session.rollback()
            errors = {item_id: {k: [ui_message(m) for m in v] for k, v in service_errors(error).items()}}
            status = error.status if error.status != 404 else 422
        else:
            return Response(render_template("prescriptions/link_thanks.html", token=token), headers=NO_STORE)
        prescription = links.prescription_for(db.session, token)
    rows = queries.prescription_rows(db.session, prescription)
    body = render_template("prescriptions/link.html", prescription=prescription, rows=rows, errors=errors,
                           token=token, max_photos=item_service.MAX_PHOTOS)
    return Response(body, status=status, headers=NO_STORE)


def _representative(prescription) -> str:
    """The name a report through the link carries: the representatives on the act (no account behind it)."""
    return "; ".join(prescription.audit.representatives or []) or _("Руководитель объекта")

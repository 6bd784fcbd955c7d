"""Review pages: the queue, one audit under review with the accept / return forms, and the correction of a
returned audit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

import forms
from inspect_app.extensions import db
from inspect_app.labels import (
    RESULT_LABELS,
    REVIEW_OUTCOME_LABELS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    VIOLATION_STATUS_LABELS,
    label,
)
from inspect_app.schemas.review import ReviewDecisionInSchema, ReviewQueryArgsSchema
from inspect_app.services import access, reviews
from inspect_app.services.access import readable_regions, require_reviewer
from inspect_app.services.reviews.queue import queue_inspectors
from inspect_app.web.audits.forms import CorrectionForm
from inspect_app.web.audits.pages import answer_sections, item_names
from inspect_app.web.filters import almaty
from inspect_app.web.forms_io import save_form
from inspect_app.web.query_args import list_filters, page_arg
from inspect_app.web.review.forms import DecisionForm

bp = Blueprint("review", __name__, url_prefix="/review")

PER_PAGE = 30
FILTERS = ("region", "result", "critical", "checkin_far", "inspector_id", "date_from", "date_to", "facility_type")


def _locale() -> str:
    return str(get_locale() or "ru")


@bp.context_processor
def _labels():
    return {"RESULT_LABELS": RESULT_LABELS, "STATUS_LABELS": STATUS_LABELS, "SEVERITY_LABELS": SEVERITY_LABELS,
            "VIOLATION_STATUS_LABELS": VIOLATION_STATUS_LABELS, "REVIEW_OUTCOME_LABELS": REVIEW_OUTCOME_LABELS,
            "item_names": lambda audit, codes: item_names(audit, codes, _locale())}


@bp.route("/")
@login_required
def index():
    """The audits waiting for the user's review, oldest first, with filters and counts."""
    require_reviewer(current_user)
    args = list_filters(ReviewQueryArgsSchema(), request.args, FILTERS)
    page = db.paginate(reviews.queue_query(current_user, args), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    raw = {k: request.args.get(k) for k in FILTERS if request.args.get(k)}
    regions = readable_regions(db.session, current_user) if access.is_admin(current_user) else []
    types = [(t, label(t, "type")) for t in forms.FACILITY_TYPES]
    return render_template("review/index.html", page=page, args=raw, regions=regions, facility_types=types,
                           counts=reviews.queue_counts(db.session, current_user, args),
                           inspectors=queue_inspectors(db.session, current_user, args))


def _show(audit_id: int, form: DecisionForm | None = None, errors: dict | None = None, status: int = 200):
    record = reviews.review_record(db.session, current_user, audit_id)
    audit = record.audit
    sections = answer_sections(audit, _locale())
    return render_template("review/show.html", record=record, audit=audit, sections=sections,
                           form=form or DecisionForm(), errors=errors or {},
                           checked=set(request.form.getlist("item_codes"))), status


@bp.route("/<int:audit_id>")
@login_required
def show(audit_id: int):
    """One audit under review: answers, photos, the check-in on a map, the route stop, the previous audit, the
    facility's open items, the decisions so far, and the accept / return forms."""
    return _show(audit_id)


@bp.route("/<int:audit_id>/decision", methods=["POST"])
@login_required
def decide(audit_id: int):
    """Accept or return the audit; back to the queue, or the page again with what was wrong (422, 409)."""
    form = DecisionForm()
    if not form.validate_on_submit():
        reviews.review_record(db.session, current_user, audit_id)  # 404 / 403 before a form error
        return _show(audit_id, form, {"_schema": [_("Форма устарела; отправьте её ещё раз.")]}, 400)
    try:
        decision, errors, status = save_form(ReviewDecisionInSchema(), form.schema_input(),
                                             lambda data: reviews.decide(db.session, current_user, audit_id, data))
    except reviews.DecisionTaken as exc:
        db.session.rollback()
        won = exc.decision
        message = _("Решение уже принято: %(who)s, %(what)s, %(when)s.", who=won.reviewer_name,
                    what=REVIEW_OUTCOME_LABELS[won.outcome], when=almaty(won.decided_at, "short"))
        return _show(audit_id, form, {"_schema": [message]}, 409)
    if decision is None:
        return _show(audit_id, form, errors, status)
    flash(_("Проверка № %(id)s: %(what)s.", id=audit_id, what=REVIEW_OUTCOME_LABELS[decision.outcome]), "success")
    return redirect(url_for("review.index"), 303)


@bp.route("/<int:audit_id>/correct", methods=["POST"])
@login_required
def correct(audit_id: int):
    """Open the correction of a returned audit (the existing correction: a new version in the chain) and go on
    to fill it."""
    form = CorrectionForm()
    if not form.validate_on_submit():
        flash(_("Форма устарела; отправьте её ещё раз."), "error")
        return redirect(url_for("audits.index"))
    draft = reviews.correct_returned(db.session, current_user, audit_id, form.reason.data or "")
    return redirect(url_for("audits.fill", audit_id=draft.id))

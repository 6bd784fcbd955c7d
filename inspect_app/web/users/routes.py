"""The users page: accounts for admins (all) and supervisors (their region's inspectors): list, create,
change, (de)activate, new passwords, tokens; and the administration history for admins."""

import io

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspect_app.extensions import db
from inspect_app.labels import FIELD_LABELS, LABELS, label
from inspect_app.models import Inspector, Region
from inspect_app.schemas.user import AccountCreateSchema, AccountQueryArgsSchema, AccountSchema
from inspect_app.services import access
from inspect_app.services import admin_history as history
from inspect_app.services import users as users_service
from inspect_app.services.accounts import manage, resets
from inspect_app.web.account.forms import ConfirmForm
from inspect_app.web.forms_io import choices, save_submitted
from inspect_app.web.query_args import list_filters, page_arg
from inspect_app.web.users.forms import AccountCreateForm, AccountForm, ResetForm

bp = Blueprint("users", __name__, url_prefix="/users")

PER_PAGE = 50
FILTERS = ("q", "role", "region", "active")


def _me():
    return current_user._get_current_object()


def _regions() -> list[Region]:
    if access.is_supervisor(current_user):
        return [current_user.region]
    return list(db.session.scalars(sa.select(Region).order_by(Region.kato)))


def _prepare(form: AccountForm) -> AccountForm:
    locale = str(get_locale() or "ru")
    form.role.choices = choices([(r, LABELS["role"][r]) for r in access.assignable_roles(current_user)])
    regions = [(r.kato, r.name(locale)) for r in _regions()]
    form.region_kato.choices = choices(regions if access.is_supervisor(current_user) else [("", "—"), *regions])
    if isinstance(form, AccountCreateForm):
        free = db.session.scalars(sa.select(Inspector).where(access.inspector_filter(current_user),
                                                             Inspector.user_id.is_(None),
                                                             Inspector.archived_at.is_(None))
                                  .order_by(Inspector.full_name).limit(2000))
        form.inspector_id.choices = choices([("", "—"), *((str(i.id), i.full_name) for i in free)])
    return form


@bp.route("/")
@login_required
def index():
    """The accounts the user manages, searched and filtered, with their last sign-in."""
    access.require_user_manager(current_user)
    args = list_filters(AccountQueryArgsSchema(), request.args, FILTERS)
    raw = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    page = db.paginate(manage.account_query(current_user, args), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("users/index.html", page=page, args=args, query_args=raw, regions=_regions(),
                           roles=access.assignable_roles(current_user))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create an account; its temporary password is shown once on the answer."""
    access.require_user_manager(current_user)
    form = _prepare(AccountCreateForm())
    if not form.is_submitted() and access.is_supervisor(current_user):
        form.role.data, form.region_kato.data = "inspector", current_user.region.kato
    created, errors, status = save_submitted(
        form, AccountCreateSchema(), lambda data: manage.create_account(db.session, _me(), data))
    if created is not None:
        user, password = created
        return render_template("users/secret.html", user=user, password=password, link=None)
    return render_template("users/form.html", form=form, errors=errors, user=None), status


@bp.route("/<int:user_id>")
@login_required
def show(user_id: int):
    """One account: role, region, state, last sign-in, tokens, and the forms to act on it."""
    user = manage.get_account(db.session, current_user, user_id)
    return render_template("users/show.html", user=user, tokens=users_service.list_tokens(db.session, user),
                           confirm=ConfirmForm(), reset_form=ResetForm())


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    """Change an account's role, region, name or language."""
    user = manage.get_account(db.session, current_user, user_id)
    initial = {"full_name": user.full_name, "role": user.role, "locale": user.locale or "",
               "region_kato": user.region.kato if user.region else ""}
    form = _prepare(AccountForm() if request.method == "POST" else AccountForm(data=initial))
    if user.role not in access.assignable_roles(current_user) or user.id == current_user.id:
        form.role.choices = choices([(user.role, LABELS["role"][user.role])])  # what may not change is not offered
    saved, errors, status = save_submitted(
        form, AccountSchema(), lambda data: manage.update_account(db.session, _me(), user, data))
    if saved is not None:
        flash(_("Изменения сохранены."), "success")
        return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/form.html", form=form, errors=errors, user=user), status


@bp.route("/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id: int):
    """Deactivate (sessions end at once) or reactivate an account."""
    user = manage.get_account(db.session, current_user, user_id)
    if ConfirmForm().validate_on_submit():
        active = request.form.get("active") == "1"
        revoked = manage.set_account_active(db.session, _me(), user, active)
        flash(_("Учётная запись снова активна; прежние токены API не вернулись, нужны новые.") if active else
              _("Учётная запись отключена; её сеансы завершены, токены API отозваны (%(n)s).", n=revoked),
              "success")
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """A one-time link or a temporary password for the user, shown once on this answer."""
    user = manage.get_account(db.session, current_user, user_id)
    form = ResetForm()
    if not form.validate_on_submit() or form.method.data not in ("link", "temporary"):
        return redirect(url_for("users.show", user_id=user.id))
    if form.method.data == "link":
        token = resets.create_reset_link(db.session, _me(), user)
        return render_template("users/secret.html", user=user, password=None,
                               link=url_for("auth.reset", token=token, _external=True))
    password, revoked = manage.give_temporary_password(db.session, _me(), user)
    return render_template("users/secret.html", user=user, password=password, link=None, revoked=revoked)


@bp.route("/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(user_id: int, token_id: int):
    """An admin revokes anyone's API token."""
    user = manage.get_account(db.session, current_user, user_id)
    if ConfirmForm().validate_on_submit():
        manage.revoke_token_of(db.session, _me(), user, token_id)
        flash(_("Токен отозван."), "success")
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/history")
@login_required
def history_page():
    """The administration history, newest first."""
    access.require_admin_history_reader(current_user)
    q = (request.args.get("q") or "").strip()[:100]
    action = request.args.get("action") if request.args.get("action") in history.ACTIONS else ""
    page = db.paginate(history.history_query(q, action), page=page_arg(), per_page=PER_PAGE, error_out=False)
    raw = {k: v for k, v in (("q", q), ("action", action)) if v}
    return render_template("users/history.html", page=page, q=q, action=action, query_args=raw,
                           actions=history.ACTIONS)


@bp.route("/history.csv")
@login_required
def history_csv():
    """The whole administration history as CSV (cells that Excel would run as formulas are escaped)."""
    access.require_admin_history_reader(current_user)
    buffer = io.BytesIO()
    headers = {"at": _("Когда (UTC)"), "actor": _("Кто"), "action": _("Действие"), "target": FIELD_LABELS["username"],
               "details": _("Подробности")}
    history.write_history_csv(db.session, buffer, headers, lambda code: label(code, "admin_action"))
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=admin-history.csv"})

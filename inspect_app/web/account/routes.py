"""One's own account: change the password (also the forced change after a temporary one), the language, and
API tokens (create, shown once; list with last use; revoke)."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from inspect_app.extensions import db
from inspect_app.schemas.user import LanguageSchema, PasswordChangeSchema, TokenCreateSchema
from inspect_app.services import users as users_service
from inspect_app.services.accounts import manage, profile
from inspect_app.web.account.forms import ConfirmForm, LanguageForm, PasswordForm, TokenForm
from inspect_app.web.forms_io import save_submitted

bp = Blueprint("account", __name__, url_prefix="/account")


def _me():
    return current_user._get_current_object()


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """The account page: who I am, my language, my password."""
    language = LanguageForm(data={"locale": current_user.locale or "ru"})
    saved, errors, status = save_submitted(
        language, LanguageSchema(), lambda data: profile.set_own_language(db.session, _me(), data["locale"]) or True)
    if saved:
        session["lang"] = current_user.locale  # the session's language comes before the profile's
        flash(_("Язык сохранён."), "success")
        return redirect(url_for("account.index"))
    return render_template("account/index.html", language=language, password=PasswordForm(),
                           errors=errors, password_errors={}), status


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password_page():
    """Change one's password; after a temporary one this is the only page until it is done."""
    form = PasswordForm()
    me = _me()
    saved, errors, status = save_submitted(
        form, PasswordChangeSchema(),
        lambda data: profile.change_own_password(db.session, me, data["current_password"], data["password"]) or True)
    if saved:
        login_user(me)  # the new session token: this browser stays signed in, every other session ended
        flash(_("Пароль изменён. Другие сеансы завершены, ваши токены API отозваны."), "success")
        return redirect(url_for("account.index"))
    return render_template("account/index.html", language=LanguageForm(data={
        "locale": current_user.locale or "ru"}), password=form, errors={}, password_errors=errors), status


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """My API tokens with their last use, and a form for a new one, whose value is shown on this answer only."""
    form = TokenForm()
    new_token, errors, status = save_submitted(
        form, TokenCreateSchema(),
        lambda data: users_service.issue_token(db.session, _me(), data["name"], data["days"], actor=_me()))
    if new_token is not None:
        form = TokenForm(formdata=None)
    return render_template("account/tokens.html", form=form, errors=errors, new_token=new_token,
                           tokens=users_service.list_tokens(db.session, _me()), revoke_form=ConfirmForm()), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    """Revoke one of my tokens."""
    if ConfirmForm().validate_on_submit():
        manage.revoke_token_of(db.session, _me(), _me(), token_id)
        flash(_("Токен отозван."), "success")
    return redirect(url_for("account.tokens"))

"""Sign-in and sign-out pages."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from inspect_app.auth import devices, throttle
from inspect_app.auth.forms import LoginForm
from inspect_app.extensions import db
from inspect_app.services.users import authenticate, end_sessions, note_sign_in

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        keys = (form.username.data.strip().lower(), throttle.address())
        try:
            _refuse_if_locked(keys)
        except throttle.Throttled as refused:
            flash(refused.description, "error")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(refused.retry_after)}
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is None:
            throttle.count("login_failure", *keys)
            flash(_("Неверный логин или пароль."), "error")
        else:
            throttle.forget("login_failure", keys[0])
            login_user(user, remember=form.remember.data)
            note_sign_in(db.session, user)
            target = url_for("account.password_page") if user.must_change_password else None
            response = redirect(target or local_target(request.args.get("next", "")) or url_for("main.index"))
            devices.remember(response, keys[0])
            return response
    return render_template("auth/login.html", form=form)


def _refuse_if_locked(keys: tuple[str, str]) -> None:
    """Throttled when the account or the address has had too many wrong passwords, unless this browser signed in
    as that account before: then one try per `known_device` limit, so a stranger's guesses slow the real user
    down but never lock them out."""
    try:
        throttle.refuse_if_exhausted("login_failure", *keys)
    except throttle.Throttled:
        device = devices.known_as(keys[0])
        if device is None:
            raise
        try:
            throttle.refuse_if_exhausted("known_device", f"{keys[0]}:{device}")
        except throttle.Throttled as slowed:
            raise throttle.Throttled(slowed.retry_after, _(
                "После неверных паролей вход в эту учётную запись замедлен. Повторите через %(n)s с.",
                n=slowed.retry_after)) from None
        throttle.count("known_device", f"{keys[0]}:{device}")


def local_target(target: str) -> str | None:
    """`target` when it is a path of this site, else None, so a crafted link cannot send the user elsewhere.

    Browsers read a backslash as a slash (`/\\evil.example` is `//evil.example`) and drop tabs and newlines.
    """
    if not target.startswith("/") or "\\" in target or any(ch.isspace() or ord(ch) < 32 for ch in target):
        return None
    return None if urlsplit(target).netloc else target


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choose a new password through a one-time link; an unknown, used or expired link says so (and counts
    against the address, so links cannot be guessed)."""
    from inspect_app.schemas.user import NewPasswordSchema
    from inspect_app.services.accounts.resets import use_reset_link, valid_reset
    from inspect_app.web.account.forms import NewPasswordForm
    from inspect_app.web.forms_io import save_submitted

    key = throttle.address()
    try:
        throttle.refuse_if_exhausted("reset_link", key)
    except throttle.Throttled as refused:
        return render_template("auth/reset.html", form=None, errors={}, message=refused.description), 429, {
            "Retry-After": str(refused.retry_after)}
    if valid_reset(db.session, token) is None:
        throttle.count("reset_link", key)
        return render_template("auth/reset.html", form=None, errors={}, message=_(
            "Ссылка недействительна: она уже использована, устарела или неверна. Попросите новую.")), 404
    form = NewPasswordForm()
    user, errors, status = save_submitted(
        form, NewPasswordSchema(), lambda data: use_reset_link(db.session, token, data["password"]))
    if form.is_submitted() and not form.errors and not errors and user is None:  # spent by a parallel request
        throttle.count("reset_link", key)
        return render_template("auth/reset.html", form=None, errors={}, message=_(
            "Ссылка недействительна: она уже использована, устарела или неверна. Попросите новую.")), 404
    if user is not None:
        if current_user.is_authenticated:
            logout_user()
        flash(_("Пароль изменён, ваши токены API отозваны. Войдите с новым паролем."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, errors=errors, message=None), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST, so that a link on another site cannot do it) everywhere: copied cookies stop working."""
    end_sessions(db.session, current_user._get_current_object())
    logout_user()
    return redirect(url_for("auth.login"))

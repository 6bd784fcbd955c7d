"""What every user changes about themselves: their password (the current one required) and their language."""

from sqlalchemy.orm import Session

from inspect_app.models import User
from inspect_app.services import users as users_service
from inspect_app.services.admin_history import record
from inspect_app.services.errors import InvalidInput


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; the same strength rules as every password. Every
    other session of the user ends (the caller signs the current one in again). Commits."""
    if not user.check_password(current or ""):
        raise InvalidInput("The current password is wrong.", "current_password")
    if current == new:
        raise InvalidInput("Choose a password other than the current one.", "password")
    users_service.set_password(session, user, new, actor=user)


def set_own_language(session: Session, user: User, locale: str) -> None:
    """Keep the user's interface language (pages and their API answers speak it). Commits."""
    if locale != user.locale:
        record(session, user, "language_changed", user, old=user.locale, new=locale)
        user.locale = locale
    session.commit()

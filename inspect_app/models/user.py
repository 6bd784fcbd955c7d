"""Users, roles and API tokens."""

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_app.extensions import db
from inspect_app.models.geo import Region
from inspect_app.models.types import UtcDateTime
from inspect_app.models.vocab import utcnow


class User(UserMixin, db.Model):
    """A person who signs in: admin, ministry analyst, regional supervisor or inspector."""

    __tablename__ = "user"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    # Supervisors and inspectors belong to a region; admins and ministry analysts see all.
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    # Where notifications go (services/notifications); none: the user gets no e-mail.
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    # Part of every session and remember-me cookie (see get_id); a new one ends all of them.
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64), default=lambda: secrets.token_hex(16))
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    # A temporary password set by an admin: the user must choose their own before anything else.
    must_change_password: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())

    region: so.Mapped[Region | None] = so.relationship()
    inspector: so.Mapped["Inspector | None"] = so.relationship(back_populates="user")  # noqa: F821

    @property
    def is_active(self) -> bool:  # Flask-Login asks this to refuse disabled accounts.
        return self.active

    def get_id(self) -> str:
        """What the session and the remember-me cookie carry: the id and the current session token."""
        if not self.session_token:
            self.end_sessions()
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Invalidate every session and remember-me cookie issued so far (sign-out, new password, deactivation)."""
        self.session_token = secrets.token_hex(16)

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of the password; sessions signed in with the old one end."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    expires_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    user: so.Mapped[User] = so.relationship()

    @staticmethod
    def hash_token(token: str) -> str:
        """SHA-256 hex of a presented token."""
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        """A fresh random token to give to the user once."""
        return "tks_" + secrets.token_urlsafe(32)


class PasswordReset(db.Model):
    """A one-time link to choose a new password, made by an admin or supervisor. Only its SHA-256 is stored.

    It works once (`used_at` is set by a conditional UPDATE) and until `expires_at`; a newer link of the same
    user, a new password or a deactivation makes the older ones useless (`used_at` set too).
    """

    __tablename__ = "password_reset"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime(), default=utcnow)
    expires_at: so.Mapped[datetime] = so.mapped_column(UtcDateTime())
    used_at: so.Mapped[datetime | None] = so.mapped_column(UtcDateTime())

    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])

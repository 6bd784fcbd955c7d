"""What every command group shares: the acting user, service errors as click errors, writing JSON."""

import json
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import User
from inspect_app.services.errors import ServiceError


def _first_admin() -> User | None:
    return db.session.scalar(sa.select(User).where(User.role == "admin").order_by(User.id))


def system_user() -> User:
    """The acting user of commands that write: the first admin (the CLI is run by whoever runs the server).

    On a database without an admin, an inactive "system" admin is created so that writes have an author.
    """
    user = _first_admin()
    if user is None:
        user = User(username="system", role="admin", full_name="System (CLI)", active=False)
        user.set_password(secrets.token_urlsafe(24))
        db.session.add(user)
        db.session.commit()
    return user


def reading_user() -> User:
    """The acting user of read-only commands: the first admin, or an unsaved admin identity (writes nothing)."""
    return _first_admin() or User(username="system", role="admin", full_name="System (CLI)", active=False)


def describe(error: ServiceError) -> str:
    """A service error the way a person reads it: the message, then the field errors it does not repeat."""
    fields = "; ".join(f"{k}: {', '.join(map(str, v))}" for k, v in error.errors.items()) if error.errors else ""
    return error.message + (f" ({fields})" if fields and fields not in error.message else "")


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a ServiceError raised inside the block into a click error (printed, exit status 1)."""
    try:
        yield
    except ServiceError as exc:
        raise click.ClickException(describe(exc)) from exc


def write_json(data: dict, output: Path | None) -> None:
    """Write indented UTF-8 JSON to a file, or to stdout without one."""
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)

"""The database a benchmark runs on: a fresh SQLite file, or a schema of its own in a PostgreSQL database."""

from __future__ import annotations

import os
import uuid

import sqlalchemy as sa


def database_url(arg: str | None, workdir: str, filename: str) -> tuple[str, str | None]:
    """A fresh SQLite file in `workdir`, or a new schema in the PostgreSQL database `arg`: (URL, schema or None)."""
    if not arg:
        return f"sqlite:///{os.path.join(workdir, filename)}", None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with sa.create_engine(arg).begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in arg else "?"
    return f"{arg}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(arg: str, schema: str | None) -> None:
    """Drop the schema `database_url` made (nothing for SQLite)."""
    if schema:
        with sa.create_engine(arg).begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))

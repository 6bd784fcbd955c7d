"""Column types and the partial unique index shared by the models."""

from datetime import UTC, datetime

import sqlalchemy as sa


class UtcDateTime(sa.types.TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware (UTC).

    PostgreSQL keeps the offset (`timestamptz`); SQLite keeps none and hands back naive values. This type
    converts every value to UTC on the way in and marks it UTC on the way out, so no caller patches
    `tzinfo` by hand. The database column type is unchanged (DateTime with time zone), so no migration.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """A naive value is taken as UTC; an aware one is converted to UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """The stored instant, aware, in UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def partial_unique_index(name: str, column: str, where: str) -> sa.Index:
    """A unique index over the rows that match `where`, on SQLite and PostgreSQL alike: each dialect has its own
    keyword, and naming the condition once keeps the two from drifting apart."""
    condition = sa.text(where)
    return sa.Index(name, column, unique=True, sqlite_where=condition, postgresql_where=condition)


def partial_index(name: str, *columns: str, where: str, include: tuple[str, ...] = ()) -> sa.Index:
    """An index over the rows that match `where` on SQLite and PostgreSQL alike; PostgreSQL also stores the
    `include` columns in it, so a query reading only those never visits the table."""
    condition = sa.text(where)
    return sa.Index(name, *columns, sqlite_where=condition, postgresql_where=condition,
                    postgresql_include=list(include))

"""Whole days between a date and a UTC timestamp's date in Asia/Almaty, and a median, both computed in SQL."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.i18n import ALMATY


def days_since(session: Session, at: Any, day: Any) -> sa.ColumnElement:
    """Days from the date `day` to the Almaty date of the UTC timestamp `at`, as the database computes them."""
    if session.get_bind().dialect.name == "postgresql":
        local = sa.cast(sa.func.timezone("Asia/Almaty", at), sa.Date)
        return sa.cast(local - day, sa.Integer)
    # SQLite has no time zones: Almaty keeps one offset all year (no daylight saving).
    offset = datetime.now(ALMATY).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 5
    local = sa.func.date(at, f"{hours:+d} hours")
    return sa.cast(sa.func.julianday(local) - sa.func.julianday(day), sa.Integer)


OVERALL = "overall"  # the key of the median over every group, when asked for


def medians(session: Session, key: Any, value: Any, *where: Any,
            overall: bool = False) -> dict[Any, tuple[float | None, int]]:
    """{key: (median of value, count)} over the rows matching `where`, in one query; with `overall`, also
    {OVERALL: (median, count)} over every row, from the same pass.

    The values (whole days) are first counted per distinct value, so only that small histogram is sorted: the
    middle value of each group (or the mean of the middle two) is the first whose running count reaches the
    middle position.
    """
    counted = (sa.select(key.label("key"), value.label("value"), sa.func.count().label("n"))
               .where(*where).group_by(key, value).cte("counted"))
    groups = sa.select(sa.literal(0).label("level"), counted.c.key, counted.c.value, counted.c.n)
    if overall:
        everything = (sa.select(sa.literal(1), sa.cast(sa.null(), counted.c.key.type), counted.c.value,
                                sa.func.sum(counted.c.n)).group_by(counted.c.value))
        groups = sa.union_all(groups, everything)
    histogram = groups.subquery("histogram")
    partition = (histogram.c.level, histogram.c.key)
    running = (sa.select(histogram.c.level, histogram.c.key, histogram.c.value,
                         sa.cast(sa.func.sum(histogram.c.n).over(partition_by=partition, order_by=histogram.c.value),
                                 sa.Integer).label("upto"),
                         sa.cast(sa.func.sum(histogram.c.n).over(partition_by=partition), sa.Integer).label("total"))
               .subquery("running"))

    def value_at(position: Any) -> Any:
        return sa.func.min(sa.case((running.c.upto >= position, running.c.value)))

    rows = session.execute(sa.select(running.c.level, running.c.key, value_at((running.c.total + 1) // 2),
                                     value_at((running.c.total + 2) // 2), sa.func.max(running.c.total))
                           .group_by(running.c.level, running.c.key))
    return {OVERALL if level else k: (round((low + high) / 2, 1) if low is not None else None, n)
            for level, k, low, high, n in rows}

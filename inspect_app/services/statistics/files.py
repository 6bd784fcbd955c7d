"""How a statistics table becomes a file: its columns headed by key (machines) or in the UI language (people), and
written as CSV or as an XLSX sheet. One place for every statistics export."""

from collections.abc import Iterable
from typing import IO, Any

from exports.tabular import write_csv, write_xlsx
from inspect_app.labels import stat_column_label


def column_spec(columns: list[str], for_people: bool) -> list[tuple[str, str]]:
    """(key, header) per column: the header is the key, or its label in the UI language for people."""
    return [(c, stat_column_label(c) if for_people else c) for c in columns]


def write_table(rows: Iterable[dict[str, Any]], columns: list[str], fmt: str, fp: IO[bytes], sheet_title: str, *,
                for_people: bool = False) -> int:
    """Write the rows as CSV (`fmt` "csv") or as one XLSX sheet; returns the row count."""
    spec = column_spec(columns, for_people)
    if fmt == "csv":
        return write_csv(rows, spec, fp)
    return write_xlsx(rows, spec, fp, sheet_title=sheet_title)

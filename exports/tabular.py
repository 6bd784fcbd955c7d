"""Streaming tabular exports (CSV, XLSX, GeoJSON, JSON) and re-import.

Writers take a column spec, a list of ``(key, header)`` pairs, and an
iterable of dict rows, and write to a binary file object one row at a time,
so a 30,000-facility registry never has to be held in memory. Pure Python
plus openpyxl; no Flask, no database.

``read_table`` (in ``exports.table_reader``, re-exported here) is the
inverse: it sniffs the format and yields dict rows keyed by the header row.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from exports.table_reader import BOM, FORMULA_START, Table, TableError, open_table, read_table

__all__ = ["Table", "TableError", "open_table", "read_table", "write_csv", "write_geojson", "write_json",
           "write_xlsx"]

Columns = Sequence[tuple[str, str]]

# Excel column widths are in characters; clamp so long names stay readable
# without making the sheet unwieldy.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def format_value(value: Any) -> str:
    """Render one cell as text: None → "", lists/dicts → JSON, dates → ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def _text_writer(fp: IO[bytes]) -> io.TextIOWrapper:
    # newline="" so the csv module's own \r\n is not translated again.
    return io.TextIOWrapper(fp, encoding="utf-8", newline="", write_through=True)


def _detach(w: io.TextIOWrapper) -> None:
    # Detach instead of close: the caller owns fp (e.g. a Flask response buffer).
    w.flush()
    w.detach()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def escape_formula(text: str) -> str:
    """Prefix ``'`` to text Excel would run as a formula (CSV injection).

    Plain numbers such as "-12.5" are left alone. Phone numbers like
    "+7 701 ..." are escaped too: Excel would otherwise show #NULL! for them.
    Text that already begins with ``'`` gets one more, so that read_table,
    which strips the prefix again, gives back exactly the original.
    """
    if (text.startswith(FORMULA_START) and not _is_number(text)) or text.startswith("'"):
        return "'" + text
    return text


def write_csv(rows: Iterable[dict], columns: Columns, fp: IO[bytes], *, escape_formulas: bool = True,
              delimiter: str = ",") -> int:
    """Write rows as CSV (UTF-8 with BOM, CRLF) to a binary file; return the row count.

    The BOM makes Excel open Cyrillic and Kazakh text correctly. Cells that
    Excel would evaluate as formulas get a leading ``'`` unless
    ``escape_formulas`` is False (see escape_formula). A Russian-locale Excel
    splits columns at ``;`` (its list separator), not at ``,``.
    """
    fp.write(BOM)
    w = _text_writer(fp)
    writer = csv.writer(w, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow([header for _, header in columns])
    keys = [key for key, _ in columns]
    n = 0
    fmt = (lambda v: escape_formula(format_value(v))) if escape_formulas else format_value
    for row in rows:
        writer.writerow([fmt(row.get(k)) for k in keys])
        n += 1
    _detach(w)
    return n


def _xlsx_cell(ws: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (int, float, Decimal, datetime, date)) and not isinstance(value, bool):
        return value
    # openpyxl refuses control characters outright; drop them rather than fail the export.
    text = ILLEGAL_CHARACTERS_RE.sub("", format_value(value))
    if text.startswith("="):
        # openpyxl stores "=..." strings as formulas; force a plain string so a
        # facility name can never run in the inspector's Excel.
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    return text


def write_xlsx(rows: Iterable[dict], columns: Columns, fp: IO[bytes], sheet_title: str = "Registry") -> int:
    """Write rows to an XLSX workbook (one sheet) in openpyxl's write-only mode; return the row count.

    The header row is bold and frozen. Column widths come from the header
    and the first rows only, since a streamed sheet cannot be revisited.
    """
    return write_xlsx_sheets([(sheet_title, rows, columns)], fp)[0]


def write_xlsx_sheets(sheets: Iterable[tuple[str, Iterable[dict], Columns]], fp: IO[bytes]) -> list[int]:
    """Write several tables to one XLSX workbook, a sheet each (title, rows, columns); returns each row count.

    Every sheet as `write_xlsx` writes one: header bold and frozen, widths from the first rows, numbers and
    dates as numbers and dates.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    counts = []
    for sheet_title, rows, columns in sheets:
        ws = wb.create_sheet(title=sheet_title[:31] or "Sheet")
        ws.freeze_panes = "A2"
        keys = [key for key, _ in columns]
        it = iter(rows)
        # Widths must be set before the first row is written, so peek at a few rows.
        head: list[dict] = []
        for row in it:
            head.append(row)
            if len(head) >= 50:
                break
        for i, (key, header) in enumerate(columns, start=1):
            longest = max([len(str(header))] + [len(format_value(r.get(key))) for r in head])
            ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
        bold = Font(bold=True)
        header_cells = []
        for _, header in columns:
            c = WriteOnlyCell(ws, value=header)
            c.font = bold
            header_cells.append(c)
        ws.append(header_cells)
        n = 0
        for source in (head, it):
            for row in source:
                ws.append([_xlsx_cell(ws, row.get(k)) for k in keys])
                n += 1
        counts.append(n)
    wb.save(fp)
    return counts


def _to_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def write_geojson(rows: Iterable[dict], columns: Columns, fp: IO[bytes],
                  lat_key: str = "lat", lon_key: str = "lon", id_key: str | None = None) -> int:
    """Stream rows as a GeoJSON FeatureCollection of Points; return the feature count.

    Geometry is [lon, lat]; rows without both coordinates get a null
    geometry. Every other column goes to properties under its key. With
    `id_key`, that value of the row is the Feature's `id` (RFC 7946 3.2),
    which GIS tools read as the feature's identifier.
    """
    prop_keys = [key for key, _ in columns if key not in (lat_key, lon_key)]
    w = _text_writer(fp)
    w.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for row in rows:
        lat, lon = _to_float(row.get(lat_key)), _to_float(row.get(lon_key))
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature"}
        if id_key is not None:
            feature["id"] = row.get(id_key)
        feature.update(geometry=geometry, properties={k: row.get(k) for k in prop_keys})
        if n:
            w.write(",\n")
        w.write(json.dumps(feature, ensure_ascii=False, default=_json_default))
        n += 1
    w.write("\n]}\n")
    _detach(w)
    return n


def write_json(rows: Iterable[dict], columns: Columns, fp: IO[bytes]) -> int:
    """Stream rows as a UTF-8 JSON array of objects keyed by column key; return the row count."""
    keys = [key for key, _ in columns]
    w = _text_writer(fp)
    w.write("[\n")
    n = 0
    for row in rows:
        if n:
            w.write(",\n")
        w.write(json.dumps({k: row.get(k) for k in keys}, ensure_ascii=False, default=_json_default))
        n += 1
    w.write("\n]\n")
    _detach(w)
    return n


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "geojson": write_geojson, "json": write_json}

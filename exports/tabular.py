"""Streaming tabular exports (CSV, XLSX, GeoJSON, JSON) and re-import.

Writers take a column spec, a list of ``(key, header)`` pairs, and an
iterable of dict rows, and write to a binary file object one row at a time,
so a 30,000-facility registry never has to be held in memory. Pure Python
plus openpyxl; no Flask, no database.

``read_table`` is the inverse: it sniffs the format and yields dict rows
keyed by the header row.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

Columns = Sequence[tuple[str, str]]

BOM = codecs.BOM_UTF8
_SNIFF_BYTES = 64 * 1024
# Excel column widths are in characters; clamp so long names stay readable
# without making the sheet unwieldy.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


class TableError(ValueError):
    """A file could not be read as a table; the message is fit for users."""


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    read_table strips the prefix again.
    """
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _unescape_formula(text: str) -> str:
    if text[:1] == "'" and text[1:2] in _FORMULA_START and text[1:2] != "":
        return text[1:]
    return text


def write_csv(rows: Iterable[dict], columns: Columns, fp: IO[bytes], *, escape_formulas: bool = True) -> int:
    """Write rows as CSV (UTF-8 with BOM, CRLF) to a binary file; return the row count.

    The BOM makes Excel open Cyrillic and Kazakh text correctly. Cells that
    Excel would evaluate as formulas get a leading ``'`` unless
    ``escape_formulas`` is False (see escape_formula).
    """
    fp.write(BOM)
    w = _text_writer(fp)
    writer = csv.writer(w, lineterminator="\r\n")
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
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
    wb.save(fp)
    return n


def _to_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def write_geojson(rows: Iterable[dict], columns: Columns, fp: IO[bytes],
                  lat_key: str = "lat", lon_key: str = "lon") -> int:
    """Stream rows as a GeoJSON FeatureCollection of Points; return the feature count.

    Geometry is [lon, lat]; rows without both coordinates get a null
    geometry. Every other column goes to properties under its key.
    """
    prop_keys = [key for key, _ in columns if key not in (lat_key, lon_key)]
    w = _text_writer(fp)
    w.write('{"type":"FeatureCollection","features":[\n')
    n = 0
    for row in rows:
        lat, lon = _to_float(row.get(lat_key)), _to_float(row.get(lon_key))
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {
            "type": "Feature",
            "geometry": geometry,
            "properties": {k: row.get(k) for k in prop_keys},
        }
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


# ---------------------------------------------------------------- reading


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError("The file starts with a UTF-16 marker but is not valid UTF-16.") from exc
    elif data.startswith(BOM):
        try:
            text = data[len(BOM):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableError("The file starts with a UTF-8 marker but is not valid UTF-8.") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Russian-locale Windows saves "CSV" in cp1251; only byte
            # 0x98 is undefined there, so the text check below does the real work.
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError as exc:
                raise TableError("The file is neither UTF-8 nor Windows-1251 text.") from exc
    if not _looks_like_text(text):
        raise TableError("The file is neither a text table (CSV, JSON) nor an Excel workbook (XLSX).")
    return text


# cp1251 characters that real tables almost never contain but binary junk
# decoded as cp1251 is full of.
_RARE = set("ЂЃ‚ѓ„†‡€‰Љ‹ЊЌЋЏђ™љ›њќћџЎўЈ¤Ґ¦¬\xad®Ї±ґµ¶јЅѕї")


def _looks_like_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return True
    if "\x00" in sample:
        return False
    # A stray vertical tab pasted from Word is tolerable; binary junk has ~10% controls.
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    rare = sum(1 for ch in sample if ch in _RARE)
    return (control + rare) / len(sample) < 0.02


def _read_csv_text(text: str) -> tuple[list[str], Iterator[dict]]:
    sample = text[:_SNIFF_BYTES]
    if not sample.strip():
        raise TableError("The file is empty.")
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        # Sniffer gives up on one-column files; count delimiters in the header instead.
        first = sample.splitlines()[0]
        dialect = csv.excel()
        dialect.delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise TableError("The file is empty.") from None
    except csv.Error as exc:
        raise TableError(f"The file is not a readable CSV table: {exc}.") from exc
    columns = [h.strip() for h in header]
    if not any(columns):
        raise TableError("The header row is empty.")

    def rows() -> Iterator[dict]:
        try:
            for rec in reader:
                if not any(cell.strip() for cell in rec):
                    continue
                yield {c: (_unescape_formula(rec[i]) if i < len(rec) else "") for i, c in enumerate(columns)}
        except csv.Error as exc:
            raise TableError(f"Malformed CSV at line {reader.line_num}: {exc}.") from exc

    return columns, rows()


def _read_xlsx(fp: IO[bytes]) -> tuple[list[str], Iterator[dict]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fp, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise TableError(f"The Excel workbook could not be opened: {exc}.") from exc
    if not wb.worksheets:
        wb.close()
        raise TableError("The Excel workbook has no sheets.")
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = next(it, None)
    if header is None or all(v is None for v in header):
        wb.close()
        raise TableError("The first sheet of the workbook is empty.")
    columns = ["" if v is None else str(v).strip() for v in header]
    while columns and columns[-1] == "":
        columns.pop()

    def rows() -> Iterator[dict]:
        try:
            for rec in it:
                if all(v is None or v == "" for v in rec):
                    continue
                yield {c: (rec[i] if i < len(rec) else None) for i, c in enumerate(columns)}
        finally:
            wb.close()

    return columns, rows()


def _read_json_text(text: str) -> tuple[list[str], Iterator[dict]]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"The file is not valid JSON: {exc}.") from exc
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        items = []
        for feat in doc.get("features") or []:
            props = dict(feat.get("properties") or {})
            geom = feat.get("geometry") or {}
            coords = geom.get("coordinates") if geom.get("type") == "Point" else None
            props["lat"] = coords[1] if coords else None
            props["lon"] = coords[0] if coords else None
            items.append(props)
    elif isinstance(doc, list):
        items = doc
    else:
        raise TableError("The JSON file must be an array of objects or a GeoJSON FeatureCollection.")
    if not all(isinstance(x, dict) for x in items):
        raise TableError("The JSON array must contain only objects.")
    columns: list[str] = []
    seen: set[str] = set()
    for item in items:
        for k in item:
            if k not in seen:
                seen.add(k)
                columns.append(k)
    return columns, iter(items)


def read_table(fp: IO[bytes], filename: str = "") -> tuple[list[str], Iterator[dict]]:
    """Read an uploaded table; return (column names, iterator of dict rows).

    Formats: CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1251; delimiter ``,``,
    ``;`` or tab, sniffed), XLSX (first sheet, first row is the header),
    JSON arrays and GeoJSON FeatureCollections as written by this module
    (GeoJSON points come back as ``lat``/``lon``). The format is taken from
    the content, with ``filename`` as a hint. CSV and JSON values are
    strings/JSON values; XLSX values keep their cell types.

    Raises TableError with a user-facing message for empty, undecodable or
    unsupported files.
    """
    data = fp.read()
    if not data or not data.strip():
        raise TableError("The file is empty.")
    name = filename.lower()
    if data[:4] == b"PK\x03\x04":
        if name.endswith((".xls", ".ods")) or not _is_xlsx_zip(data):
            raise TableError("Only .xlsx workbooks are supported; save the file as .xlsx or CSV.")
        return _read_xlsx(io.BytesIO(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError("Old Excel .xls files are not supported; save the file as .xlsx or CSV.")
    if data[:5] == b"%PDF-":
        raise TableError("A PDF is not a table; upload a CSV or XLSX file.")
    text = _decode(data)
    stripped = text.lstrip()
    if name.endswith((".json", ".geojson")) or stripped[:1] in ("[", "{"):
        return _read_json_text(text)
    return _read_csv_text(text)


def _is_xlsx_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False

"""Reading uploaded tables (CSV, XLSX, JSON, GeoJSON) back into dict rows, refusing what would corrupt or exhaust.

Pure Python plus openpyxl and charset-normalizer; no Flask, no database. Every refusal is a ``TableError``
whose message is fit for the person who uploaded the file.

- Text encodings: a BOM or valid UTF-8 is taken as it is; anything else is detected by charset-normalizer
  among the Cyrillic encodings a Russian or Kazakh registry is saved in, and a file that decodes cleanly in
  none of them is refused (a KOI8-R file must never be read as Windows-1251 mojibake).
- CSV: only the delimiter is sniffed; quoting is always the standard one (``"`` doubled inside quotes), as
  this module's writer and Excel produce, so a name that begins with a quote comes back unchanged.
- XLSX: the uncompressed size of the workbook and of its shared strings is bounded *before* openpyxl
  parses anything, so a small zip cannot expand into gigabytes in memory; so are its rows and cells (empty
  ones count: see ``_check_xlsx_cells``), and while the sheet is read, the rows a row number jumps over count
  too, so a small zip of empty rows or cells is refused in about a second instead of holding a worker.
- JSON and GeoJSON: the structure is checked feature by feature, naming the feature that is wrong.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

BOM = codecs.BOM_UTF8
_SNIFF_BYTES = 64 * 1024
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The encodings Russian and Kazakh tables are saved in besides UTF-8: Windows (Russian, Kazakh), Unix,
# DOS and old Mac. Limiting detection to them is what makes short files come out right.
CYRILLIC_ENCODINGS = ("cp1251", "kz1048", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5")
# charset-normalizer's "mess" of the best decoding: real tables score 0 to 0.09, a byte repeated or junk above.
MAX_CHAOS = 0.15
# Workbook limits, far above a national registry's export (30,000 facilities: about 25 MB of XML).
XLSX_MAX_UNCOMPRESSED = 512 * 1024 * 1024
XLSX_MAX_SHARED_STRINGS = 64 * 1024 * 1024
# Rows and cells of the first sheet: the import's own limit (100,000 rows) and 30 columns of them.
XLSX_MAX_ROWS = 100_000
XLSX_MAX_CELLS = 3_000_000
ENCODING_NAMES = {"utf_8": "UTF-8", "utf_8_sig": "UTF-8", "utf_16": "UTF-16", "cp1251": "Windows-1251",
                  "kz1048": "Windows-1251 (Kazakh, KZ-1048)", "koi8_r": "KOI8-R", "cp866": "DOS-866",
                  "mac_cyrillic": "Mac Cyrillic", "iso8859_5": "ISO-8859-5"}


class TableError(ValueError):
    """A file could not be read as a table; the message is fit for users."""


@dataclass
class Table:
    """An opened table: its columns, its rows (an iterator, read once), what it was and how its text was encoded."""

    columns: list[str]
    rows: Iterator[dict]
    format: str
    encoding: str | None = None


def unescape_formula(text: str) -> str:
    """Undo ``exports.tabular.escape_formula``: drop the ``'`` put before a formula character or a quote."""
    if text[:1] == "'" and text[1:2] != "" and (text[1:2] in FORMULA_START or text[1:2] == "'"):
        return text[1:]
    return text


def open_table(fp: IO[bytes], filename: str = "", *, xlsx_max_uncompressed: int = XLSX_MAX_UNCOMPRESSED,
               xlsx_max_shared_strings: int = XLSX_MAX_SHARED_STRINGS, max_rows: int = XLSX_MAX_ROWS,
               xlsx_max_cells: int = XLSX_MAX_CELLS) -> Table:
    """Open an uploaded table; the format is taken from the content, with ``filename`` as a hint.

    Formats: CSV (delimiter ``,``, ``;`` or tab, sniffed), XLSX (first sheet, first row is the header),
    JSON arrays of objects and GeoJSON FeatureCollections of points (which come back as ``lat``/``lon``).
    CSV and JSON values are strings or JSON values; XLSX values keep their cell types. Reading an XLSX's
    rows raises TableError past `max_rows` sheet rows (blank rows count) or `xlsx_max_cells` cells.
    """
    data = fp.read()
    if not data or not data.strip():
        raise TableError("The file is empty.")
    name = filename.lower()
    if data[:4] == b"PK\x03\x04":
        if name.endswith((".xls", ".ods")):
            raise TableError("Only .xlsx workbooks are supported; save the file as .xlsx or CSV.")
        _check_xlsx_size(data, xlsx_max_uncompressed, xlsx_max_shared_strings)
        _check_xlsx_cells(data, max_rows, xlsx_max_cells)
        columns, rows = _read_xlsx(io.BytesIO(data), max_rows)
        return Table(columns, rows, "xlsx")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TableError("Old Excel .xls files are not supported; save the file as .xlsx or CSV.")
    if data[:5] == b"%PDF-":
        raise TableError("A PDF is not a table; upload a CSV or XLSX file.")
    text, encoding = decode_text(data)
    if name.endswith((".json", ".geojson")) or text.lstrip()[:1] in ("[", "{"):
        columns, rows, fmt = _read_json_text(text)
        return Table(columns, rows, fmt, encoding)
    columns, rows = _read_csv_text(text)
    return Table(columns, rows, "csv", encoding)


def read_table(fp: IO[bytes], filename: str = "") -> tuple[list[str], Iterator[dict]]:
    """(column names, iterator of dict rows) of an uploaded table; see ``open_table``."""
    table = open_table(fp, filename)
    return table.columns, table.rows


# ---------------------------------------------------------------- text


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a file and the name of its encoding; TableError when no encoding reads it cleanly."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated.
        text, encoding = _strict(data, "utf-16", "The file starts with a UTF-16 marker but is not valid UTF-16.")
    elif data.startswith(BOM):
        text, encoding = _strict(data[len(BOM):], "utf_8",
                                 "The file starts with a UTF-8 marker but is not valid UTF-8.")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf_8"
        except UnicodeDecodeError as exc:
            _refuse_broken_utf8(data, exc)
            text, encoding = _detect(data)
    if not _looks_like_text(text):
        raise TableError("The file is neither a text table (CSV, JSON) nor an Excel workbook (XLSX).")
    return text, ENCODING_NAMES.get(encoding, encoding)


def _strict(data: bytes, encoding: str, message: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding.replace("-", "_")
    except UnicodeDecodeError as exc:
        raise TableError(message) from exc


def _refuse_broken_utf8(data: bytes, error: UnicodeDecodeError) -> None:
    """A file that is mostly valid UTF-8 is UTF-8 with damage, not text in an 8-bit encoding: refuse it.

    (Cyrillic in Windows-1251 or KOI8-R almost never forms valid UTF-8 sequences; damaged UTF-8 mostly does,
    and read as cp1251 it would become mojibake that every 8-bit encoding "decodes".)
    """
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 127) - damaged
    if valid > damaged:
        line = data[:error.start].count(b"\n") + 1
        raise TableError(f"The file is UTF-8 text with invalid bytes (line {line}); save it again as CSV UTF-8.")


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CYRILLIC_ENCODINGS)).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise TableError("The text encoding of the file could not be recognised (it is not UTF-8, Windows-1251, "
                         "KOI8-R or DOS-866 text); save it as CSV UTF-8 and upload it again.")
    # charset-normalizer decodes leniently; the text a user gets must be exactly the bytes' strict decoding.
    return _strict(data, best.encoding, f"The file is not clean {best.encoding} text; save it as CSV UTF-8.")


def _looks_like_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return True
    if "\x00" in sample:
        return False
    # A stray vertical tab pasted from Word is tolerable; binary junk has ~10% controls.
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return control / len(sample) < 0.02


def _read_csv_text(text: str) -> tuple[list[str], Iterator[dict]]:
    sample = text[:_SNIFF_BYTES]
    if not sample.strip():
        raise TableError("The file is empty.")
    dialect = csv.excel()
    # Only the delimiter is guessed: the Sniffer's guesses of quoting (doublequote off) doubled the quotes
    # of names that begin with one.
    try:
        dialect.delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        # Sniffer gives up on one-column files; count delimiters in the header instead.
        first = sample.splitlines()[0]
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
                yield {c: (unescape_formula(rec[i]) if i < len(rec) else "") for i, c in enumerate(columns)}
        except csv.Error as exc:
            raise TableError(f"Malformed CSV at line {reader.line_num}: {exc}.") from exc

    return columns, rows()


# ---------------------------------------------------------------- XLSX


def _check_xlsx_size(data: bytes, max_total: int, max_shared: int) -> None:
    """Refuse a workbook that would expand beyond the limits; zipfile never yields more than an entry's size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TableError("The file looks like a zip archive but is damaged; save it again as .xlsx.") from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise TableError("Only .xlsx workbooks are supported; save the file as .xlsx or CSV.")
    total = sum(info.file_size for info in infos)
    if total > max_total:
        raise TableError(f"The workbook unpacks to {total // 2**20} MB, more than the {max_total // 2**20} MB "
                         "allowed; split it or save it as CSV.")
    shared = sum(info.file_size for info in infos if info.filename.lower() == "xl/sharedstrings.xml")
    if shared > max_shared:
        raise TableError(f"The workbook's text table unpacks to {shared // 2**20} MB, more than the "
                         f"{max_shared // 2**20} MB allowed; split it or save it as CSV.")


_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")
_ROW_TAGS = (b"<row ", b"<row>", b"<row/", b":row ", b":row>", b":row/")
# Cells a row may hold on average: a registry row has 21, and formatted empty cells beside a table add some.
_CELLS_PER_ROW = 100
# Cells allowed whatever the rows (a header, a few short rows), before the per-row allowance applies.
_CELL_SLACK = 100_000


def _check_xlsx_cells(data: bytes, max_rows: int, max_cells: int) -> None:
    """Refuse a workbook whose XML holds more rows or cells than a table within the limits, before openpyxl.

    openpyxl parses every sheet to its end when the sheet states no dimension, and collects a whole row's
    cells before it yields the row; so a small zip of millions of empty ``<row/>`` or formatted ``<c/>``
    would hold a worker for minutes. Counting the tags in the inflated bytes (at C speed, a part at a time)
    stops at the first megabyte past the limit. Empty rows and cells count like full ones.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = info.filename.lower()
            if not name.endswith(".xml") or name == "xl/sharedstrings.xml":
                continue
            rows = cells = 0
            tail = b""
            with zf.open(info) as part:
                while chunk := part.read(1 << 20):
                    # The last bytes of the previous chunk, so that a tag split between two reads is counted.
                    window = tail + chunk
                    rows += sum(window.count(tag) for tag in _ROW_TAGS) - sum(tail.count(tag) for tag in _ROW_TAGS)
                    cells += sum(window.count(tag) for tag in _CELL_TAGS) - sum(tail.count(tag)
                                                                                for tag in _CELL_TAGS)
                    tail = chunk[-8:]
                    if rows > max_rows + 1:
                        raise TableError(f"A sheet has more than {max_rows:,} rows (blank rows count too); delete "
                                         "the empty rows below the table, or split it.")
                    if cells > min(max_cells, _CELL_SLACK + rows * _CELLS_PER_ROW):
                        raise TableError("A sheet holds far more cells than its table needs (empty formatted "
                                         "cells count too); delete the empty rows and columns around the table, "
                                         "or save it as CSV.")


def _read_xlsx(fp: IO[bytes], max_rows: int) -> tuple[list[str], Iterator[dict]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fp, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a corrupt workbook
        raise TableError(f"The Excel workbook could not be opened: {exc}.") from exc
    if not wb.worksheets:
        wb.close()
        raise TableError("The Excel workbook has no sheets.")
    ws = wb.worksheets[0]
    # A sheet's stated dimension (which may claim 16,384 columns) must not widen every row read.
    ws.reset_dimensions()
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
            # Every row the sheet yields counts, blank ones too: a million empty <row/> is no free table.
            for number, rec in enumerate(it, start=1):
                if number > max_rows:
                    raise TableError(f"A sheet has more than {max_rows:,} rows (blank rows count too); "
                                     "delete the empty rows below the table, or split it.")
                if all(v is None or v == "" for v in rec[:len(columns)]):
                    continue
                yield {c: (rec[i] if i < len(rec) else None) for i, c in enumerate(columns)}
        finally:
            wb.close()

    return columns, rows()


# ---------------------------------------------------------------- JSON and GeoJSON


def _read_json_text(text: str) -> tuple[list[str], Iterator[dict], str]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TableError(f"The file is not valid JSON: {exc}.") from exc
    except RecursionError:
        raise TableError("The JSON file is nested too deeply to be a table.") from None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        items, fmt = _features(doc), "geojson"
    elif isinstance(doc, list):
        for number, item in enumerate(doc, start=1):
            if not isinstance(item, dict):
                raise TableError(f"Item {number} of the JSON array is not an object.")
        items, fmt = doc, "json"
    else:
        raise TableError("The JSON file must be an array of objects or a GeoJSON FeatureCollection.")
    columns = list(dict.fromkeys(key for item in items for key in item))
    return columns, iter(items), fmt


def _features(doc: dict) -> list[dict]:
    """The properties of each Point feature plus its ``lat``/``lon``; TableError naming a malformed feature."""
    features = doc.get("features")
    if not isinstance(features, list):
        raise TableError("The GeoJSON FeatureCollection has no list of features.")
    items = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise TableError(f"Feature {number} is not a GeoJSON object.")
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise TableError(f"Feature {number}: its properties must be an object.")
        props = dict(properties)
        props["lon"], props["lat"] = _point(number, feature.get("geometry"))
        items.append(props)
    return items


def _point(number: int, geometry: Any) -> tuple[float | None, float | None]:
    if geometry is None:
        return None, None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise TableError(f"Feature {number}: its geometry must be a Point (or null).")
    coords = geometry.get("coordinates")
    if not (isinstance(coords, list) and len(coords) in (2, 3)
            and all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in coords)):
        raise TableError(f"Feature {number}: a Point's coordinates are [longitude, latitude] numbers.")
    return coords[0], coords[1]

"""Does the table reader refuse files that would corrupt (wrong encoding, malformed GeoJSON) or exhaust the server?"""

import io
import json
import tracemalloc
import zipfile

import pytest

from exports.table_reader import Table, TableError, open_table
from exports.tabular import write_csv, write_xlsx

# Pure code: no database transaction needed.

# Only letters every Cyrillic 8-bit encoding has (no «» or №: KOI8-R and DOS-866 lack them).
ROWS = [{"bin": "190540000024", "name_ru": "Средняя школа N 1 имени Абая", "address": "г. Талгар, ул. Абая, 10"},
        {"bin": "190540000035", "name_ru": "Детский сад Балапан", "address": "с. Бесагаш, ул. Жибек жолы, 5"}]
TEXT = "bin;name_ru;address\r\n" + "".join(f"{r['bin']};{r['name_ru']};{r['address']}\r\n" for r in ROWS)


def _open(data: bytes, name: str = "registry.csv") -> Table:
    return open_table(io.BytesIO(data), name)


@pytest.mark.parametrize("encoding,label", [("koi8-r", "KOI8-R"), ("cp1251", "Windows-1251"), ("cp866", "DOS-866"),
                                            ("utf-8", "UTF-8")])
def test_cyrillic_encodings_are_detected_and_named(encoding, label):
    """Is a KOI8-R (or cp1251, DOS) file read as what it is, not as Windows-1251 mojibake, and is that said?"""
    table = _open(TEXT.encode(encoding))
    assert table.encoding == label
    assert [row["name_ru"] for row in table.rows] == [r["name_ru"] for r in ROWS]


def test_short_koi8_file_is_not_read_as_cp1251():
    """Does even a two-line KOI8-R file come out as Russian (the old reader took every non-UTF-8 file as cp1251)?"""
    table = _open("bin;name_ru\n190540000024;Школа\n".encode("koi8-r"))
    assert table.encoding == "KOI8-R" and next(table.rows)["name_ru"] == "Школа"


@pytest.mark.parametrize("data", [
    bytes(range(128, 256)) * 40,                                   # every high byte: no language in it
    "bin;name_ru\n1;Школа имени Абая\n".encode()[:-3] + b"\xff\xfe\xfa\n",   # UTF-8 damaged near the end
    b"bin;name\n1;" + bytes([0xC0, 0xFF, 0x98, 0x81, 0x8D, 0x8F, 0x90]) * 200 + b"\n",
])
def test_text_that_decodes_cleanly_in_no_encoding_is_refused(data):
    """Is a file whose bytes are no clean text in any known encoding refused, rather than imported as junk?"""
    with pytest.raises(TableError, match="encoding|UTF-8|neither"):
        list(_open(data).rows)


def test_names_beginning_with_a_quote_survive_csv():
    """Does a name that begins with a quote come back from our CSV exactly (it came back with doubled quotes)?"""
    rows = [{"name_ru": '"ДЮСШ №3" г. Талгар'}, {"name_ru": "'=1+1"}, {"name_ru": "'просто апостроф"},
            {"name_ru": '=HYPERLINK("x")'}, {"name_ru": "+7 701 123 45 67"}]
    buffer = io.BytesIO()
    write_csv(rows, [("name_ru", "name_ru")], buffer)
    assert [r["name_ru"] for r in _open(buffer.getvalue()).rows] == [r["name_ru"] for r in rows]


def xlsx_bomb(shared_bytes: int) -> bytes:
    """A valid workbook whose shared strings hold one string of `shared_bytes`, compressed to almost nothing."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Registry" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{main}"><si><t>name_ru</t></si><si><t>'.encode())
            chunk = b"A" * (1 << 20)
            for _ in range(shared_bytes >> 20):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return out.getvalue()


@pytest.mark.slow
def test_xlsx_bomb_is_refused_before_parsing():
    """Is a small XLSX that unpacks a 150 MB string refused with a clear error, without the memory it would take?

    (The old reader parsed it: +330 MB of memory and 24 s for a 150 KB upload.)
    """
    data = xlsx_bomb(150 << 20)
    assert len(data) < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(TableError, match="MB"):
            _open(data, "bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 << 20


def test_workbook_unpacking_beyond_the_total_bound_is_refused():
    """Is the sum of a workbook's uncompressed parts bounded too (not only the shared strings)?"""
    buffer = io.BytesIO()
    write_xlsx([{"a": "x" * 1000} for _ in range(2000)], [("a", "a")], buffer)
    with pytest.raises(TableError, match="unpacks"):
        open_table(io.BytesIO(buffer.getvalue()), "big.xlsx", xlsx_max_uncompressed=100_000)
    assert len(list(open_table(io.BytesIO(buffer.getvalue()), "big.xlsx").rows)) == 2000


@pytest.mark.parametrize("features,fragment", [
    (["a string"], "Feature 1 is not"),
    ([{"type": "Feature", "properties": {}, "geometry": None}, 42], "Feature 2 is not"),
    ([{"type": "Feature", "properties": ["bin", "name"], "geometry": None}], "Feature 1: its properties"),
    ([{"type": "Feature", "properties": {}, "geometry": "POINT(71.4 51.1)"}], "Feature 1: its geometry"),
    ([{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [71.4]}}],
     "Feature 1: a Point"),
    ([{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": "71.4,51.1"}}],
     "Feature 1: a Point"),
    ([{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [True, None]}}],
     "Feature 1: a Point"),
    ("not a list", "no list of features"),
])
def test_malformed_geojson_names_the_feature(features, fragment):
    """Does a malformed GeoJSON import say which feature is wrong (it raised AttributeError/TypeError/IndexError)?"""
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    with pytest.raises(TableError, match=fragment):
        _open(data, "registry.geojson")


@pytest.mark.parametrize("doc", ["[" * 100_000 + "]" * 100_000, '[{"a": ' + "[" * 50_000 + "]" * 50_000 + "}]"])
def test_deeply_nested_json_is_refused(doc):
    """Is a JSON file nested too deeply for the parser a clear error instead of a RecursionError?"""
    with pytest.raises(TableError, match="nested too deeply"):
        _open(doc.encode(), "registry.json")


def test_json_array_with_a_non_object_names_the_item():
    """Does a JSON array holding a number say which item it is?"""
    with pytest.raises(TableError, match="Item 2"):
        _open(b'[{"bin": "1"}, 5]', "registry.json")


def _sheet_with(extra_rows_xml: bytes) -> bytes:
    """A two-row workbook whose sheet XML gets `extra_rows_xml` appended to its rows (and claims 1M rows)."""
    import re

    buffer = io.BytesIO()
    write_xlsx([{"bin": "190540000024", "name_ru": "Школа"}], [("bin", "bin"), ("name_ru", "name_ru")], buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*>", b'<dimension ref="A1:XFD1048576"/>', data)
                data = data.replace(b"</sheetData>", extra_rows_xml + b"</sheetData>")
            dst.writestr(info.filename, data)
    return out.getvalue()


@pytest.mark.parametrize("rows_xml,refusal,before_parsing", [
    (b"<row/>" * 2_000_000, "more than 100,000 rows", True),  # 21 KB that unzips to 12 MB of empty rows
    # One row numbered past the limit: openpyxl yields the gap's empty rows, the 100,001st of them is refused.
    (b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>', "more than 100,000 rows", False),
    ((b"<row>" + b'<c s="0"/>' * 16_000 + b"</row>") * 200, "far more cells", True),  # formatted empty cells
], ids=["empty rows", "row number jump", "wide empty cells"])
def test_xlsx_of_empty_rows_or_cells_is_refused_within_seconds(rows_xml, refusal, before_parsing, monkeypatch):
    """Is a small XLSX that unzips to millions of empty rows (or cells) refused, the tags counted before openpyxl
    parses a row of it (what keeps it to seconds), instead of holding a worker for minutes reading rows that are
    then skipped as blank? (Before: 2 million empty rows took 13 s and were read as a one-row table; 3.2 million
    empty cells about 40 s.)"""
    import openpyxl

    data = _sheet_with(rows_xml)
    assert len(data) < 200_000
    if before_parsing:
        monkeypatch.setattr(openpyxl, "load_workbook", _never_parsed)
    with pytest.raises(TableError, match=refusal):
        list(_open(data, "empty.xlsx").rows)


def _never_parsed(*_args, **_kwargs):
    raise AssertionError("openpyxl was asked to parse a workbook the reader should have refused before")


def test_xlsx_with_a_few_blank_rows_and_formatted_cells_is_read():
    """Are blank rows inside a table and a few formatted empty cells beside it still read as before?"""
    data = _sheet_with(b"<row/>" * 500 + b'<row><c t="inlineStr"><is><t>190540000035</t></is></c>'
                       + b'<c s="0"/>' * 40 + b"</row>")
    assert [r["bin"] for r in _open(data, "gaps.xlsx").rows] == ["190540000024", "190540000035"]

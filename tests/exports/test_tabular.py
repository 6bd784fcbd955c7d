"""Round trips and error handling of the streaming tabular exports."""

import io
import json
import tracemalloc

import pytest

from exports.tabular import (
    TableError,
    read_table,
    write_csv,
    write_geojson,
    write_json,
    write_xlsx,
)

# Pure code: no database transaction needed.

COLUMNS = [
    ("bin", "БИН"),
    ("name_ru", "Наименование"),
    ("name_kk", "Атауы"),
    ("children_count", "Дети"),
    ("lat", "Широта"),
    ("lon", "Долгота"),
    ("skills", "Навыки"),
    ("note", "Примечание"),
]

ROWS = [
    {
        "bin": "940140000385",
        "name_ru": "КГУ «Средняя школа № 12» города Талдыкорган",
        "name_kk": "«Талдықорған қаласының № 12 жалпы білім беретін мектебі» КММ",
        "children_count": 812,
        "lat": 45.0156,
        "lon": 78.3739,
        "skills": ["safety", "nutrition"],
        "note": None,
    },
    {
        "bin": "990140004654",
        "name_ru": 'Детский сад "Балапан", филиал; Өскемен',
        "name_kk": "«Балапан» балабақшасы — әғқңөұүһі",
        "children_count": 120,
        "lat": None,
        "lon": None,
        "skills": [],
        "note": "строка\nс переносом",
    },
]


def _gen(rows):
    yield from rows


def _written(writer, rows=ROWS, **kw):
    buf = io.BytesIO()
    writer(_gen(rows), COLUMNS, buf, **kw)
    return buf.getvalue()


def test_csv_round_trip_bom_and_crlf():
    data = _written(write_csv)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    columns, rows = read_table(io.BytesIO(data), "registry.csv")
    assert columns == [h for _, h in COLUMNS]
    rows = list(rows)
    assert rows[0]["Атауы"] == ROWS[0]["name_kk"]
    assert rows[1]["Наименование"] == ROWS[1]["name_ru"]
    assert rows[1]["Примечание"] == "строка\nс переносом"
    assert rows[0]["Примечание"] == ""
    assert json.loads(rows[0]["Навыки"]) == ["safety", "nutrition"]
    assert rows[1]["Широта"] == ""


def test_xlsx_round_trip():
    from openpyxl import load_workbook

    data = _written(write_xlsx, sheet_title="Реестр")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "Реестр"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["B"].width > 20
    columns, rows = read_table(io.BytesIO(data), "x.xlsx")
    assert columns == [h for _, h in COLUMNS]
    rows = list(rows)
    assert rows[0]["Атауы"] == ROWS[0]["name_kk"]
    assert rows[0]["Дети"] == 812
    assert rows[1]["Широта"] is None
    assert len(rows) == 2


def test_geojson_round_trip():
    data = _written(write_geojson)
    doc = json.loads(data.decode("utf-8"))
    assert doc["type"] == "FeatureCollection"
    f0, f1 = doc["features"]
    assert f0["geometry"] == {"type": "Point", "coordinates": [78.3739, 45.0156]}
    assert "lat" not in f0["properties"]
    assert f0["properties"]["name_kk"] == ROWS[0]["name_kk"]
    assert f1["geometry"] is None
    _columns, rows = read_table(io.BytesIO(data), "x.geojson")
    rows = list(rows)
    assert rows[0]["lat"] == 45.0156 and rows[0]["lon"] == 78.3739
    assert rows[1]["lat"] is None
    assert rows[1]["name_ru"] == ROWS[1]["name_ru"]


def test_json_round_trip():
    data = _written(write_json)
    assert json.loads(data.decode("utf-8")) == ROWS
    columns, rows = read_table(io.BytesIO(data), "x.json")
    assert columns == [k for k, _ in COLUMNS]
    assert list(rows) == ROWS


def test_empty_iterable_writes_valid_files():
    for writer in (write_json, write_geojson):
        data = _written(writer, rows=[])
        json.loads(data.decode("utf-8"))
    columns, rows = read_table(io.BytesIO(_written(write_csv, rows=[])), "e.csv")
    assert len(columns) == len(COLUMNS) and list(rows) == []


def test_cp1251_semicolon_csv():
    text = "БИН;Наименование;Адрес\r\n940140000385;Школа № 5;г. Костанай, ул. Абая, 1\r\n"
    columns, rows = read_table(io.BytesIO(text.encode("cp1251")), "excel.csv")
    assert columns == ["БИН", "Наименование", "Адрес"]
    assert list(rows) == [
        {"БИН": "940140000385", "Наименование": "Школа № 5", "Адрес": "г. Костанай, ул. Абая, 1"}
    ]


def test_excel_unicode_text_utf16_tabs():
    text = "БИН\tАтауы\r\n940140000385\tҰлытау мектебі\r\n"
    columns, rows = read_table(io.BytesIO(text.encode("utf-16")), "unicode.txt")
    assert columns == ["БИН", "Атауы"] and list(rows) == [{"БИН": "940140000385", "Атауы": "Ұлытау мектебі"}]


def test_utf8_without_bom_comma():
    text = "a,b\n1,Қазақстан\n"
    columns, rows = read_table(io.BytesIO(text.encode("utf-8")), "x.csv")
    assert columns == ["a", "b"] and list(rows) == [{"a": "1", "b": "Қазақстан"}]


@pytest.mark.parametrize("payload", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_empty_file(payload):
    with pytest.raises(TableError, match="empty"):
        read_table(io.BytesIO(payload), "empty.csv")


def test_garbage_bytes():
    import random

    junk = bytes(random.Random(7).randrange(256) for _ in range(4096))
    with pytest.raises(TableError):
        read_table(io.BytesIO(junk), "junk.csv")


def test_not_a_table():
    with pytest.raises(TableError, match="PDF"):
        read_table(io.BytesIO(b"%PDF-1.7\n..."), "report.pdf")
    with pytest.raises(TableError, match="xls"):
        read_table(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), "old.xls")
    with pytest.raises(TableError):
        read_table(io.BytesIO(b"PK\x03\x04not really a zip"), "broken.xlsx")


@pytest.mark.slow
def test_streaming_keeps_memory_bounded():
    n = 30_000
    row = {k: "Талдықорған қаласының мектебі" for k, _ in COLUMNS}

    def rows():
        for i in range(n):
            yield {**row, "bin": f"{i:012d}"}

    class Sink(io.RawIOBase):
        """Counts bytes instead of keeping them, so only the writer's memory is measured."""

        size = 0

        def writable(self):
            return True

        def write(self, b):
            self.size += len(b)
            return len(b)

    for writer in (write_csv, write_json, write_geojson):
        sink = Sink()
        tracemalloc.start()
        written = writer(rows(), COLUMNS, sink)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert written == n
        # The output is ~10 MB; holding the rows or the output would need far more than 1 MB.
        assert sink.size > 5_000_000
        assert peak < 1_000_000, (writer.__name__, peak)


def test_formulas_are_neutralised_and_round_trip():
    from openpyxl import load_workbook

    evil = [{"bin": "=HYPERLINK(\"http://x\")", "name_ru": "+7 701 234 56 78", "name_kk": "-5",
             "note": "@SUM(A1)", "lat": float("nan"), "lon": 77.0, "skills": None,
             "children_count": "bad\x0bchar"}]
    csv_bytes = _written(write_csv, rows=evil)
    assert b"'=HYPERLINK" in csv_bytes and b"'+7 701" in csv_bytes and b",-5," in csv_bytes
    _columns, rows = read_table(io.BytesIO(csv_bytes), "x.csv")
    row = next(rows)
    assert row["БИН"] == evil[0]["bin"] and row["Наименование"] == "+7 701 234 56 78"
    assert row["Примечание"] == "@SUM(A1)"

    xlsx_bytes = _written(write_xlsx, rows=evil)
    ws = load_workbook(io.BytesIO(xlsx_bytes)).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == evil[0]["bin"]
    assert ws["D2"].value == "badchar"

    doc = json.loads(_written(write_geojson, rows=evil))
    assert doc["features"][0]["geometry"] is None

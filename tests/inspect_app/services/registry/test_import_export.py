"""Does the registry import validate everything first, write all or nothing, and re-import without duplicates?"""

import io

import pytest
import sqlalchemy as sa

from inspect_app.extensions import db
from inspect_app.models import ChangeRecord, Facility
from inspect_app.services.errors import Forbidden, InvalidInput
from inspect_app.services.registry.import_export import import_registry
from tests.factories import FacilityFactory, UserFactory, valid_bin
from tests.inspect_app.services.conftest import (
    ALMATY_REGION,
    cp1251_rows,
    csv_bytes,
    db_state,
    exported_csv,
    xlsx_bytes,
)


def run_import(user, data: bytes, name="registry.csv", **kwargs):
    return import_registry(db.session, user, io.BytesIO(data), name, **kwargs)


def bins_in_db():
    return set(db.session.scalars(sa.select(Facility.bin)))


@pytest.mark.parametrize("make", [
    lambda rows: csv_bytes(rows),
    "cp1251",
    lambda rows: csv_bytes(rows, encoding="utf-8-sig", delimiter=";"),
    lambda rows: csv_bytes(rows, encoding="utf-16", delimiter="\t"),
    lambda rows: xlsx_bytes(rows),
    lambda rows: exported_csv(rows),
], ids=["utf8-comma", "cp1251-semicolon", "utf8-bom-semicolon", "utf16-tab", "xlsx", "own-export"])
def test_file_imports_every_row_with_its_values(admin, registry_rows, make):
    """Does each file flavour a ministry or an akimat sends import all rows, with Cyrillic and phones intact?"""
    if make == "cp1251":
        registry_rows = cp1251_rows(registry_rows)
        make = lambda rows: csv_bytes(rows, encoding="cp1251", delimiter=";")  # noqa: E731
    name = "registry.xlsx" if make(registry_rows[:1])[:2] == b"PK" else "registry.csv"
    result = run_import(admin, make(registry_rows), name)
    assert result.errors == [] and result.committed
    assert result.created == len(registry_rows) and result.rows == len(registry_rows)
    stored = {f.bin: f for f in db.session.scalars(sa.select(Facility))}
    for row in registry_rows:
        facility = stored[row["bin"]]
        assert facility.name_ru == row["name_ru"]
        # Stored in E.164: "+7 776 975 76 31" becomes "+77769757631".
        assert facility.contact_phone == (row["contact_phone"] or "").replace(" ", "")
        assert facility.children_count == row["children_count"]
        assert facility.season_start == row["season_start"]
        assert facility.region.kato == row["region_kato"]
    history = db.session.scalars(sa.select(ChangeRecord).where(ChangeRecord.action == "import")).all()
    assert len(history) == len(registry_rows)


def test_reimport_updates_by_bin_and_creates_no_duplicates(admin, registry_rows):
    """Does importing the same file twice give 0 created and N unchanged the second time, with no new history?"""
    data = csv_bytes(cp1251_rows(registry_rows), encoding="cp1251", delimiter=";")
    run_import(admin, data)
    before = db_state()
    second = run_import(admin, data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(registry_rows))
    assert db_state() == before


def test_reimport_with_one_change_updates_that_row_and_logs_it(admin, registry_rows):
    """Does a re-import that changes one cell update only that facility and record [old, new]?"""
    run_import(admin, csv_bytes(registry_rows))
    changed = [dict(r) for r in registry_rows]
    changed[3]["children_count"] = changed[3]["children_count"] + 7
    result = run_import(admin, csv_bytes(changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, len(registry_rows) - 1)
    record = db.session.scalars(sa.select(ChangeRecord).where(ChangeRecord.action == "import")
                                .order_by(ChangeRecord.id.desc())).first()
    assert record.changes == {"children_count": [registry_rows[3]["children_count"], changed[3]["children_count"]]}


def _broken(rows):
    rows = [dict(r) for r in rows[:6]]
    rows[1]["bin"] = rows[1]["bin"][:11] + str((int(rows[1]["bin"][11]) + 1) % 10)  # wrong check digit
    rows[2]["lat"] = 60.5
    rows[3]["children_count"] = "many"
    rows[4]["bin"] = rows[0]["bin"]
    rows[5]["type"] = "casino"
    return rows


def test_file_with_bad_rows_imports_nothing_and_names_every_error(admin, registry_rows):
    """Is a file with bad rows refused whole, with each problem named by spreadsheet row and column?"""
    before = db_state()
    result = run_import(admin, csv_bytes(_broken(registry_rows)))
    assert not result.committed
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "bin"), (4, "lat"), (5, "children_count"), (6, "bin"), (7, "type")}
    assert any("row 2" in e.message for e in result.errors if e.row == 6)
    assert db_state() == before


def test_partial_import_writes_valid_rows_and_returns_rejects(admin, registry_rows):
    """Does `partial` import the good rows and hand back the bad ones with their reasons?"""
    result = run_import(admin, csv_bytes(_broken(registry_rows)), partial=True)
    assert result.committed and result.created == 1 and result.rejected == 5
    assert bins_in_db() == {registry_rows[0]["bin"]}
    assert len(result.rejects) == 5
    assert all(r["error"] for r in result.rejects)
    assert "outside Kazakhstan" in result.rejects[1]["error"]


@pytest.mark.parametrize("data,fragment", [
    (b"", "empty"),
    (b"   \r\n ", "empty"),
    (b"bin,name_ru,type,agency,region_kato,lat,lon,risk\r\n", "no data rows"),
    (bytes(range(256)) * 40, "encoding"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 10, "encoding"),
    (b"PK\x03\x04garbage-not-a-zip" * 10, "xlsx"),
    (b"bin;name_ru\r\n190540000017;School\r\n", "lacks the column"),
    ("bin,name_ru,type\r\n".encode("utf-16-le"), ""),
    (b'[{"bin": 1}, 2]', "item 2 of the json array is not an object"),
], ids=["empty", "blank", "header-only", "binary", "png", "fake-zip", "missing-columns", "utf16-no-bom", "bad-json"])
def test_unreadable_file_is_refused_with_a_clear_message(admin, data, fragment):
    """Is an empty, binary or malformed file refused with a message about the file and nothing written?"""
    before = db_state()
    with pytest.raises(InvalidInput) as caught:
        run_import(admin, data)
    assert "file" in caught.value.errors
    assert fragment.lower() in caught.value.message.lower()
    assert db_state() == before


def test_file_over_the_row_limit_is_refused(admin, registry_rows):
    """Is a file with more rows than the limit refused whole, naming the limit?"""
    before = db_state()
    with pytest.raises(InvalidInput, match="more than 10 rows"):
        run_import(admin, csv_bytes(registry_rows[:11]), max_rows=10)
    assert db_state() == before
    assert run_import(admin, csv_bytes(registry_rows[:10]), max_rows=10).created == 10


def test_supervisor_cannot_import_or_overwrite_another_region(supervisor, registry_rows, geography):
    """Is a supervisor's file refused for rows of another region, and for BINs registered in another region?"""
    own = [r for r in registry_rows if r["region_kato"] == ALMATY_REGION]
    foreign = [r for r in registry_rows if r["region_kato"] != ALMATY_REGION]
    before = db_state()
    result = run_import(supervisor, csv_bytes(own[:3] + foreign[:1]))
    assert not result.committed and [(e.row, e.column) for e in result.errors] == [(5, "region_kato")]
    assert db_state() == before

    other_region = FacilityFactory(region=geography["750000000"], bin=valid_bin())
    db.session.commit()
    hijack = dict(own[0], bin=other_region.bin)
    before = db_state()
    result = run_import(supervisor, csv_bytes([hijack]))
    assert not result.committed and result.errors[0].column == "bin"
    assert db_state() == before


@pytest.mark.parametrize("role", ["ministry", "inspector"])
def test_readers_cannot_import(geography, registry_rows, role):
    """Are roles that may not change the registry refused before the file is read?"""
    user = UserFactory(role=role, region=geography[ALMATY_REGION] if role == "inspector" else None)
    with pytest.raises(Forbidden):
        run_import(user, csv_bytes(registry_rows[:2]))
    assert bins_in_db() == set()

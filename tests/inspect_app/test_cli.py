"""Do the `flask registry` and `flask users` commands do what the README promises?"""

import io
import json

import pytest
import sqlalchemy as sa

from exports.tabular import read_table
from inspect_app.extensions import db
from inspect_app.models import ApiToken, DuplicateCandidate, Facility, User
from tests.factories import FacilityFactory
from tests.inspect_app.services.conftest import (
    cp1251_rows,
    csv_bytes,
    db_state,
    load_geography,
    make_registry_rows,
)


@pytest.fixture
def geography():
    """The regions and districts the app ships."""
    return load_geography()


@pytest.fixture(scope="module")
def registry_rows():
    """A generated registry as file rows."""
    return make_registry_rows()


def _broken(rows):
    rows = [dict(r) for r in rows[:5]]
    rows[1]["lat"] = "38.0"
    rows[3]["bin"] = rows[3]["bin"][:-1] + str((int(rows[3]["bin"][-1]) + 1) % 10)
    return rows


def test_import_is_all_or_nothing(runner, tmp_path, geography, registry_rows):
    """Does `registry import` refuse a file with a bad row, print each error by row and column, and exit 1?"""
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(cp1251_rows(_broken(registry_rows)), encoding="cp1251", delimiter=";"))
    before = db_state()
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 1
    assert "row 3, column lat" in result.output and "row 5, column bin" in result.output
    assert "Nothing imported" in result.output
    assert db_state() == before


def test_partial_import_writes_a_rejects_file(runner, tmp_path, geography, registry_rows):
    """Does `--partial` import the good rows and write the bad ones, with reasons, next to the file?"""
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(_broken(registry_rows)))
    result = runner.invoke(args=["registry", "import", "--partial", str(path)])
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output and "2 rejected" in result.output
    rejects = tmp_path / "registry.rejects.csv"
    _, rows = read_table(io.BytesIO(rejects.read_bytes()), rejects.name)
    rows = list(rows)
    assert [r["bin"] for r in rows] == [registry_rows[1]["bin"], _broken(registry_rows)[3]["bin"]]
    assert "outside Kazakhstan" in rows[0]["error"] and "check digit" in rows[1]["error"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == 3


def test_reimport_is_idempotent(runner, tmp_path, geography, registry_rows):
    """Does importing the same file twice report 0 created and N unchanged the second time?"""
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(registry_rows))
    assert runner.invoke(args=["registry", "import", str(path)]).exit_code == 0
    before = db_state()
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 0
    assert f"0 created, 0 updated, {len(registry_rows)} unchanged" in result.output
    assert db_state() == before


def test_import_of_an_empty_file_fails_clearly(runner, tmp_path, geography):
    """Does an empty file end with a message about the file and exit 1?"""
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 1 and "empty" in result.output


def test_import_row_limit_comes_from_the_config(app, runner, tmp_path, geography, registry_rows):
    """Does the CLI honour IMPORT_MAX_ROWS?"""
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(registry_rows[:4]))
    old, app.config["IMPORT_MAX_ROWS"] = app.config["IMPORT_MAX_ROWS"], 3
    try:
        result = runner.invoke(args=["registry", "import", str(path)])
    finally:
        app.config["IMPORT_MAX_ROWS"] = old
    assert result.exit_code == 1 and "more than 3 rows" in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson", "json"])
def test_export_to_a_file_reimports_unchanged(runner, tmp_path, geography, registry_rows, fmt):
    """Does `registry export -o FILE` write every facility of the filter, and does that file re-import unchanged?"""
    source = tmp_path / "registry.csv"
    source.write_bytes(csv_bytes(registry_rows))
    runner.invoke(args=["registry", "import", str(source)])
    target = tmp_path / f"out.{fmt}"
    result = runner.invoke(args=["registry", "export", "--format", fmt, "-o", str(target), "--region", "190000000"])
    assert result.exit_code == 0, result.output
    _, rows = read_table(io.BytesIO(target.read_bytes()), target.name)
    expected = {r["bin"] for r in registry_rows if r["region_kato"] == "190000000"}
    assert {str(r["bin"]) for r in rows} == expected
    again = runner.invoke(args=["registry", "import", str(target)])
    assert f"0 created, 0 updated, {len(expected)} unchanged" in again.output


def test_export_to_stdout_with_type_filter(runner, geography, registry_rows, tmp_path):
    """Does `registry export --format json --type T` print only facilities of that type?"""
    source = tmp_path / "registry.csv"
    source.write_bytes(csv_bytes(registry_rows))
    runner.invoke(args=["registry", "import", str(source)])
    result = runner.invoke(args=["registry", "export", "--format", "json", "--type", "kindergarten"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout_bytes if hasattr(result, "stdout_bytes") else result.output)
    assert rows and {r["type"] for r in rows} == {"kindergarten"}


def test_duplicates_lists_the_flagged_pair(runner, geography):
    """Does `registry duplicates` flag two nearby records of one kindergarten and print both BINs?"""
    region = geography["190000000"]
    a = FacilityFactory(region=region, name_ru="Детский сад «Айгөлек»", lat=43.30, lon=76.90)
    b = FacilityFactory(region=region, name_ru="ТОО Детский сад Айгөлек", lat=43.3004, lon=76.9003)
    db.session.commit()
    result = runner.invoke(args=["registry", "duplicates"])
    assert result.exit_code == 0
    assert "1 new candidate pair" in result.output and a.bin in result.output and b.bin in result.output
    assert runner.invoke(args=["registry", "duplicates"]).output.startswith("0 new")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateCandidate)) == 1


def test_users_create_and_token_open_the_api(runner, client, geography):
    """Do `users create` and `users token` give a supervisor a token the API accepts, scoped to their region?"""
    result = runner.invoke(args=["users", "create", "aigerim", "--role", "supervisor", "--region", "190000000",
                                 "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    token = runner.invoke(args=["users", "token", "aigerim"]).output.strip()
    assert token.startswith("tks_")
    stored = db.session.scalar(sa.select(ApiToken.token_hash).join(User).where(User.username == "aigerim"))
    assert stored == ApiToken.hash_token(token) and token not in stored
    response = client.get("/api/v1/registry/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and [r["kato"] for r in response.json] == ["190000000"]


@pytest.mark.parametrize("args,message", [
    (["users", "create", "x", "--role", "supervisor", "--password", "long-enough-1"], "region"),
    (["users", "create", "x", "--role", "admin", "--password", "short"], "8 characters"),
    (["users", "create", "x", "--role", "admin", "--region", "1", "--password", "long-enough-1"], "Unknown region"),
    (["users", "token", "nobody"], "no user"),
])
def test_user_commands_explain_bad_input(runner, geography, args, message):
    """Does a bad `users` command exit 1 with a message saying what to fix, creating nobody?"""
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_read_only_commands_create_no_user(runner, geography, tmp_path):
    """On a database without an admin, do listing and export commands answer without adding a user?"""
    for args in (["registry", "export", "--format", "json", "-o", str(tmp_path / "r.json")], ["schedule", "list"],
                 ["audit", "list"], ["stats", "export", "-o", str(tmp_path / "s.csv")],
                 ["schedule", "export", "1"], ["report", "pdf", "1", "-o", str(tmp_path / "a.pdf")]):
        result = runner.invoke(args=args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0, args
    assert "not found" in result.output


def test_schedule_export_has_no_problem_option(runner, geography):
    """Is the problem written by `schedule problem` only (one command for one thing)?"""
    result = runner.invoke(args=["schedule", "export", "1", "--problem"])
    assert result.exit_code == 2 and "No such option" in result.output

"""Importing and exporting the facility registry (CSV, XLSX, JSON, GeoJSON).

Imports validate every row before writing anything and then write in one transaction, so a file with
one bad row changes nothing (unless `partial` asks to import the valid rows and return the rejects).
Exports stream rows from the database in batches, so 30,000 facilities never sit in memory at once.
"""

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from exports.tabular import TableError, open_table, write_csv, write_geojson, write_json, write_xlsx
from inspect_app.labels import field_label
from inspect_app.models import ChangeRecord, District, Facility, Region, User
from inspect_app.models.vocab import EXPORT_FORMATS, utcnow
from inspect_app.schemas.facility import REGISTRY_COLUMNS, FacilityImportSchema
from inspect_app.schemas.opening_hours import format_opening_hours, parse_opening_hours
from inspect_app.services.access import (
    facility_filter,
    in_region,
    require_registry_editor,
    require_registry_reader,
    sees_all_regions,
)
from inspect_app.services.errors import InvalidInput
from inspect_app.services.registry.history import diff, record_change
from inspect_app.services.statistics import tally

REQUIRED_COLUMNS = ("bin", "name_ru", "type", "agency", "region_kato", "lat", "lon", "risk")
BATCH = 1000
ANALYZE_AFTER_ROWS = 1000


@dataclass
class RowError:
    """One problem of one row: `row` counts data rows from 1 as a spreadsheet shows them (header is row 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or would have done."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    committed: bool = False
    format: str = ""
    encoding: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able summary (errors included, rejected rows not)."""
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "committed": self.committed, "format": self.format,
            "encoding": self.encoding,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


def _clean(row: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    """The row keyed by column key (a header may be a key or its label in any language), text stripped."""
    cleaned = {}
    for key, value in row.items():
        if key is None:
            continue
        key = str(key).strip().lower()
        key = keys.get(key, key)
        if isinstance(value, str):
            value = value.strip()
        cleaned[key] = None if value == "" else value
    return cleaned


def _messages(errors: dict) -> Iterator[tuple[str, str]]:
    for column, messages in errors.items():
        if isinstance(messages, dict):
            for inner in messages.values():
                yield column, "; ".join(map(str, inner if isinstance(inner, list) else [inner]))
        else:
            yield column, "; ".join(map(str, messages))


def import_registry(
    session: Session, user: User, fp: IO[bytes], filename: str, *, partial: bool = False, max_rows: int = 100_000
) -> ImportResult:
    """Validate every row of a registry file, then create or update facilities by BIN in one transaction.

    Without `partial`, any error means nothing is written and `result.errors` lists every problem by row
    and column. With `partial`, valid rows are written and invalid ones are returned in `result.rejects`
    (the original cells plus an `error` column). Re-importing the same file changes nothing.
    """
    require_registry_editor(user)
    try:
        table = open_table(fp, filename, max_rows=max_rows)
    except TableError as exc:
        raise InvalidInput(str(exc), "file") from exc
    columns, rows = table.columns, table.rows
    keys = header_keys()
    header = [keys.get(str(c).strip().lower(), str(c).strip().lower()) for c in columns if c is not None]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(f"The file lacks the column(s): {', '.join(missing)}.", "file")

    regions = {r.kato: r for r in session.scalars(sa.select(Region))}
    districts = {d.kato: d for d in session.scalars(sa.select(District))}
    schema = FacilityImportSchema()
    result = ImportResult(format=table.format, encoding=table.encoding)
    valid: list[tuple[int, dict[str, Any]]] = []
    seen_bins: dict[str, int] = {}
    try:
        for index, raw in enumerate(rows, start=2):
            result.rows += 1
            if result.rows > max_rows:
                raise InvalidInput(f"The file has more than {max_rows} rows; split it.", "file")
            row = _clean(raw, keys)
            if not any(v is not None for v in row.values()):
                result.rows -= 1
                continue
            row_errors = _validate_row(schema, row, index, regions, districts, user, seen_bins)
            if row_errors:
                result.errors.extend(row_errors)
                result.rejected += 1
                if partial:
                    result.rejects.append({**{k: raw.get(k) for k in raw if k is not None},
                                           "error": "; ".join(e.message for e in row_errors)})
            else:
                valid.append((index, row))
    except TableError as exc:
        raise InvalidInput(str(exc), "file") from exc
    if result.rows == 0:
        raise InvalidInput("The file has no data rows.", "file")
    if result.errors and not partial:
        return result

    _check_existing_scope(session, user, valid, result, partial)
    if result.errors and not partial:
        return result
    _write(session, user, valid, regions, districts, result, filename)
    return result


def _validate_row(schema, row, index, regions, districts, user, seen_bins) -> list[RowError]:
    errors: list[RowError] = []
    try:
        data = schema.load({k: v for k, v in row.items() if v is not None})
    except ValidationError as exc:
        return [RowError(index, column, message) for column, message in _messages(exc.normalized_messages())]
    region = regions.get(data["region_kato"])
    if region is None:
        errors.append(RowError(index, "region_kato", f"Unknown region KATO code {data['region_kato']}."))
    elif not in_region(user, region.id):
        errors.append(RowError(index, "region_kato", "You may only import facilities of your own region."))
    if data.get("district_kato"):
        district = districts.get(data["district_kato"])
        if district is None:
            errors.append(RowError(index, "district_kato", f"Unknown district KATO code {data['district_kato']}."))
        elif region is not None and district.region_id != region.id:
            errors.append(RowError(index, "district_kato", "The district lies in another region."))
    first = seen_bins.setdefault(data["bin"], index)
    if first != index:
        errors.append(RowError(index, "bin", f"BIN {data['bin']} appears again (first on row {first})."))
    if not errors:
        row.clear()
        row.update(data)
    return errors


def _check_existing_scope(session, user, valid, result, partial) -> None:
    """A supervisor may not overwrite, by BIN, a facility of another region."""
    if sees_all_regions(user):
        return
    by_bin = {row["bin"]: index for index, row in valid}
    bins = list(by_bin)
    foreign = set()
    for start in range(0, len(bins), BATCH):
        chunk = bins[start:start + BATCH]
        foreign.update(session.scalars(
            sa.select(Facility.bin).where(Facility.bin.in_(chunk), Facility.region_id != user.region_id)))
    for bin_ in sorted(foreign, key=by_bin.get):
        result.errors.append(RowError(by_bin[bin_], "bin", "This BIN belongs to a facility of another region."))
        result.rejected += 1
    if foreign:
        valid[:] = [(i, row) for i, row in valid if row["bin"] not in foreign]


def _write(session, user, valid, regions, districts, result, filename) -> None:
    note = f"import {os.path.basename(filename)}"[:500]
    moved = False
    try:
        for start in range(0, len(valid), BATCH):
            chunk = valid[start:start + BATCH]
            existing = {f.bin: f for f in session.scalars(
                sa.select(Facility).where(Facility.bin.in_([row["bin"] for _, row in chunk])))}
            new_rows = []
            for _, row in chunk:
                values = {k: v for k, v in row.items() if k not in ("region_kato", "district_kato")}
                for key in ("name_kk", "address", "risk_reason", "contact_name", "contact_phone", "contact_email"):
                    values[key] = values.get(key) or ""
                values["region_id"] = regions[row["region_kato"]].id
                district = districts.get(row.get("district_kato") or "")
                values["district_id"] = district.id if district else None
                facility = existing.get(row["bin"])
                if facility is None:
                    new_rows.append(values)
                    result.created += 1
                    continue
                if _same_hours(facility.opening_hours, values["opening_hours"]):
                    # Stored hours may list closed days as []; the file's text form cannot, and means the same.
                    del values["opening_hours"]
                changes = diff(facility, values)
                if not changes:
                    result.unchanged += 1
                    continue
                moved = moved or "region_id" in changes or "district_id" in changes
                for key, value in values.items():
                    setattr(facility, key, value)
                record_change(session, "facility", facility.id, "import", changes, user, note)
                result.updated += 1
            session.flush()
            _insert_new(session, user, new_rows, note)
        if moved:  # the monthly inspection counts follow facilities into their new districts
            tally.rebuild(session)
        session.commit()
        result.committed = True
    except Exception:
        session.rollback()
        raise
    if result.created >= ANALYZE_AFTER_ROWS and session.get_bind().dialect.name == "postgresql":
        # A bulk load leaves PostgreSQL's statistics stale until autovacuum comes by; the list pages would
        # meanwhile be planned as a full sort instead of a walk along the name index.
        session.execute(sa.text("ANALYZE facility"))
        session.commit()


def _same_hours(stored: Any, new: dict[str, list[list[str]]]) -> bool:
    try:
        return parse_opening_hours(stored) == new
    except ValidationError:
        return False


def _insert_new(session: Session, user: User, rows: list[dict[str, Any]], note: str) -> None:
    """Insert new facilities and their 'import' history rows as two bulk statements.

    One multi-row INSERT ... RETURNING per batch instead of one ORM object and flush step per row: the
    import of a national registry (30,000 rows) spends its time here otherwise.
    """
    if not rows:
        return
    now = utcnow()
    # Every row carries the same keys, so the rows go out in multi-row statements.
    for values in rows:
        values.update(created_at=now, updated_at=now, version=1)
    ids = session.scalars(
        sa.insert(Facility).returning(Facility.id, sort_by_parameter_order=True), rows).all()
    session.execute(sa.insert(ChangeRecord), [
        {"entity_type": "facility", "entity_id": facility_id, "action": "import",
         "changes": {"bin": [None, values["bin"]]}, "user_id": user.id, "note": note, "at": now}
        for facility_id, values in zip(ids, rows, strict=True)])


def iter_registry_rows(session: Session, user: User, args: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Rows of the registry file for the facilities the user may see, fetched in batches (with the facility's
    `id`, which only the GeoJSON writes; the other formats are keyed by BIN)."""
    require_registry_reader(user)
    district = sa.orm.aliased(District)
    derived = ("region_kato", "district_kato", "opening_hours")
    cols = [getattr(Facility, c) for c in REGISTRY_COLUMNS if c not in derived]
    query = (
        # Opening hours come as their stored JSON text: most facilities share a few timetables, so the text is
        # parsed and formatted once per distinct value instead of once per row.
        sa.select(Facility.id, *cols, sa.cast(Facility.opening_hours, sa.Text).label("opening_hours"),
                  Region.kato.label("region_kato"), district.kato.label("district_kato"))
        .join(Region, Facility.region_id == Region.id)
        .outerjoin(district, Facility.district_id == district.id)
        .where(facility_filter(user), Facility.archived_at.is_(None))
        .order_by(Region.kato, Facility.bin)
    )
    if args.get("region"):
        query = query.where(Region.kato == args["region"])
    for key in ("type", "agency", "risk", "status"):
        if args.get(key):
            query = query.where(getattr(Facility, key) == args[key])
    hours_text: dict[str | None, str] = {}
    # Plain Core rows (no ORM result processing): the query names columns only.
    # (Statement options, not connection options: those would stay on the session's connection.)
    result = session.connection().execute(query.execution_options(yield_per=BATCH))
    try:
        keys = list(result.keys())
        for row in result:
            item = dict(zip(keys, row, strict=True))
            raw = item["opening_hours"]
            if raw not in hours_text:
                hours_text[raw] = format_opening_hours(json.loads(raw) if raw else None)
            item["opening_hours"] = hours_text[raw]
            yield {c: item[c] for c in ("id", *REGISTRY_COLUMNS)}
    finally:
        # A server-side cursor (PostgreSQL) must not outlive an export that stopped half-way.
        result.close()


# The files a person opens in a spreadsheet (the web page's downloads): headers in the UI language, which the
# import reads back; "csv_excel" is separated by ";", as a Russian-locale Excel expects.
PEOPLE_FORMATS = {"xlsx": EXPORT_FORMATS["xlsx"], "csv_excel": EXPORT_FORMATS["csv"]}


def header_keys() -> dict[str, str]:
    """Every registry column's header in ru, kk and en (lower case) -> its key, and each key to itself."""
    from flask_babel import force_locale

    keys = {c: c for c in REGISTRY_COLUMNS}
    for language in ("ru", "kk", "en"):
        with force_locale(language):
            keys.update({field_label(c).strip().lower(): c for c in REGISTRY_COLUMNS})
    return keys


def export_registry(session: Session, user: User, fmt: str, fp: IO[bytes], args: dict[str, Any], *,
                    for_people: bool = False) -> None:
    """Write the (filtered) registry the user may see to a binary file object in the given format.

    `for_people` (XLSX or csv_excel only) writes the headers in the UI language instead of the column keys.
    """
    formats = PEOPLE_FORMATS if for_people else EXPORT_FORMATS
    if fmt not in formats:
        raise InvalidInput(f"Unknown format; use one of {', '.join(formats)}.", "format")
    columns = [(c, field_label(c) if for_people else c) for c in REGISTRY_COLUMNS]
    rows = iter_registry_rows(session, user, args)
    if fmt == "csv":
        write_csv(rows, columns, fp)
    elif fmt == "csv_excel":
        write_csv(rows, columns, fp, delimiter=";")
    elif fmt == "xlsx":
        write_xlsx(rows, columns, fp, sheet_title=_("Реестр") if for_people else "Registry")
    elif fmt == "geojson":
        # The facility's id as the Feature id: a GIS layer can be joined back to the registry and the API.
        write_geojson(rows, columns, fp, id_key="id")
    else:
        write_json(rows, columns, fp)


def export_to_tempfile(session: Session, user: User, fmt: str, args: dict[str, Any], *,
                       for_people: bool = False) -> str:
    """Export into a temporary file on disk and return its path (the caller deletes it)."""
    formats = PEOPLE_FORMATS if for_people else EXPORT_FORMATS
    handle, path = tempfile.mkstemp(prefix="tekseru-export-", suffix="." + formats.get(fmt, ("", "x"))[1])
    try:
        with os.fdopen(handle, "wb") as fp:
            export_registry(session, user, fmt, fp, args, for_people=for_people)
    except Exception:
        os.unlink(path)
        raise
    return path

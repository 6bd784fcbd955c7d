"""Benchmark the compliance dashboard at national scale on PostgreSQL.

Usage: python bench/bench_dashboard.py [--database-url postgresql+psycopg://...] [--audits 200000] [--repeat 20]
The national picture is generated with bulk inserts into a schema of its own (dropped at the end, or kept with
--keep): 30,000 facilities in 20 regions (the demo generator), 700 inspectors, 200,000 submitted audits over the
past two years with their violations (open, resolved, overdue), and each facility's last inspection date.
Then, warm, each request is repeated and its p95 printed: the ministry's national dashboard, a supervisor's region
dashboard, the map data (and its size) and the compliance index; then the country's XLSX export is timed.
The statistics cache is off, so every request computes its figures.
Targets: each page p95 < 0.3 s, map data < 2 MB, XLSX export < 15 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from bench_db import database_url, drop_schema  # noqa: E402

from config import Config  # noqa: E402

TARGET_P95 = 0.3
TARGET_XLSX = 15.0
TARGET_MAP_BYTES = 2_000_000
FAIL_RATE = {"critical": 0.02, "major": 0.04, "minor": 0.06}
BATCH = 5000


def make_app(url: str):
    """The app on the given database, migrated, statistics cache off, jobs inline."""
    from flask_migrate import upgrade

    from inspect_app import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False
        JOBS_INLINE = True
        STATS_CACHE_SECONDS = 0
        THROTTLE_ENABLED = False

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
    return app


def _insert(session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(sa.insert(table), rows[start:start + BATCH])


def generate(session, audits: int, seed: int = 1) -> dict:
    """The national picture by bulk inserts; returns the logins and a region to ask for."""
    import forms
    from inspect_app.demo.generator import generate_registry
    from inspect_app.demo.seed import ensure_geography
    from inspect_app.i18n import today_almaty
    from inspect_app.models import Audit, District, Facility, Inspector, Region, Violation
    from inspect_app.models.inspector import inspector_region
    from inspect_app.services import checklists
    from inspect_app.services.users import create_user

    today = today_almaty()
    rng = random.Random(seed)
    ensure_geography(session)
    checklists.ensure_templates(session)
    regions = {r.kato: r.id for r in session.scalars(sa.select(Region))}
    districts = {d.kato: d.id for d in session.scalars(sa.select(District))}
    demo = generate_registry(seed, national=True, today=today)
    now = datetime.now(UTC)
    rows = []
    for f in demo.facilities:
        row = {k: v for k, v in f.items() if k not in ("region_kato", "district_kato", "last_inspection_date")}
        rows.append({**row, "region_id": regions[f["region_kato"]],
                     "district_id": districts.get(f["district_kato"] or ""), "created_at": now, "updated_at": now,
                     "version": 1})
    _insert(session, Facility.__table__, rows)
    facilities = session.execute(sa.select(Facility.id, Facility.region_id, Facility.type)).all()
    rows = [{"full_name": r["full_name"], "agency": r["agency"], "skills": list(r["skills"]),
             "home_lat": r["home_lat"], "home_lon": r["home_lon"], "created_at": now, "updated_at": now}
            for r in demo.inspectors]
    _insert(session, Inspector.__table__, rows)
    inspector_ids = list(session.scalars(sa.select(Inspector.id).order_by(Inspector.id)))
    links = [{"inspector_id": iid, "region_id": regions[r["region_katos"][0]]}
             for iid, r in zip(inspector_ids, demo.inspectors, strict=True)]
    _insert(session, inspector_region, links)
    by_region: dict[int, list[int]] = {}
    for link in links:
        by_region.setdefault(link["region_id"], []).append(link["inspector_id"])
    big = max(by_region, key=lambda rid: len(by_region[rid]))
    big_kato = next(k for k, v in regions.items() if v == big)
    create_user(session, "bench-ministry", "bench-password-1", "ministry", None, commit=False)
    create_user(session, "bench-supervisor", "bench-password-1", "supervisor", big_kato, commit=False)

    template_row = checklists.template_for_facility(session, session.get(Facility, facilities[0].id))
    template = checklists.parsed(template_row)
    items = {t: forms.items_for(template, t) for t in {f.type for f in facilities}}
    section_of = {it.code: sec.code for sec in template.sections for it in sec.items}
    audit_rows, violation_rows = [], []
    next_id = (session.scalar(sa.select(sa.func.max(Audit.id))) or 0) + 1
    for n in range(audits):
        f = rng.choice(facilities)
        day = today - timedelta(days=rng.randint(1, 730))
        failed = [it for it in items[f.type] if it.kind != "text" and rng.random() < FAIL_RATE[it.severity]]
        result = ("fail" if any(it.severity == "critical" for it in failed)
                  else "pass_with_violations" if failed else "pass")
        audit_id = next_id + n
        at = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)
        audit_rows.append({
            "id": audit_id, "client_uuid": str(uuid.UUID(int=rng.getrandbits(128))), "status": "submitted",
            "facility_id": f.id, "region_id": f.region_id, "template_id": template_row.id,
            "inspector_id": rng.choice(by_region.get(f.region_id) or inspector_ids),
            "legal_basis": "planned" if rng.random() < 0.8 else "unplanned", "inspection_date": day,
            "check_in_at": at, "check_out_at": at + timedelta(hours=2),
            "submitted_at": at + timedelta(hours=rng.choice((2, 3, 5, 26, 50))),
            "result": result, "score_overall": 100.0 - 5 * len(failed), "created_at": at, "updated_at": at})
        for it in failed:
            due = day + timedelta(days={"critical": 10, "major": 30, "minor": 60}[it.severity])
            resolved = due < today and rng.random() < 0.75
            violation_rows.append({
                "audit_id": audit_id, "facility_id": f.id, "item_code": it.code, "section": section_of[it.code],
                "severity": it.severity, "item_text": it.text.to_dict(), "corrective_action": {"ru": "Устранить"},
                "responsible": "Руководитель", "due_date": due, "status": "resolved" if resolved else "open",
                "resolved_at": datetime(due.year, due.month, due.day, 6, tzinfo=UTC) if resolved else None})
    _insert(session, Audit.__table__, audit_rows)
    _insert(session, Violation.__table__, violation_rows)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit', 'id'), (SELECT max(id) FROM audit))"))
    session.execute(sa.text("""
        UPDATE facility SET last_audit_id = n.id, last_result = n.result, last_inspection_date = n.inspection_date
        FROM (SELECT DISTINCT ON (facility_id) facility_id, id, result, inspection_date FROM audit
              WHERE status = 'submitted' ORDER BY facility_id, inspection_date DESC, id DESC) AS n
        WHERE n.facility_id = facility.id"""))
    from inspect_app.services.statistics import tally
    tally.rebuild(session)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE"))
        session.commit()  # the statistics ANALYZE gathers are kept only when its transaction commits
    return {"region": big_kato, "facilities": len(facilities), "inspectors": len(inspector_ids),
            "audits": len(audit_rows), "violations": len(violation_rows)}


def timed(client, url: str, repeat: int) -> tuple[float, float, int]:
    """Warm once, then `repeat` requests: (p50, p95, bytes of the answer)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:500])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, len(response.get_data())


def login(app, username: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": "bench-password-1"})
    assert response.status_code in (302, 303), response.status_code
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="PostgreSQL database to make a schema in (default: $BENCH_DATABASE_URL)")
    parser.add_argument("--audits", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the schema (prints its name)")
    parser.add_argument("--reuse", metavar="SCHEMA", help="measure a schema kept by --keep (no generation)")
    parser.add_argument("--only", help="measure only the requests whose name contains this")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url (or BENCH_DATABASE_URL) is required: the figures are for PostgreSQL")
    if args.reuse:
        sep = "&" if "?" in args.database_url else "?"
        url, schema, args.keep = f"{args.database_url}{sep}options=-csearch_path%3D{args.reuse}", args.reuse, True
    else:
        url, schema = database_url(args.database_url, "", "")
    failed = False
    try:
        app = make_app(url)
        from inspect_app.extensions import db

        with app.app_context():
            start = time.perf_counter()
            info = generate(db.session, args.audits) if not args.reuse else None
            print("reused " + schema if info is None else
                  f"generated {info['facilities']} facilities, {info['inspectors']} inspectors, {info['audits']} "
                  f"audits, {info['violations']} violations in {time.perf_counter() - start:.1f} s")
        ministry, supervisor = login(app, "bench-ministry"), login(app, "bench-supervisor")
        year = ""  # the dashboard's default period: this calendar year in Asia/Almaty
        cases = [
            ("national dashboard (ministry)", ministry, f"/dashboard{year}"),
            ("region dashboard (supervisor)", supervisor, f"/dashboard{year}"),
            ("map data (country)", ministry, "/dashboard/map.json"),
            ("compliance index (country)", ministry, f"/dashboard/index{year}"),
        ]
        print(f"{'request':34} {'p50 s':>7} {'p95 s':>7} {'target':>7} {'bytes':>10}")
        for name, client, path in cases:
            if args.only and args.only not in name:
                continue
            p50, p95, size = timed(client, path, args.repeat)
            ok = p95 < TARGET_P95 and (not path.startswith("/dashboard/map") or size < TARGET_MAP_BYTES)
            failed |= not ok
            print(f"{name:34} {p50:7.3f} {p95:7.3f} {TARGET_P95:7.1f} {size:10d} {'ok' if ok else 'MISSED'}")
        if args.only and args.only not in "country XLSX export":
            return 1 if failed else 0
        start = time.perf_counter()
        response = ministry.get(f"/dashboard/export-all.xlsx{year}")
        took = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        ok = took < TARGET_XLSX
        failed |= not ok
        print(f"{'country XLSX export':34} {took:7.3f} {'':>7} {TARGET_XLSX:7.1f} {len(response.get_data()):10d} "
              f"{'ok' if ok else 'MISSED'}")
    finally:
        if args.keep:
            print(f"kept schema {schema}: --reuse {schema}")
        else:
            drop_schema(args.database_url, schema)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

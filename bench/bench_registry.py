"""Benchmark the registry: import 30,000 facilities from CSV, export them in every format, list a page by API.

Usage: python bench/bench_registry.py [--rows 30000] [--seed 1] [--database-url postgresql+psycopg://...]
Without --database-url the run uses a fresh migrated SQLite file in a temporary directory; with it, a schema
of its own in that PostgreSQL database, dropped at the end.
Targets: import < 30 s, CSV export < 3 s, XLSX export < 15 s, one API page of 50 < 50 ms (median),
peak memory of an export < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from bench_db import database_url, drop_schema  # noqa: E402

from config import Config  # noqa: E402

FORMATS = ("csv", "xlsx", "geojson", "json")
TARGETS = {
    "import csv": 30.0, "reimport csv (unchanged)": None, "export csv": 3.0, "export xlsx": 15.0,
    "export geojson": None, "export json": None,
}


def make_app(url: str):
    """The app on the given database, migrated, with no CSRF (the API is called with a token)."""
    from flask_migrate import upgrade

    from inspect_app import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False
        JOBS_INLINE = True

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
    return app


def write_registry_csv(path: str, rows: int, seed: int) -> int:
    """Generate a national registry with the demo generator and write it as the app's CSV."""
    from exports.tabular import write_csv
    from inspect_app.demo.generator import generate_registry
    from inspect_app.schemas.facility import REGISTRY_COLUMNS
    from inspect_app.schemas.fields import format_opening_hours

    demo = generate_registry(seed, national=True, facilities=rows, inspectors=0, today=date(2026, 11, 25))

    def file_rows():
        for facility in demo.facilities:
            row = {key: facility.get(key) for key in REGISTRY_COLUMNS}
            row["opening_hours"] = format_opening_hours(row["opening_hours"])
            yield row

    with open(path, "wb") as fp:
        return write_csv(file_rows(), [(c, c) for c in REGISTRY_COLUMNS], fp)


def timed(func, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def measure_export_memory(url: str, fmt: str) -> tuple[float, float]:
    """Memory an export adds, in MB, measured in a fresh process: (ru_maxrss growth, tracemalloc peak)."""
    out = subprocess.run([sys.executable, __file__, "--memory-probe", fmt, "--database-url", url],
                         capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return figures["rss_mb"], figures["traced_mb"]


def memory_probe(url: str, fmt: str) -> None:
    """Run in a subprocess: load the app, note ru_maxrss, export, print the growth as JSON.

    ru_maxrss is the process's high-water mark, so the export is run first untraced (its growth over the
    loaded app is the RSS figure) and then again under tracemalloc (the peak of Python allocations).
    """
    import tracemalloc

    from inspect_app.extensions import db
    from inspect_app.services.registry.import_export import export_registry

    app = make_app(url)
    with app.app_context():
        from inspect_app.cli.common import system_user

        user = system_user()
        # Warm the code paths with an empty export so the baseline holds imported modules, not data.
        with open(os.devnull, "wb") as sink:
            export_registry(db.session, user, fmt, sink, {"region": "000000000"})
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(os.devnull, "wb") as sink:
            export_registry(db.session, user, fmt, sink, {})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        db.session.expunge_all()
        tracemalloc.start()
        with open(os.devnull, "wb") as sink:
            export_registry(db.session, user, fmt, sink, {})
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps({"rss_mb": (peak - baseline) / 1024, "traced_mb": traced / 2**20}))


def run(args) -> None:
    """Build the database, run every measurement and print the table."""
    from inspect_app.demo.seed import ensure_geography
    from inspect_app.extensions import db
    from inspect_app.models import Facility
    from inspect_app.services.registry.import_export import export_registry, import_registry
    from inspect_app.services.users import create_user, issue_token

    workdir = tempfile.mkdtemp(prefix="tekseru-bench-")
    url, schema = database_url(args.database_url, workdir, "bench.db")
    results: list[tuple[str, float, float | None, str]] = []
    try:
        app = make_app(url)
        csv_path = os.path.join(workdir, "registry.csv")
        seconds, count = timed(write_registry_csv, csv_path, args.rows, args.seed)
        print(f"generated {count} facilities in {seconds:.1f} s ({os.path.getsize(csv_path) / 1e6:.1f} MB CSV)")
        with app.app_context():
            ensure_geography(db.session)
            admin = create_user(db.session, "bench-admin", "bench-password", "admin")
            token = issue_token(db.session, admin, "bench")

            with open(csv_path, "rb") as fp:
                seconds, result = timed(import_registry, db.session, admin, fp, "registry.csv", max_rows=10**6)
            assert result.committed and result.created == count, result.as_dict() | {"errors": result.errors[:5]}
            results.append(("import csv", seconds, TARGETS["import csv"], f"{count / seconds:,.0f} rows/s"))
            with open(csv_path, "rb") as fp:
                seconds, result = timed(import_registry, db.session, admin, fp, "registry.csv", max_rows=10**6)
            assert result.unchanged == count, result.as_dict()
            results.append(("reimport csv (unchanged)", seconds, None, "0 created, all unchanged"))
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Facility)) == count

            for fmt in FORMATS:
                path = os.path.join(workdir, f"export.{fmt}")
                with open(path, "wb") as fp:
                    seconds, _ = timed(export_registry, db.session, admin, fmt, fp, {})
                results.append((f"export {fmt}", seconds, TARGETS[f"export {fmt}"],
                                f"{os.path.getsize(path) / 1e6:.1f} MB"))

        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        for label, query in (("API page of 50", "page=1&page_size=50"),
                             ("API page of 50, filtered+sorted", "type=school&risk=high&sort=-children_count"
                                                                 "&page=3&page_size=50")):
            for _ in range(3):
                client.get(f"/api/v1/facilities/?{query}", headers=headers).close()
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(f"/api/v1/facilities/?{query}", headers=headers)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200 and len(response.json) == 50, response.status_code
                response.close()
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            results.append((label, statistics.median(times), 0.050, f"p95 {p95 * 1000:.1f} ms, n={len(times)}"))

        for fmt in ("csv", "xlsx"):
            rss, traced = measure_export_memory(url, fmt)
            results.append((f"peak memory export {fmt} (MB)", max(rss, traced), 300.0,
                            f"ru_maxrss +{rss:.1f} MB, tracemalloc peak {traced:.1f} MB"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        drop_schema(args.database_url, schema)

    backend = "PostgreSQL" if schema else "SQLite (file)"
    print(f"\nRegistry benchmark: {args.rows:,} facilities on {backend}, seed {args.seed}")
    print(f"{'measure':<36} {'value':>10} {'target':>10}  {'ok':<4} note")
    for name, value, target, note in results:
        unit = "" if "MB" in name else " s"
        shown = f"{value * 1000:.1f} ms" if name.startswith("API") else f"{value:.2f}{unit}"
        goal = "" if target is None else (f"{target * 1000:.0f} ms" if name.startswith("API")
                                          else f"{target:g}{unit}")
        ok = "" if target is None else ("yes" if value < target else "NO")
        print(f"{name:<36} {shown:>10} {goal:>10}  {ok:<4} {note}")


def main() -> None:
    """Parse the arguments and run the benchmark (or, internally, one memory probe)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=30, help="API requests timed per listing")
    parser.add_argument("--database-url", help="PostgreSQL URL; default: a temporary SQLite file")
    parser.add_argument("--memory-probe", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.memory_probe:
        memory_probe(args.database_url, args.memory_probe)
    else:
        run(args)


if __name__ == "__main__":
    main()

"""Does `make bench-year` still run against the app it measures? It calls the services directly (the problem
builder, the calendar), so a changed signature there breaks it without any other test noticing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_year_bench_runs_a_small_month_on_the_calendar():
    """One month of a small demo region, 1 s per solve: does the bench end cleanly and print its calendar and
    lateness figures (the speed itself is the bench's business, not this test's)?"""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_year.py"), "--months", "1", "--facilities",
                           "60", "--inspectors", "3", "--time-limit", "1"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "working days from 2031-01-01" in done.stdout
    assert "largest days past interval, open days only" in done.stdout
    assert "validator violations 0" in done.stdout

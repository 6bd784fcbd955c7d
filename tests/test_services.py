"""Does a run without Redis say what it skipped and why, and does CI refuse to pass without it?

Runs pytest on the RQ tests in a child process with TEST_REDIS_URL on a port nothing listens on.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dead_redis_url() -> str:
    """A Redis URL on a free port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/6"


def _run(ci: str | None):
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "PYTEST_XDIST_WORKER")}
    env["TEST_REDIS_URL"] = _dead_redis_url()
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "tests/rq/test_rq_worker.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False), env["TEST_REDIS_URL"]


@pytest.mark.slow
def test_without_redis_the_run_names_what_it_skipped_and_why():
    """Outside CI: do the RQ tests skip (exit 0) and does the summary name the service, its URL and the files?"""
    result, url = _run(ci=None)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "tests skipped: a service they need is not running" in output
    assert "tests/rq/test_rq_worker.py" in output and f"Redis is not reachable at {url}" in output
    assert "start redis-server" in output


@pytest.mark.slow
def test_under_ci_a_missing_redis_fails_the_run():
    """With CI=true, is a missing Redis a failure that says so, not a skip?"""
    result, url = _run(ci="true")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Under CI a missing service is a failure" in output and url in output
    assert "skipped" not in output.splitlines()[-1]


def test_the_ci_script_runs_its_tests_as_ci():
    """Does .ci/run mark its own runs as CI (CI=true unless the runner set it), so that a runner exporting nothing
    still fails without PostgreSQL or Redis instead of passing with the tests skipped?"""
    script = Path(__file__).resolve().parents[1] / ".ci" / "run"
    lines = script.read_text().splitlines()
    first_test = next(i for i, line in enumerate(lines) if line.strip() == "make test")
    exported = [i for i, line in enumerate(lines) if line.strip() == 'export CI="${CI:-true}"']
    assert exported and exported[0] < first_test
    probe = subprocess.run(["bash", "-c", f"set -e; {lines[exported[0]].strip()}; echo $CI"], capture_output=True,
                           text=True, env={"PATH": os.environ["PATH"]}, check=True)
    assert probe.stdout.strip() == "true"

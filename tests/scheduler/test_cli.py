"""Command line exit codes: 0 valid, 1 broken rules (one line each), 2 malformed input."""

import json
import subprocess
import sys

from scheduler.cli import main


def test_generate_solve_validate_roundtrip(tmp_path, capsys):
    prob, sched = tmp_path / "p.json", tmp_path / "s.json"
    assert main(["generate", "--facilities", "60", "--must", "25", "--inspectors", "3", "--dates", "5",
                 "--seed", "3", "-o", str(prob)]) == 0
    assert main(["solve", str(prob), "-o", str(sched), "--seed", "9", "--time-limit", "2"]) == 0
    data = json.loads(sched.read_text())
    assert data["seed"] == 9 and data["routes"]
    assert main(["validate", str(prob), str(sched)]) == 0

    data["routes"][0]["stops"][0]["end"] = data["routes"][0]["stops"][0]["start"]
    data["routes"][0]["date"] = "1999-01-01"
    sched.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["validate", str(prob), str(sched)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 2 and any("not in the horizon" in x for x in lines)


def test_malformed_files_exit_2_with_message(tmp_path, capsys):
    prob = tmp_path / "p.json"
    prob.write_text(json.dumps({"dates": ["2027-02-01"], "travel": {"speed_kmh": 50, "road_factor": 1.3},
                                "facilities": [{"id": "F1"}], "inspectors": []}))
    assert main(["solve", str(prob), "-o", str(tmp_path / "s.json")]) == 2
    assert "facilities[0] (F1).lat: missing required field" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("{not json")
    assert main(["validate", str(tmp_path / "bad.json"), str(prob)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "scheduler", "validate", "/nonexistent/p.json", "x.json"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_a_killed_solve_leaves_no_worker_process(tmp_path):
    """`solve --workers 2` killed with SIGKILL mid-run: do its area workers die with it instead of routing on?"""
    from tests.processes import kill_tree, orphans_of_a_killed_parent

    prob = tmp_path / "p.json"
    assert main(["generate", "--facilities", "400", "--must", "200", "--inspectors", "12", "--dates", "10",
                 "--seed", "4", "-o", str(prob)]) == 0
    solve = subprocess.Popen([sys.executable, "-m", "scheduler", "solve", str(prob), "-o", str(tmp_path / "s.json"),
                              "--workers", "2", "--time-limit", "120", "--no-wall-clock-cap"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert orphans_of_a_killed_parent(solve, 2, 120, "the solve's workers"), "area workers outlived their solve"
    finally:
        kill_tree(solve.pid)

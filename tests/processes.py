"""Processes of the tests that kill things: the tree below a pid, read from /proc, and waiting for a state."""

import contextlib
import os
import signal
import time


def process_tree() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def children(pid: int) -> list[int]:
    """The direct children of `pid`."""
    return process_tree().get(pid, [])


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    tree = process_tree()
    out, todo = set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(predicate, seconds: float, step: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def orphans_of_a_killed_parent(proc, at_least: int, started_within: float, what: str, settle: float = 0.0) -> bool:
    """Wait until `proc` has `at_least` descendants (else fail, saying `what` never started), let them run
    `settle` seconds, SIGKILL `proc` and reap it; True once every one of those descendants is gone (30 s)."""
    assert wait_for(lambda: len(descendants(proc.pid)) >= at_least, started_within), f"{what} never started"
    time.sleep(settle)
    tree = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    return wait_for(lambda: not any(alive(p) for p in tree), 30)


def kill_tree(pid: int) -> None:
    """SIGKILL `pid` and everything below it (test clean-up)."""
    for child in descendants(pid) | {pid}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)

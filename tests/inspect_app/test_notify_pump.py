"""The outbox pump of a serving process: a thread that sends what is due; stopped when its app lets go of its
database, so a process that serves one app after another (the tests do) never polls a database that is gone."""

import threading
import time

from inspect_app import notify_pump


def _pumps() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "notify-pump" and t.is_alive()]


def test_a_stopped_pump_ends_its_thread(app, monkeypatch):
    """Does stop() end the thread that start() began, and leave the other apps' pumps alone?"""
    calls = []
    monkeypatch.setattr(notify_pump, "run_once", lambda a: calls.append(a))
    monkeypatch.setitem(app.config, "NOTIFY_POLL_SECONDS", 0.05)
    before = set(_pumps())
    notify_pump.start(app)
    ours = [t for t in _pumps() if t not in before]
    assert len(ours) == 1
    deadline = time.monotonic() + 10
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    assert calls, "the pump never ran"
    notify_pump.stop(app)
    ours[0].join(10)
    assert not ours[0].is_alive()
    assert before <= set(_pumps())

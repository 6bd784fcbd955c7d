"""Who sends the outbox: a thread of each app process (without Redis) or of each `flask jobs worker` (with
Redis), woken by every commit that queued a notification and every NOTIFY_POLL_SECONDS (retries, digests,
weekly summaries). Several pumps at once are safe: rows and endpoints are claimed atomically."""

import logging
import threading

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)
_wake = threading.Event()
_started: dict[int, threading.Event] = {}  # app id -> its pump's stop
_lock = threading.Lock()


def run_once(app: Flask) -> dict[str, int]:
    """Send what is due now, in an app context of its own."""
    from inspect_app.extensions import db
    from inspect_app.services.notifications import MailSettings, run_due

    with app.app_context():
        try:
            return run_due(db.session, MailSettings.from_config(app.config), base_url=app.config["PUBLIC_BASE_URL"],
                           allow_http=bool(app.config.get("WEBHOOK_ALLOW_HTTP")),
                           lease_seconds=float(app.config.get("NOTIFY_LEASE_SECONDS") or 120))
        finally:
            db.session.remove()


def _loop(app: Flask, stopped: threading.Event) -> None:
    every = float(app.config.get("NOTIFY_POLL_SECONDS") or 30)
    while not stopped.is_set():
        _wake.wait(every)
        _wake.clear()
        if stopped.is_set():
            return
        try:
            run_once(app)
        except Exception:  # noqa: BLE001 - a pump that dies sends nothing ever again; log and go on
            log.exception("sending notifications failed; trying again in %s s", every)


def start(app: Flask) -> None:
    """Start this process's pump for the app (once)."""
    with _lock:
        if id(app) in _started:
            return
        _started[id(app)] = stopped = threading.Event()
    threading.Thread(target=_loop, args=(app, stopped), daemon=True, name="notify-pump").start()


def stop(app: Flask) -> None:
    """Stop the app's pump, if it runs, before the app lets go of its database (a process that serves several
    apps in turn, as the tests do, would otherwise keep polling a database that is gone)."""
    with _lock:
        stopped = _started.pop(id(app), None)
    if stopped is not None:
        stopped.set()
        _wake.set()


def register(app: Flask) -> None:
    """Wake a pump after every commit that queued a notification: this process's thread, or an RQ worker."""
    from inspect_app.services.notifications.outbox import PENDING_FLAG

    redis_url = app.config.get("REDIS_URL")
    if not app.config.get("NOTIFY_PUMP"):
        return
    if not redis_url:
        # Serving processes only (the first request starts it), not every `flask` command.
        app.before_request(lambda: start(app) if id(app) not in _started else None)

    @sa.event.listens_for(so.Session, "after_commit")
    def _queued(session: so.Session) -> None:
        # Listeners are per class: only this app's sessions (another app of the process has its own listener).
        if not has_app_context() or current_app._get_current_object() is not app:
            return
        if not session.info.pop(PENDING_FLAG, False):
            return
        if not redis_url:
            _wake.set()
            return
        from redis import Redis
        from redis.exceptions import RedisError
        from rq import Queue

        try:
            connection = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
            Queue(app.config["RQ_QUEUE"], connection=connection).enqueue(
                "inspect_app.worker.run_notifications", job_timeout=600)
        except RedisError as exc:  # the workers' own pumps send it within NOTIFY_POLL_SECONDS
            log.warning("notifications not handed to RQ at once: %s", exc)

"""The deployment's `Runtime` for the edges (pages, API, CLI, job runners): built once by `create_app`.

Services never import this module (an import-linter contract): they receive the Runtime as an argument.
"""

from functools import partial

from flask import Flask, current_app

from inspect_app.services.runtime import Runtime

EXTENSION_KEY = "tekseru.runtime"


def install_runtime(app: Flask) -> Runtime:
    """Build the app's Runtime from its config (once, after the config is loaded) and keep it on the app."""
    runtime = Runtime.from_config(app.config, run_in_thread=partial(run_in_app_thread, app))
    app.extensions[EXTENSION_KEY] = runtime
    return runtime


def current_runtime() -> Runtime:
    """The Runtime of the app handling this request, command or job."""
    return current_app.extensions[EXTENSION_KEY]


def run_in_app(app: Flask, job_id: str) -> None:
    """Run a job inside an app context of its own (threads and RQ workers)."""
    from inspect_app.extensions import db
    from inspect_app.services.jobs import execute

    with app.app_context():
        try:
            execute(db.session, job_id, current_runtime())
        finally:
            db.session.remove()


def run_in_app_thread(app: Flask, job_id: str) -> None:
    """Start a job in a daemon thread of this app (the embedded default, without Redis)."""
    import threading

    threading.Thread(target=run_in_app, args=(app, job_id), daemon=True, name=f"job-{job_id}").start()

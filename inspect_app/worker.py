"""What RQ workers run: `flask jobs worker` starts one; each job builds the app when it starts.

A job runs in RQ's work horse, a forked child of the worker in a process group of its own. Should the worker
die (even by `kill -9`), the horse and every solver process it started must die too, or a build the app
already reported failed would finish and save: `JobWorker` has Linux send the horse SIGTERM when the worker
dies (prctl PR_SET_PDEATHSIG), and the horse answers by killing its whole process group.
"""

import os
import signal
from functools import lru_cache

from rq import Worker

from scheduler.lifetime import die_with_parent


@lru_cache(maxsize=1)
def _app():
    # Built on first use inside the worker process, never at import time.
    from inspect_app import create_app

    return create_app()


def run_job(job_id: str) -> None:
    """Run one Tekseru job by id."""
    from inspect_app.runtime import run_in_app

    run_in_app(_app(), job_id)


def run_notifications() -> None:
    """Send the outbox now (enqueued after a commit that queued notifications)."""
    from inspect_app.notify_pump import run_once

    run_once(_app())


def _kill_process_group(signum, frame) -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


class JobWorker(Worker):
    """An RQ worker whose work horse, with every process it started, dies when the worker dies."""

    def setup_work_horse_signals(self) -> None:
        """RQ's horse signals, plus: the worker's death kills the horse's process group (solver pools too)."""
        super().setup_work_horse_signals()
        if os.getpgrp() == os.getpid():  # RQ put the horse in a group of its own
            signal.signal(signal.SIGTERM, _kill_process_group)
            die_with_parent(signal.SIGTERM)

    def run_maintenance_tasks(self) -> None:
        """RQ's periodic cleaning (which moves abandoned jobs to the failed registry), then the app's sweep."""
        super().run_maintenance_tasks()
        from inspect_app.extensions import db
        from inspect_app.runtime import current_runtime
        from inspect_app.services.jobs import sweep_dead_jobs

        with _app().app_context():
            try:
                sweep_dead_jobs(db.session, current_runtime())
            finally:
                db.session.remove()

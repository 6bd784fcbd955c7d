"""What RQ workers run: `flask jobs worker` starts one; each job builds the app when it starts."""

from functools import lru_cache


@lru_cache(maxsize=1)
def _app():
    # Built on first use inside the worker process, never at import time.
    from inspect_app import create_app

    return create_app()


def run_job(job_id: str) -> None:
    """Run one Tekseru job by id."""
    from inspect_app.services.jobs import run_in_app

    run_in_app(_app(), job_id)

"""National exports as background jobs: the dashboard's XLSX workbook or PDF summary of a scope and period,
written under UPLOAD_DIR/statistics/<job id>.<ext> with progress, downloaded by whoever started it."""

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from inspect_app.models import Job, JobStatus, User
from inspect_app.services.errors import Conflict, InvalidInput, NotFound
from inspect_app.services.jobs import task
from inspect_app.services.runtime import Runtime
from inspect_app.services.statistics.queries import resolve_scope

EXPORT_KIND = "stats_export"
EXPORT_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "pdf": "application/pdf"}


def export_dir(upload_dir: str) -> Path:
    """Where finished statistics exports are kept."""
    return Path(upload_dir) / "statistics"


def _args(params: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if params.get("region"):
        args["region"] = params["region"]
    for key in ("date_from", "date_to"):
        if params.get(key):
            args[key] = date.fromisoformat(params[key])
    return args


@task(EXPORT_KIND)
def stats_export_task(session: Session, job: Job, params: dict[str, Any], report, runtime: Runtime) -> dict[str, Any]:
    """Job: the workbook or the summary of the starter's scope, built under a temporary name and renamed at the end
    (a failure or a cancellation leaves no half-written file)."""
    from inspect_app.services.statistics.index import IndexWeights
    from inspect_app.services.statistics.summary_pdf import summary_pdf
    from inspect_app.services.statistics.tables import export_all

    user = session.get(User, job.user_id)
    if user is None:
        raise NotFound("The user who started the export no longer exists.")
    fmt, args = params["format"], _args(params)
    target = export_dir(runtime.upload_dir) / f"{job.id}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    report(0.05, "0 / 2")  # "готово 0 из 2": computing the figures, then writing the file
    fd, tmp_name = tempfile.mkstemp(prefix=".partial-", suffix=f".{fmt}", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fp:
            if fmt == "xlsx":
                rows = export_all(session, user, args, IndexWeights.from_config(params["weights"]), fp,
                                  for_people=True)
                result: dict[str, Any] = {"rows": sum(rows)}
            else:
                fp.write(summary_pdf(session, user, args, params.get("lang", "ru")))
                result = {}
        report(0.95, "1 / 2")
        os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return {**result, "file": target.name, "size": target.stat().st_size, "format": fmt}


def start_export(session: Session, user: User, params: dict[str, Any], weights: dict[str, Any],
                 runtime: Runtime) -> Job:
    """Start the export job for the user's scope (403 for inspectors and another region's supervisor; InvalidInput
    for an unknown format); `params`: format, region, date_from, date_to (dates), lang. Commits the job row."""
    from inspect_app.services.jobs import submit as submit_job

    if params.get("format") not in EXPORT_FORMATS:
        raise InvalidInput(f"Unknown format; use one of {', '.join(EXPORT_FORMATS)}.", "format")
    scope = resolve_scope(session, user, params)
    return submit_job(session, user, EXPORT_KIND, {
        "format": params["format"], "region": scope.region.kato if scope.region is not None else None,
        "date_from": scope.date_from.isoformat(), "date_to": scope.date_to.isoformat(),
        "lang": params.get("lang") or "ru", "weights": weights,
    }, region_id=scope.region.id if scope.region is not None else None, runtime=runtime)


def export_file(session: Session, user: User, job_id: str, runtime: Runtime) -> tuple[Path, str, str]:
    """(path, download name, mimetype) of a finished export the user started; Conflict while it runs."""
    from inspect_app.services.jobs import get_job

    job = get_job(session, user, job_id, runtime)
    if job.kind != EXPORT_KIND:
        raise NotFound("Job not found.")
    if job.status != JobStatus.FINISHED:
        raise Conflict(f"The export is {job.status}; download it once it has finished.", "status")
    fmt = job.params["format"]
    path = export_dir(runtime.upload_dir) / f"{job.id}.{fmt}"
    if not path.exists():
        raise NotFound("The export file is gone; start it again.")
    params = job.params
    name = "-".join(p for p in ("statistics", params.get("region") or "country", params["date_from"],
                                params["date_to"], params.get("lang") if fmt == "pdf" else None) if p)
    return path, f"{name}.{fmt}", EXPORT_FORMATS[fmt]

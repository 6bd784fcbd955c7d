"""Building a schedule inside a test (jobs run inline)."""

from inspect_app.extensions import db
from inspect_app.models import Schedule
from inspect_app.runtime import current_runtime
from inspect_app.services import schedules
from inspect_app.services.jobs import submit
from tests.inspect_app.services.schedules.conftest import START, TIME_LIMIT


def build(user, region, seed: int = 7, days: int = 5, start=START, **extra):
    """Run a build job for the region and return (job, schedules it saved); `extra`: fill, replaces..."""
    params, _ = schedules.check_build(db.session, user, {"region": region.kato if region else None, "start": start,
                                                         "days": days, "seed": seed, "time_limit": TIME_LIMIT,
                                                         **extra}, current_runtime())
    job = submit(db.session, user, "schedule_build", params.as_job_params(), region_id=region.id if region else None,
                 runtime=current_runtime())
    saved = [db.session.get(Schedule, i) for i in (job.result or {}).get("schedule_ids", [])]
    return job, saved

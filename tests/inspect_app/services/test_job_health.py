"""Does the sweep for dead job runners leave alone a job whose runner is still beating, even when RQ never heard
of it (a job run in its own process, as the demo seed runs its build and its capacity what-if)?"""

from dataclasses import replace
from datetime import timedelta

from inspect_app.models import Job
from inspect_app.models.vocab import utcnow
from inspect_app.runtime import current_runtime
from inspect_app.services import job_health


def _running(job_id: str, silent_seconds: float) -> Job:
    beat = utcnow() - timedelta(seconds=silent_seconds)
    return Job(id=job_id, kind="capacity_whatif", params={}, status="running", started_at=beat - timedelta(minutes=1),
               heartbeat_at=beat)


def test_a_beating_job_unknown_to_rq_is_not_taken_for_dead(app, monkeypatch):
    """A what-if solving in the seed's own process (heartbeat 2 s ago) with REDIS_URL set: RQ says "gone from
    the queue" for it, yet it is alive and must not be failed ("the worker stopped", an e-mail that it failed);
    one whose runner missed its beats is still failed with RQ's reason."""
    runtime = replace(current_runtime(), redis_url="redis://rq.invalid/0", job_heartbeat_seconds=10,
                      job_dead_after_seconds=600)
    asked = []

    def nobody_in_rq(job_ids, redis_url):
        asked.extend(job_ids)
        return {job_id: "gone from the queue" for job_id in job_ids}

    monkeypatch.setattr(job_health, "_rq_gave_up", nobody_in_rq)
    alive, silent = _running("a" * 32, 2), _running("b" * 32, 45)
    verdicts = job_health.death_reasons([alive, silent], runtime)
    assert alive.id not in verdicts and asked == [silent.id]
    status, message = verdicts[silent.id]
    assert status == "failed" and message.endswith("(RQ: gone from the queue)")

"""Surprise schedules: build (a background job), review, edit, publish with a commitment, routes.

What this service promises:

- A build reads the registry, converts it (`schedule_problem`), solves it with the engine, checks the
  result with the engine's validator and saves every schedule of the build in one transaction at the end:
  a failed, cancelled or killed build leaves no schedule behind.
- Same registry, horizon, seed and time limit give the same schedule. A national build derives each
  region's seed from the national seed and the region's KATO (`derive_seed`), so it equals building
  the regions one by one with those seeds, whether the regions run in this process, in a process pool
  or on several RQ workers.
- Only drafts change. An edit is re-timed, re-checked by the validator (refused with the rule named)
  and answered with the predictability warnings it causes. Publishing fixes a commitment (SHA-256 over
  the canonical schedule and its seed) that never changes after.
- Every read is scoped: admins and ministry see all regions, supervisors their region, inspectors only
  their own visits of published schedules, today and the next working day.

Each job has its module: `access` (who may see and change what), `inputs` (the problem a build reads),
`build` (the background jobs), `review`, `edits`, `publish`, `repair` (an absent inspector's visits
moved), `urgent` (a visit inserted before a deadline) and `route` (the inspector's day). The
names below are the package's public face; views, API and CLI import them from here.
"""

from inspect_app.services import schedule_engine as engine
from inspect_app.services.schedules.access import (
    buildable_regions,
    get_schedule,
    require_builder,
    require_editor,
    schedule_filter,
    schedule_query,
)
from inspect_app.services.schedules.build import (
    BuildParams,
    RegionResult,
    check_build,
    run_build,
    run_region,
    submit_build,
    sync_visits,
)
from inspect_app.services.schedules.edits import EditResult, edit_schedule
from inspect_app.services.schedules.inputs import (
    MAX_SEED,
    booked_elsewhere,
    derive_seed,
    home_region,
    horizon,
    problem_settings,
    region_problem,
)
from inspect_app.services.schedules.publish import (
    discard_schedule,
    export_problem,
    export_schedule,
    find_commitment,
    lock_region,
    publication_effect,
    publish_schedule,
)
from inspect_app.services.schedules.repair import absence_preview, mark_absent, revision_names
from inspect_app.services.schedules.review import distinct_names, facility_namer, route_grid, schedule_summary
from inspect_app.services.schedules.urgent import apply_urgent, find_urgent_facilities, urgent_options

__all__ = [
    "MAX_SEED", "BuildParams", "distinct_names", "route_grid", "absence_preview",
    "apply_urgent", "discard_schedule", "lock_region", "mark_absent",
    "publication_effect", "revision_names", "sync_visits", "urgent_options", "find_urgent_facilities",
    "EditResult", "RegionResult", "booked_elsewhere", "buildable_regions",
    "check_build", "derive_seed", "edit_schedule", "engine", "export_problem", "export_schedule",
    "find_commitment", "get_schedule", "home_region", "horizon", "problem_settings",
    "publish_schedule", "region_problem", "require_builder", "require_editor", "run_build",
    "run_region", "schedule_filter", "schedule_query", "schedule_summary", "facility_namer", "submit_build",
]

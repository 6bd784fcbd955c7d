"""Surprise schedules: build (a background job), review, edit, publish with a commitment, routes.

What this service promises:

- A build reads the registry, converts it (`problem`), solves it with the engine, checks the
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

Each job has its module: `queries` (the schedules in a user's scope; who may see and change them is
`services/access/`), `inputs` (the problem a build reads), `problem` (the registry turned into the engine's
problem: who is due, priorities, windows, skills), `signals` (complaints, not-done visits, planned visits: what
raises a facility's priority), `engine` (the scheduler package behind one door), `build` (the background jobs),
`review` and `capacity` (what the review page shows), `edits`, `publish` (and the commitment), `repair` (an
absent inspector's visits moved), `urgent` (a visit inserted before a deadline), `route` (the inspector's day)
and `read_log` (every read of a schedule or route, and the calendar feed). The names below are the package's
public face; views, API and CLI import them from here.
"""

import importlib

# The public names by module. They load on first use rather than with the package: a spawned solver process
# unpickles `engine.solve` and so imports this package, and must not pay for the database and the app
# (measured with `python -X importtime`: importing `engine` took 2.5 s with every module imported here, 1.1 s
# lazily, as before the move).
_PUBLIC = {
    "build": ("BuildParams", "RegionResult", "check_build", "run_build", "run_region", "submit_build", "sync_visits"),
    "edits": ("EditResult", "edit_schedule"),
    "inputs": ("MAX_SEED", "booked_elsewhere", "derive_seed", "home_region", "horizon", "problem_settings",
               "region_problem"),
    "publish": ("discard_schedule", "export_problem", "export_schedule", "find_commitment", "lock_region",
                "publication_effect", "publish_schedule"),
    "queries": ("buildable_regions", "get_schedule", "require_builder", "require_editor", "schedule_filter",
                "schedule_query"),
    "repair": ("absence_preview", "mark_absent", "revision_names"),
    "review": ("distinct_names", "facility_namer", "route_grid", "schedule_summary"),
    "urgent": ("apply_urgent", "find_urgent_facilities", "urgent_options"),
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}

__all__ = ["engine", *_HOME]


def __getattr__(name: str):
    if name == "engine":
        return importlib.import_module(f"{__name__}.engine")
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value

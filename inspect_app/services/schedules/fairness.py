"""What the review page says about fairness: the engine's visit rates by group, and its warnings in words.

Reads the schedule's `stats.fairness` (scheduler/fairness.py, refreshed by every recount), so the page shows what the
engine checked for the routes on screen.
"""

from typing import Any

from inspect_app.labels import FAIRNESS_AXES, fairness_group, fairness_warning


def fairness_review(stats: dict[str, Any] | None) -> dict[str, Any] | None:
    """The fairness table (axes with labelled groups and rates) and one warning per group below the rule; None for
    a schedule built before the engine reported fairness."""
    fair = (stats or {}).get("fairness")
    if not fair:
        return None
    axes = []
    for axis, rows in fair["axes"].items():
        axes.append({"axis": axis, "name": str(FAIRNESS_AXES.get(axis, axis)),
                     "rows": [{**row, "label": fairness_group(axis, row)} for row in rows
                              if row["due"] or row["optional"]]})
    warnings = []
    for entry in fair.get("below", []):
        rows = {row["key"]: row for row in fair["axes"].get(entry["axis"], [])}
        group = fairness_group(entry["axis"], rows.get(entry["group"], {"key": entry["group"]}))
        best = fairness_group(entry["axis"], rows.get(entry["best_group"], {"key": entry["best_group"]}))
        warnings.append({"axis": entry["axis"], "group": entry["group"], "explained": entry.get("reason") is not None,
                         "text": fairness_warning(entry, group, best)})
    # Unexplained shortfalls first: they are what a supervisor must look at before publishing.
    warnings.sort(key=lambda w: w["explained"])
    return {"axes": axes, "warnings": warnings, "threshold": fair.get("threshold", 0.8)}

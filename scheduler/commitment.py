"""What a schedule commits to: one canonical JSON for everything hashed, the problem's and the schedule's sha256.

The app's audit chain hashes the same serialisation (`canonical_json`), so a record and a schedule are hashed
alike: sorted keys, compact separators, UTF-8 text kept, and NaN or infinity refused (JSON has no such numbers,
and `json.dumps` would write a bare `NaN` that no other reader takes).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Stats keys that depend on the machine, not on the inputs; excluded from commitments.
VOLATILE_STATS = ("solve_seconds", "hit_wall_clock_cap", "workers")


def canonical_json(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, compact separators, ensure_ascii=False, UTF-8; ValueError on NaN."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def sha256_hex(data: Any) -> str:
    """sha256 hex of the canonical JSON of `data`."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def problem_sha256(data: dict) -> str:
    """sha256 hex of the canonical JSON of a problem dict (as read from the file)."""
    return sha256_hex(data)


def commitment(schedule: Any) -> str:
    """sha256 hex over the canonical schedule JSON (seed included, volatile stats timings excluded).

    `schedule` is a `scheduler.schedule.Schedule` or its dict.
    """
    data = dict(schedule.to_dict() if hasattr(schedule, "to_dict") else schedule)
    data["stats"] = {k: v for k, v in data.get("stats", {}).items() if k not in VOLATILE_STATS}
    return sha256_hex(data)

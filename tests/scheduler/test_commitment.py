"""The one canonical JSON that is hashed: pinned digests of records made before it moved, and NaN refused."""

import math

import pytest

from scheduler.commitment import canonical_json, commitment, problem_sha256, sha256_hex
from scheduler.problem import ProblemError, parse_problem
from tests.scheduler.helpers import facility, inspector, problem_dict

# A schedule as the engine writes it; its commitment was computed by the code of December 2026 (scheduler/edits.py).
SCHEDULE = {
    "seed": 42, "problem_sha256": "cd" * 32,
    "routes": [{"inspector": "I1", "date": "2027-02-01", "depart": "09:10", "return": "16:40",
                "stops": [{"facility": "F1", "start": "09:40", "end": "11:10"}], "travel_km": 85.2}],
    "unscheduled": [{"facility": "F9", "reason": "too far: Алматы"}],
    "stats": {"visits": 1, "solve_seconds": 3.2, "workers": 8},
}
SCHEDULE_COMMITMENT = "810ed9f544aced3d45fa190d18d67266cf92b6fe371404fda149d1ddef1f42e0"


def test_a_stored_commitment_still_verifies():
    """Does a schedule committed before the move hash to the same digest (machine timings left out)?"""
    assert commitment(SCHEDULE) == SCHEDULE_COMMITMENT
    faster = {**SCHEDULE, "stats": {**SCHEDULE["stats"], "solve_seconds": 0.4, "workers": 2}}
    assert commitment(faster) == SCHEDULE_COMMITMENT
    assert commitment({**SCHEDULE, "seed": 43}) != SCHEDULE_COMMITMENT


def test_canonical_json_is_sorted_compact_utf8():
    """Is the serialisation independent of key order and spacing, with Cyrillic kept as UTF-8?"""
    assert canonical_json({"b": 1, "a": "Ә"}) == '{"a":"Ә","b":1}'.encode()
    assert sha256_hex({"b": 1, "a": [1, 2]}) == sha256_hex({"a": [1, 2], "b": 1})


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_nan_is_refused(number):
    """Is a number JSON cannot carry refused, rather than hashed as a bare NaN no other reader takes?"""
    with pytest.raises(ValueError):
        canonical_json({"stats": {"x": number}})
    with pytest.raises(ValueError):
        commitment({**SCHEDULE, "stats": {"visits": number}})
    with pytest.raises(ValueError):
        problem_sha256({"meta": number})


def test_a_problem_with_nan_in_meta_is_a_problem_error():
    """Does a NaN where no field is read (meta) make the problem invalid, naming it, instead of a crash?"""
    data = problem_dict([facility("F1")], [inspector("I1")])
    assert parse_problem(data).sha256 == problem_sha256(data)
    with pytest.raises(ProblemError, match="problem"):
        parse_problem({**data, "meta": {"note": math.nan}})

"""The audit chain hashes through the one canonical JSON: a record hashed before the move keeps its digest."""

import math

import pytest

from inspect_app.services.audits import chain

# A record's content as `record_content` builds it, and its hash computed by the code of December 2026.
CONTENT = {"audit_id": 7, "facility_bin": "123456789012", "answers": {"S1.1": "yes", "S1.2": 3.5},
           "note": "Мектеп № 1 — ескерту", "photos": [{"id": 1, "sha256": "ab" * 32}], "score": 87.5,
           "result": "pass_with_violations", "submitted_at": "2026-12-07T10:00:00Z"}
STORED_HASH = "66ed6c5d534a58b7ce9b4d8ad37fe3effd89341765fc87038d5f7c20b1fd0977"


def test_a_stored_record_hash_still_verifies():
    """Does the content of a record chained to the genesis hash give the digest it was stored with?"""
    assert chain.compute_hash(CONTENT, "0" * 64) == STORED_HASH
    assert chain.compute_hash({**CONTENT, "score": 87.0}, "0" * 64) != STORED_HASH
    assert chain.compute_hash(CONTENT, "1" * 64) != STORED_HASH


def test_a_record_with_nan_is_refused():
    """Is a NaN score refused instead of being hashed as a bare NaN?"""
    with pytest.raises(ValueError):
        chain.compute_hash({**CONTENT, "score": math.nan}, "0" * 64)

"""Do audit writes refuse absurd dates and empty edits, and do audit times say they are UTC?"""

import re

import pytest

# An RFC 3339 timestamp ends with its offset from UTC.
OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize("field,value", [("inspection_date", "0001-01-01"), ("inspection_date", "9999-12-31"),
                                         ("check_in_at", "0001-01-01T00:00:00+05:00"),
                                         ("signal_date", "0001-01-01")])
def test_dates_out_of_range_are_422_naming_the_field(audit_api, facility, field, value):
    """Is a date no inspection can have refused naming the field, on create and on a draft's PATCH?"""
    extra = {"legal_basis": "unplanned", "basis_reason": "complaint"} if field == "signal_date" else {}
    created = audit_api.create("supervisor", facility, **extra, **{field: value})
    assert created.status_code == 422 and field in created.get_json()["errors"]["json"], created.get_json()
    draft = audit_api.create("supervisor", facility, **extra).get_json()
    patched = audit_api.patch("supervisor", draft["id"], **{field: value})
    assert patched.status_code == 422 and field in patched.get_json()["errors"]["json"]


def test_empty_patch_of_a_draft_is_422(client, audit_api, facility, auth_headers):
    """Is a PATCH of a draft with an empty body refused, saying so, instead of a silent 200?"""
    draft = audit_api.create("supervisor", facility).get_json()
    response = client.patch(f"/api/v1/audits/{draft['id']}", json={}, headers=auth_headers("supervisor"))
    assert response.status_code == 422
    assert "Пустой запрос" in response.get_json()["errors"]["json"]["_schema"][0]


def test_audit_times_carry_their_utc_offset(audit_api, facility, national):
    """Do check-in, creation, update and submission times of an audit come with their UTC offset?"""
    audit = audit_api.submitted("supervisor", facility, national, check_in_at="2031-03-03T09:15:00+05:00")
    for key in ("check_in_at", "created_at", "updated_at", "submitted_at"):
        assert audit[key] and OFFSET.search(audit[key]), (key, audit[key])
    listed = audit_api.get("supervisor", audit["id"]).get_json()
    assert listed["check_in_at"].endswith("+00:00") and listed["check_in_at"].startswith("2031-03-03T04:15")

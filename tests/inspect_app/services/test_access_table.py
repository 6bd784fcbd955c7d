"""The access policy against a table written by hand: role x capability -> allowed.

`test_access.py` checks every endpoint against the policy's own predicates; this file checks the predicates
against an expectation a person can read in one screen. Region A is the supervisor's and the inspector's;
region B is another. A change of policy changes this table on purpose, never as a side effect.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from inspect_app.models.vocab import Role
from inspect_app.services import access
from inspect_app.services.errors import Forbidden, NotFound

A, B = 1, 2
ROLES = ("admin", "ministry", "supervisor", "inspector")

# Y: allowed, -: refused.                              admin ministry supervisor inspector
TABLE = """
read the registry                                          Y   Y   Y   -
change the registry                                        Y   -   Y   -
write audits                                               Y   -   Y   Y
work in every region                                       Y   Y   -   -
belong to one region                                       -   -   Y   Y
see a facility of region A                                 Y   Y   Y   -
see a facility of region B                                 Y   Y   -   -
change a facility of region A                              Y   -   Y   -
change a facility of region B                              Y   -   -   -
read someone else's audit of region A                      Y   Y   Y   -
read someone else's audit of region B                      Y   Y   -   -
read one's own audit                                       Y   Y   Y   Y
change one's own draft                                     Y   -   Y   Y
change someone else's draft                                -   -   -   -
start an audit without a planned visit                     Y   -   Y   -
build schedules                                            Y   -   Y   -
build every region at once                                 Y   -   -   -
build for region A                                         Y   -   Y   -
build for region B                                         Y   -   -   -
change a schedule of region A                              Y   -   Y   -
change a schedule of region B                              Y   -   -   -
read someone else's job                                    Y   -   -   -
read one's own job                                         Y   Y   Y   Y
read other inspectors' days                                Y   Y   Y   -
read the day of an inspector of region A                   Y   Y   Y   -
read the day of an inspector of region B                   Y   Y   -   -
read someone else's stop in region A                       Y   Y   Y   -
read one's own stop in region A                            Y   Y   Y   Y
read a stop in region B                                    Y   Y   -   -
read a day before it is released                           Y   Y   Y   -
choose when region A's routes are released                 Y   -   Y   -
read the route access log                                  Y   -   Y   -
have a route calendar                                      -   -   -   Y
review audits (the queue)                                  Y   -   Y   -
review someone else's audit of region A                    Y   -   Y   -
review someone else's audit of region B                    Y   -   -   -
review one's own audit                                     -   -   -   -
correct one's own returned audit                           Y   -   Y   Y
read the e-mail outbox and retry failed e-mail             Y   -   -   -
register webhooks                                          Y   -   Y   -
list prescriptions                                         Y   Y   Y   -
read a prescription of someone else's audit of region A    Y   Y   Y   -
read a prescription of someone else's audit of region B    Y   Y   -   -
read the prescription of one's own audit                   Y   Y   Y   Y
decide on a prescription of region A                       Y   -   Y   -
decide on a prescription of region B                       Y   -   -   -
"""

ME, OTHER = 10, 20  # user ids: the user asking, and someone else
MY_INSPECTOR, OTHER_INSPECTOR = 100, 200


def _user(role: str):
    region_id = A if role in ("supervisor", "inspector") else None
    region = SimpleNamespace(id=region_id) if region_id else None
    inspector = SimpleNamespace(id=MY_INSPECTOR) if role == "inspector" else None
    return SimpleNamespace(id=ME, role=Role(role), region_id=region_id, region=region, inspector=inspector,
                           is_active=True, is_authenticated=True)


def _allowed(call) -> bool:
    """A `require_*` passes (True) or refuses (Forbidden or NotFound: False)."""
    try:
        call()
    except (Forbidden, NotFound):
        return False
    return True


def _stop(region_id, inspector_id):
    return SimpleNamespace(inspector_id=inspector_id, schedule=SimpleNamespace(region_id=region_id))


def _prescription(region_id, author_id):
    return SimpleNamespace(region_id=region_id, audit=SimpleNamespace(user_id=author_id, region_id=region_id))


def _day_before_release(user):
    """A day never released (far in the future): only those who read any day may."""
    region = SimpleNamespace(id=A, route_release="evening")
    return access.may_read_day(user, region, dt.date(2999, 1, 1))


CAPABILITIES = {
    "read the registry": access.may_read_registry,
    "change the registry": access.may_edit_registry,
    "write audits": access.may_write_audits,
    "work in every region": access.sees_all_regions,
    "belong to one region": lambda u: access.role_needs_region(u.role),
    "see a facility of region A": lambda u: access.may_see_facility(u, SimpleNamespace(region_id=A)),
    "see a facility of region B": lambda u: access.may_see_facility(u, SimpleNamespace(region_id=B)),
    "change a facility of region A": lambda u: access.may_edit_facility(u, SimpleNamespace(region_id=A)),
    "change a facility of region B": lambda u: access.may_edit_facility(u, SimpleNamespace(region_id=B)),
    "read someone else's audit of region A":
        lambda u: access.may_read_audit(u, SimpleNamespace(user_id=OTHER, region_id=A)),
    "read someone else's audit of region B":
        lambda u: access.may_read_audit(u, SimpleNamespace(user_id=OTHER, region_id=B)),
    "read one's own audit": lambda u: access.may_read_audit(u, SimpleNamespace(user_id=ME, region_id=A)),
    "change one's own draft": lambda u: access.may_edit_draft(u, SimpleNamespace(user_id=ME, region_id=A)),
    "change someone else's draft": lambda u: access.may_edit_draft(u, SimpleNamespace(user_id=OTHER, region_id=A)),
    "start an audit without a planned visit": access.may_start_audit_without_visit,
    "build schedules": access.may_build_schedules,
    "build every region at once": access.may_build_nationally,
    "build for region A": lambda u: _allowed(lambda: access.require_builder(u, SimpleNamespace(id=A))),
    "build for region B": lambda u: _allowed(lambda: access.require_builder(u, SimpleNamespace(id=B))),
    "change a schedule of region A": lambda u: access.may_edit_schedule(u, SimpleNamespace(region_id=A)),
    "change a schedule of region B": lambda u: access.may_edit_schedule(u, SimpleNamespace(region_id=B)),
    "read someone else's job": lambda u: access.may_read_job(u, SimpleNamespace(user_id=OTHER)),
    "read one's own job": lambda u: access.may_read_job(u, SimpleNamespace(user_id=ME)),
    "read other inspectors' days": access.may_read_routes_of_others,
    "read the day of an inspector of region A":
        lambda u: access.may_read_inspector_route(u, SimpleNamespace(regions=[SimpleNamespace(id=A)])),
    "read the day of an inspector of region B":
        lambda u: access.may_read_inspector_route(u, SimpleNamespace(regions=[SimpleNamespace(id=B)])),
    "read someone else's stop in region A":
        lambda u: access.may_read_visit(u, _stop(A, OTHER_INSPECTOR), u.inspector and u.inspector.id),
    "read one's own stop in region A":
        lambda u: access.may_read_visit(u, _stop(A, MY_INSPECTOR), u.inspector and u.inspector.id),
    "read a stop in region B":
        lambda u: access.may_read_visit(u, _stop(B, MY_INSPECTOR), u.inspector and u.inspector.id),
    "read a day before it is released": _day_before_release,
    "choose when region A's routes are released":
        lambda u: _allowed(lambda: access.require_route_settings(u, SimpleNamespace(id=A))),
    "read the route access log": access.may_read_access_log,
    "have a route calendar": access.may_have_calendar,
    "review audits (the queue)": access.may_review_audits,
    "review someone else's audit of region A":
        lambda u: access.may_review_audit(u, SimpleNamespace(user_id=OTHER, region_id=A)),
    "review someone else's audit of region B":
        lambda u: access.may_review_audit(u, SimpleNamespace(user_id=OTHER, region_id=B)),
    "review one's own audit": lambda u: access.may_review_audit(u, SimpleNamespace(user_id=ME, region_id=A)),
    "correct one's own returned audit":
        lambda u: access.may_correct_returned(u, SimpleNamespace(user_id=ME, region_id=A)),
    "read the e-mail outbox and retry failed e-mail": access.may_read_outbox,
    "register webhooks": access.may_manage_webhooks,
    "list prescriptions": access.may_list_prescriptions,
    "read a prescription of someone else's audit of region A":
        lambda u: access.may_read_prescription(u, _prescription(A, OTHER)),
    "read a prescription of someone else's audit of region B":
        lambda u: access.may_read_prescription(u, _prescription(B, OTHER)),
    "read the prescription of one's own audit": lambda u: access.may_read_prescription(u, _prescription(A, ME)),
    "decide on a prescription of region A": lambda u: access.may_decide_prescription(u, _prescription(A, OTHER)),
    "decide on a prescription of region B": lambda u: access.may_decide_prescription(u, _prescription(B, OTHER)),
}


def _rows():
    for line in TABLE.strip().splitlines():
        *words, admin, ministry, supervisor, inspector = line.split()
        yield " ".join(words), dict(zip(ROLES, (mark == "Y" for mark in (admin, ministry, supervisor, inspector))))


ROWS = list(_rows())


def test_the_table_names_every_capability_once():
    """Is each capability of the table one the test can ask, and none asked twice or left out?"""
    names = [name for name, _ in ROWS]
    assert len(names) == len(set(names)) and set(names) == set(CAPABILITIES)


@pytest.mark.parametrize(("capability", "expected"), ROWS, ids=[name for name, _ in ROWS])
def test_role_may_what_the_table_says(capability, expected):
    """Does each role get exactly what the hand-written table allows it for this capability?"""
    got = {role: bool(CAPABILITIES[capability](_user(role))) for role in ROLES}
    assert got == expected

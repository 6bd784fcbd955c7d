"""Races on the calendar: two admins saving the same year's transfers at once, threads against a served app.

Without the unique indexes' refusal turned into a 409, the second save of the same dates answered 500 (or, without
the indexes, both landed and the year held each date twice)."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from tests.served import dispose, make_app, own_database, serve


def _put(base: str, token: str, body: dict, barrier: threading.Barrier) -> int:
    request = urllib.request.Request(f"{base}/api/v1/calendar/2031/transfers", data=json.dumps(body).encode(),
                                     method="PUT", headers={"Authorization": f"Bearer {token}",
                                                            "Content-Type": "application/json"})
    barrier.wait()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_admins_saving_one_years_transfers_at_once_leave_one_list():
    """Do simultaneous saves of 2031 (same dates, different notes) each answer 200 or 409, never 500, and leave
    each date once, with one history row per landed save?"""
    from inspect_app.extensions import db
    from inspect_app.models import CalendarTransfer, ChangeRecord
    from inspect_app.services.users import create_user, issue_token

    with own_database("calrace") as database_url:
        app = make_app(database_url, JOBS_INLINE=False)
        with app.app_context():
            tokens = []
            for k in range(4):
                user = create_user(db.session, f"admin{k}", "race-pass-1", "admin")
                tokens.append(issue_token(db.session, user, "race"))
            db.session.remove()
        try:
            with serve(app) as base:
                for round_ in range(3):
                    barrier = threading.Barrier(len(tokens))
                    bodies = [{"transfers": [{"day_off": "2031-04-04", "working_day": "2031-04-05",
                                              "note": f"round {round_} admin {k}"}]} for k in range(len(tokens))]
                    with ThreadPoolExecutor(len(tokens)) as pool:
                        codes = list(pool.map(_put, [base] * len(tokens), tokens, bodies,
                                              [barrier] * len(tokens)))
                    assert set(codes) <= {200, 409}, codes
                    assert 200 in codes
            with app.app_context():
                rows = db.session.scalars(sa.select(CalendarTransfer)).all()
                assert len(rows) == 1 and rows[0].working_day.isoformat() == "2031-04-05"
                history = db.session.scalar(sa.select(sa.func.count()).select_from(ChangeRecord)
                                            .where(ChangeRecord.entity_type == "calendar_transfers"))
                assert history >= 1
                db.session.remove()
        finally:
            dispose(app)

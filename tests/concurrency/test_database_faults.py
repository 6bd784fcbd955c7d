"""Does the app hold up when the database is busy or gone?

Many clients writing at once on SQLite must all succeed (writes wait for the lock instead of failing with
"database is locked"); a database that cannot be reached answers 503 with a message that says so.
"""

import uuid

import requests

from config import TestingConfig
from tests.answers import act_fields
from tests.concurrency.conftest import race
from tests.served import serve

CLIENTS = 10
ROUNDS = 3


def test_many_clients_creating_saving_and_submitting_at_once_all_succeed(live):
    """Ten phones each create, save and submit audits at the same time: is every request answered 2xx?"""
    from tests.inspect_app.services.audits.conftest import answers_for

    answers = answers_for(live.template, "school")
    first, rest = dict(list(answers.items())[:5]), dict(list(answers.items())[5:])

    # Inspectors open audits from stops of their route: one released stop per audit, made before the race.
    stops = [[live.visit("alice") for _ in range(ROUNDS)] for _ in range(CLIENTS)]

    def phone(mine):
        http = requests.Session()
        codes = []
        for visit_id in mine:
            created = live.call("POST", "/api/v1/audits/", http=http, json={
                "client_uuid": str(uuid.uuid4()), "facility_id": live.facility_id, "legal_basis": "planned",
                "schedule_visit_id": visit_id, "answers": first})
            codes.append(created.status_code)
            if not created.ok:
                continue
            audit_id = created.json()["id"]
            codes.append(live.call("PATCH", f"/api/v1/audits/{audit_id}", http=http,
                                   json={"answers": rest}).status_code)
            codes.append(live.call("POST", f"/api/v1/audits/{audit_id}/submit", http=http,
                                   json={"client_uuid": str(uuid.uuid4()), **act_fields()}).status_code)
        http.close()
        return codes

    codes = [c for result in race(*(lambda m=mine: phone(m) for mine in stops)) for c in result]
    assert len(codes) == CLIENTS * ROUNDS * 3
    assert [c for c in codes if c >= 300] == []


def test_an_unreachable_database_answers_503_saying_so():
    """With nothing listening where the database should be, do the API and the pages answer 503 with a message?"""
    from inspect_app import create_app

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://postgres@127.0.0.1:9/unreachable"
        DB_CONNECT_TIMEOUT = 2

    app = create_app(Config)
    with serve(app) as url:
        api = requests.get(f"{url}/api/v1/facilities/", headers={"Authorization": "Bearer x" * 3}, timeout=30)
        assert api.status_code == 503
        assert "недоступна" in api.json()["message"]
        assert api.headers["Retry-After"]
        page = requests.get(f"{url}/verify/1/{'0' * 64}", timeout=30)
        assert page.status_code == 503 and "База данных временно недоступна" in page.text
        english = requests.get(f"{url}/verify/1/{'0' * 64}?lang=en", timeout=30)
        assert english.status_code == 503 and "The database is temporarily unavailable" in english.text

"""Does every API operation survive requests generated from its own OpenAPI document, over real HTTP?

The app is served on 127.0.0.1 (werkzeug in a thread, a free port) over a database of its own, seeded with
two regions, facilities, inspectors, a draft and a submitted audit and a draft schedule. Schemathesis reads
/api/openapi.json from the server and sends valid and invalid requests to every operation with a real bearer
token, as an admin and as a supervisor. Every answer must be a non-5xx that matches the documented status
codes, content types and response schemas. Background jobs go to an RQ queue of this test that no worker
reads, so a generated build or report batch is accepted (202) without running for minutes.
"""

import uuid
from dataclasses import replace

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from inspect_app.runtime import EXTENSION_KEY, current_runtime
from tests.answers import act_fields
from tests.served import dispose, make_app, own_database, serve
from tests.services import TEST_REDIS_URL, redis_or_skip

pytestmark = pytest.mark.slow

# No `default` answer in the document, so status_code_conformance sees every undeclared status; the headers
# (X-Pagination) and invalid data that must be refused (a body the document requires, a string for an integer)
# are checked too.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, negative_data_rejection]
# Enough to reach the boundaries (huge ids, year 1, empty bodies, wrong JSON types) on every operation.
EXAMPLES = 12
REDIS_URL = TEST_REDIS_URL


def _seed(app) -> dict:
    """Two regions with records of every kind; returns the ids the path parameters may use and the tokens."""
    from inspect_app.extensions import db
    from inspect_app.models import Region
    from inspect_app.services import checklists, schedules
    from inspect_app.services.users import create_user, issue_token
    from tests.factories import DistrictFactory, FacilityFactory, InspectorFactory
    from tests.inspect_app.services.schedules.conftest import START, make_region_registry

    with app.app_context():
        region_a = Region(kato="190000000", name_ru="Алматинская область", name_kk="Алматы облысы",
                          center_lat=43.25, center_lon=76.95)
        region_b = Region(kato="750000000", name_ru="г. Алматы", name_kk="Алматы қ.", center_lat=43.24,
                          center_lon=76.89)
        db.session.add_all([region_a, region_b])
        db.session.flush()
        DistrictFactory(region=region_a, kato="195000000")
        checklists.ensure_templates(db.session)
        admin = create_user(db.session, "admin", "fuzz-admin-pass-1", "admin")
        supervisor = create_user(db.session, "supervisor", "fuzz-supervisor-pass-1", "supervisor",
                                 region_kato="190000000")
        facilities, inspectors = make_region_registry(region_a, n_facilities=12, n_inspectors=2)
        FacilityFactory(region=region_b)
        InspectorFactory(regions=[region_b])
        db.session.commit()
        tokens = {"admin": issue_token(db.session, admin, "fuzz"),
                  "supervisor": issue_token(db.session, supervisor, "fuzz")}
        known = {"facility_id": facilities[0].id, "inspector_id": inspectors[0].id}
        job = schedules.submit_build(db.session, supervisor, {"region": "190000000", "start": START, "days": 2,
                                                              "seed": 3, "time_limit": 1}, current_runtime())
        known["schedule_id"] = job.result["schedule_ids"][0]
        known["job_id"] = job.id
        seeded = {"known": known, "tokens": tokens, "facility_type": facilities[1].type,
                  "facility_for_audits": facilities[1].id}
        db.session.remove()
    return seeded


def _audits(base: str, seeded: dict):
    """An audit with a photo made through the API as a client would; returns what submitting it needs."""
    from tests.inspect_app.services.audits.conftest import jpeg_bytes

    headers = {"Authorization": f"Bearer {seeded['tokens']['supervisor']}"}
    facility_id = seeded["facility_for_audits"]

    def create():
        response = requests.post(f"{base}/api/v1/audits/", headers=headers, timeout=30, json={
            "client_uuid": str(uuid.uuid4()), "facility_id": facility_id, "legal_basis": "planned"})
        assert response.status_code == 201, response.text
        return response.json()

    submitted = create()
    photo = requests.post(f"{base}/api/v1/audits/{submitted['id']}/photos", headers=headers, timeout=30,
                          files={"file": ("p.jpg", jpeg_bytes(), "image/jpeg")})
    assert photo.status_code == 201, photo.text
    seeded["known"]["photo_id"] = photo.json()["id"]
    seeded["known"]["audit_id"] = submitted["id"]
    return headers, submitted, create


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app on 127.0.0.1 over a migrated database of its own; yields (base URL, seeded ids and tokens)."""
    from rq import Queue

    from inspect_app.extensions import db
    from inspect_app.services import checklists
    from tests.inspect_app.services.audits.conftest import answers_for

    connection = redis_or_skip(REDIS_URL)
    queue = f"tekseru-fuzz-{uuid.uuid4().hex[:8]}"
    with own_database("fuzz") as database_url:
        app = make_app(database_url, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")))
        seeded = _seed(app)
        # From here on jobs are queued for workers that never come; the requests that start them are what is tested.
        app.config.update(JOBS_INLINE=False, REDIS_URL=REDIS_URL, RQ_QUEUE=queue)
        app.extensions[EXTENSION_KEY] = replace(app.extensions[EXTENSION_KEY], jobs_inline=False, redis_url=REDIS_URL,
                                                rq_queue=queue)
        try:
            with serve(app) as base:
                headers, submitted, create = _audits(base, seeded)
                with app.app_context():
                    template = checklists.parsed(checklists.latest_template(db.session, "national"))
                answers = answers_for(template, seeded["facility_type"])
                response = requests.post(f"{base}/api/v1/audits/{submitted['id']}/submit", headers=headers,
                                         timeout=60, json={"client_uuid": str(uuid.uuid4()), "answers": answers,
                                                                   **act_fields()})
                assert response.status_code == 200, response.text
                create()  # a draft left open
                yield base, seeded
        finally:
            Queue(queue, connection=connection).delete(delete_jobs=True)
            dispose(app)


@pytest.fixture(scope="module")
def api_schema(served):
    """The served OpenAPI document as schemathesis sees it."""
    base, _ = served
    return schemathesis.openapi.from_url(f"{base}/api/openapi.json")


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_every_operation_survives_generated_requests_over_http(served, api_schema, role):
    """Does every operation answer generated requests, valid and invalid, without a 5xx or a schema break?"""
    base, seeded = served
    headers = {"Authorization": f"Bearer {seeded['tokens'][role]}"}
    known = seeded["known"]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    failures = []
    for operation in operations:
        fixed = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
        strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
        if fixed:
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
            strategies.append(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed))

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(strategies))
        def run(case):
            case.call_and_validate(base_url=base, headers=headers, checks=CHECKS, timeout=60)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:3000]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)

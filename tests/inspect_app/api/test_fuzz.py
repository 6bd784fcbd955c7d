"""Does every API operation survive data generated from its own OpenAPI document?

Schemathesis reads /api/openapi.json from the app (WSGI, no network) and sends valid and invalid requests to
every operation, as an admin and as a supervisor, inside the test's rolled-back transaction. A response must
never be a 500 and must match the documented status codes, content types and schemas.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from inspect_app.extensions import db
from tests.factories import FacilityFactory, InspectorFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 20
# Operations of this engineer's registry API; other features fuzz their own.
PREFIXES = ("/api/v1/facilities", "/api/v1/inspectors", "/api/v1/registry")


@pytest.fixture(scope="module")
def api_schema(app):
    """The app's OpenAPI document as schemathesis sees it."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _operations(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    return [op for op in operations if op.path.startswith(PREFIXES)]


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_api_survives_generated_requests(app, api_schema, auth_headers, region_a, region_b, role):
    """Does every registry operation answer generated requests, valid and invalid, without 500s or schema breaks?"""
    known = {
        "facility_id": FacilityFactory(region=region_a).id,
        "inspector_id": InspectorFactory(regions=[region_a]).id,
    }
    FacilityFactory(region=region_b)
    headers = auth_headers(role)
    db.session.commit()
    operations = _operations(api_schema)
    assert len(operations) >= 14
    failures = []
    for operation in operations:
        fixed = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
        strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
        if fixed:
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))

        @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(case=st.one_of(strategies))
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:3000]}")
    assert not failures, "\n\n".join(failures)

"""What the OpenAPI document promises beyond flask-smorest's defaults, written once for every operation.

flask-smorest documents the body and the main answer of each view; a client generated from the document also
needs to know every answer it can get. This apispec plugin adds, per operation:

- an `operationId` (the method and the view class, e.g. `get_facility_by_id`, unless the view names its own):
  a generated client's function names;
- the error answers every operation shares: 401 (no or bad token), 422 (an unknown query argument), 429
  (throttled), 503 (database unreachable),
  404 when the path names a record, 400 when it takes a body (unparsable JSON, a browser's missing CSRF header);
  the others (403, 409, another 422) are declared on the view, where they are decided;
- X-Pagination documented as the JSON text it is;
- schema-level keywords a marshmallow schema cannot say by its fields (`Meta.openapi`, e.g. a rule between two
  fields), merged into the component.

There is no catch-all `default` answer (see `extensions.py`), so an undeclared status is a contract break that
schemathesis reports.
"""

import re
from http import HTTPStatus

from apispec import BasePlugin

# Answers of the layers every operation passes through: authentication (401), unknown query arguments (422),
# throttling (429), an unreachable database (503).
EVERY_OPERATION = (401, 422, 429, 503)


def operation_id(method: str, endpoint: str) -> str:
    """`get_facility_by_id` for GET on the view class `FacilityById`."""
    view = endpoint.rsplit(".", 1)[-1]
    return f"{method}_{re.sub(r'(?<!^)(?=[A-Z])', '_', view).lower()}"


class ContractPlugin(BasePlugin):
    """Adds operationIds, the shared error answers and schema-level keywords (see the module docstring)."""

    def init_spec(self, spec):
        super().init_spec(spec)
        self.spec = spec

    def _pagination_header(self) -> dict:
        """X-Pagination as it is sent: a JSON object in a header (flask-smorest types the header itself as
        the object, which no client can read from a string)."""
        from apispec.ext.marshmallow import MarshmallowPlugin
        from flask_smorest.pagination import PaginationMetadataSchema

        marshmallow = next(p for p in self.spec.plugins if isinstance(p, MarshmallowPlugin))
        return {"description": "The page's position in the list, a JSON object (total, page, last_page ...)",
                "content": {"application/json": {
                    "schema": marshmallow.converter.resolve_nested_schema(PaginationMetadataSchema)}}}

    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        meta = getattr(schema, "Meta", None)
        return dict(getattr(meta, "openapi", {}))

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        for method, operation in (operations or {}).items():
            if rule is not None:
                operation.setdefault("operationId", operation_id(method, rule.endpoint))
            responses = operation.setdefault("responses", {})
            codes = list(EVERY_OPERATION)
            if "{" in (path or ""):
                codes.append(404)
            if "requestBody" in operation:
                codes.append(400)
            for code in codes:
                responses.setdefault(str(code), HTTPStatus(code).name)
            for response in responses.values():
                headers = response.get("headers", {}) if isinstance(response, dict) else {}
                if "X-Pagination" in headers:
                    headers["X-Pagination"] = self._pagination_header()


def refusals(*codes: int):
    """Declare error answers a view decides itself (403, 409, ...), each with the shared Error body.

    Usage: `@refusals(403, 409)` under the blueprint's other decorators.
    """
    from flask_smorest import Blueprint

    return Blueprint.doc(responses={str(code): HTTPStatus(code).name for code in codes})


BINARY = {"type": "string", "format": "binary"}


def file_answer(description: str, content: dict[str, dict] | list[str]):
    """Declare a 200 whose body is a file: its media types, each with its schema (binary unless given)."""
    from flask_smorest import Blueprint

    if not isinstance(content, dict):
        content = dict.fromkeys(content, BINARY)
    return Blueprint.doc(responses={"200": {"description": description, "content": {
        media_type: {"schema": schema} for media_type, schema in content.items()}}})

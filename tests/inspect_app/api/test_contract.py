"""Is /api/openapi.json a contract a client can rely on: valid OpenAPI 3.0, every answer declared with its body
and media type, every operation named and filed under a human tag?

The generated client that drives a real workflow with this document is in `tests/live/test_generated_client.py`.
"""

import re

import pytest
from openapi_spec_validator import validate

# Answers every operation can give: no or a bad token, an unknown query argument, throttling, no database.
EVERY_OPERATION = {"401", "422", "429", "503"}


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                yield path, method, operation


def _resolve(spec, item):
    while "$ref" in item:
        section, name = item["$ref"].split("/")[-2:]
        item = spec["components"][section][name]
    return item


def test_the_document_is_valid_openapi_3(spec):
    """Does openapi-spec-validator accept the served document (a 200 without description, a Swagger 2 formData
    parameter or a header typed as an object made it refuse it)?"""
    assert spec["openapi"] == "3.0.3"
    validate(spec)


def test_every_operation_is_named_tagged_and_declares_its_error_answers(spec):
    """Does each operation carry a unique operationId, one of the document's human tags, and the errors it can
    answer (no catch-all `default` that would hide one), each with the Error body?"""
    tags = {tag["name"] for tag in spec["tags"]}
    assert tags >= {"Facilities", "Inspectors", "Audits", "Schedules", "Inspector's day", "Statistics"}
    assert not any(tag.startswith("api_") for tag in tags)
    ids = []
    for path, method, operation in _operations(spec):
        label = f"{method.upper()} {path}"
        ids.append(operation["operationId"])
        assert re.fullmatch(r"[a-z][a-z_]+", operation["operationId"]), label
        assert len(operation["tags"]) == 1 and operation["tags"][0] in tags, label
        responses = operation["responses"]
        assert "default" not in responses, label
        assert EVERY_OPERATION <= set(responses), label
        if "{" in path:
            assert "404" in responses, label
        for code, response in responses.items():
            response = _resolve(spec, response)
            assert response.get("description"), (label, code)
            if code.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                refs = [item["$ref"] for item in schema.get("anyOf", [schema])]
                bodies = {"Error", "ImportResult", "AuditConflict", "ReviewConflict"}
                assert {ref.rsplit("/", 1)[1] for ref in refs} <= bodies, label
    assert len(ids) == len(set(ids)) >= 45


def test_every_success_declares_its_media_type_and_body(spec):
    """Does every 2xx name its media types, each with a schema (files as binary), so a client knows what it
    receives (the report PDF, a photo, a batch's status and ZIP and the schedule export declared none)?"""
    for path, method, operation in _operations(spec):
        for code, response in operation["responses"].items():
            if not code.startswith("2") or code == "204":  # No Content has, by definition, no body
                continue
            content = _resolve(spec, response)["content"]
            assert content, f"{method.upper()} {path} {code}"
            for media_type, body in content.items():
                assert body["schema"], (path, media_type)
                if not media_type.endswith("json"):
                    assert body["schema"] == {"type": "string", "format": "binary"}, (path, media_type)
    paths = spec["paths"]
    assert set(paths["/api/v1/audits/{audit_id}/report.pdf"]["get"]["responses"]["200"]["content"]) == {
        "application/pdf"}
    assert "image/jpeg" in paths["/api/v1/audits/{audit_id}/photos/{photo_id}"]["get"]["responses"]["200"]["content"]
    status = paths["/api/v1/audits/report-batches/{job_id}"]["get"]["responses"]["200"]["content"]
    assert status["application/json"]["schema"] == {"$ref": "#/components/schemas/JobStatus"}


def test_no_answer_has_an_untyped_field(spec):
    """Does every property of every schema an answer carries say its type (a computed field without one makes a
    generated client hand back an untyped value)?"""
    schemas = spec["components"]["schemas"]
    typed = ("type", "$ref", "anyOf", "oneOf", "allOf")
    reached, todo = set(), []
    for _, _, operation in _operations(spec):
        todo.extend(re.findall(r"#/components/schemas/(\w+)", str(operation["responses"])))
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo.extend(re.findall(r"#/components/schemas/(\w+)", str(schemas[name])))
    untyped = [f"{name}.{prop}" for name in sorted(reached)
               for prop, definition in schemas[name].get("properties", {}).items()
               if not any(key in definition for key in typed)]
    assert not untyped
    assert {"Audit", "Facility", "Photo", "AuditConflict", "PaginationMetadata"} <= reached


def test_the_stale_save_conflict_carries_the_current_draft(spec):
    """Does the 409 of a draft save declare the body it sends: the Error fields and `current`, the draft now?"""
    conflict = spec["paths"]["/api/v1/audits/{audit_id}"]["patch"]["responses"]["409"]
    schema = _resolve(spec, conflict["content"]["application/json"]["schema"])
    assert schema["properties"]["current"] == {"$ref": "#/components/schemas/Audit"}
    assert {"code", "status", "message"} <= set(schema["required"])


def test_a_photo_is_uploaded_as_one_multipart_body(spec):
    """Is the photo upload one multipart/form-data body with a binary `file` (not a Swagger 2 formData parameter)?"""
    operation = spec["paths"]["/api/v1/audits/{audit_id}/photos"]["post"]
    assert "parameters" not in operation or all(p["in"] != "formData" for p in operation["parameters"])
    schema = _resolve(spec, operation["requestBody"]["content"]["multipart/form-data"]["schema"])
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert schema["required"] == ["file"]
    assert {"item_code", "caption", "client_uuid"} <= set(schema["properties"])


def test_the_conditional_rules_and_the_paging_header_are_documented(spec):
    """Does AuditCreate say that a legal basis is required without a visit, and X-Pagination that it is a JSON
    object sent as text?"""
    create = spec["components"]["schemas"]["AuditCreate"]
    assert "legal_basis" in create["description"] and "schedule_visit_id" in create["description"]
    assert "schedule_visit_id" in create["properties"]["legal_basis"]["description"]
    listing = spec["paths"]["/api/v1/facilities/"]["get"]["responses"]["200"]
    header = listing["headers"]["X-Pagination"]
    assert "schema" not in header
    assert header["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginationMetadata"}


def test_a_text_field_named_file_is_not_a_photo(client, auth_headers, users):
    """Is a multipart `file` sent as a text field a 422 naming it, not a 500?"""
    from tests.factories import FacilityFactory

    facility = FacilityFactory(region=users["supervisor"].region)
    import uuid

    audit = client.post("/api/v1/audits/", headers=auth_headers("supervisor"), json={
        "client_uuid": str(uuid.uuid4()), "facility_id": facility.id, "legal_basis": "planned"})
    assert audit.status_code == 201, audit.json
    response = client.post(f"/api/v1/audits/{audit.json['id']}/photos", headers=auth_headers("supervisor"),
                           data={"file": "not a file"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.json["errors"]["multipart"]


def test_a_json_id_sent_as_text_is_refused_as_the_document_says(client, auth_headers, users):
    """The document types facility_id and schedule_visit_id as integers: is "12" (a string) a 422 naming the
    field, as schemathesis expects of data the schema rejects, while the number is accepted?"""
    import uuid

    from tests.factories import FacilityFactory

    facility = FacilityFactory(region=users["supervisor"].region)
    headers = auth_headers("supervisor")
    body = {"client_uuid": str(uuid.uuid4()), "legal_basis": "planned"}
    refused = client.post("/api/v1/audits/", headers=headers, json={**body, "facility_id": str(facility.id)})
    assert refused.status_code == 422 and "facility_id" in refused.json["errors"]["json"]
    visit = client.post("/api/v1/audits/", headers=headers,
                        json={**body, "facility_id": facility.id, "schedule_visit_id": "1"})
    assert visit.status_code == 422 and "schedule_visit_id" in visit.json["errors"]["json"]
    assert client.post("/api/v1/audits/", headers=headers, json={**body, "facility_id": facility.id}).status_code == 201

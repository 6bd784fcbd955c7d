"""Submitted audits to review: the audit tests' fixtures, and helpers that submit and decide through the API."""

import pytest

import forms
from tests.factories import FacilityFactory, UserFactory
from tests.inspect_app.services.audits.conftest import (  # noqa: F401 (fixtures)
    audit_api,
    facility,
    national,
    templates,
)


def plain_items(template: forms.Template, facility_type: str = "school", severity: str | None = None) -> list[str]:
    """Yes/no items that may fail without a photo (of one severity, if given)."""
    return [i.code for i in forms.items_for(template, facility_type)
            if i.kind == "yes_no" and not i.photo_required_on_fail and (severity is None or i.severity == severity)]


@pytest.fixture
def kindergarten(region_a, templates):  # noqa: F811
    """A kindergarten in region A."""
    return FacilityFactory(region=region_a, type="kindergarten", name_ru="Детский сад «Балапан»")


@pytest.fixture
def facility_b(region_b, users, templates):  # noqa: F811
    """A school in region B (and region B's inspector, `inspector_b`)."""
    users["inspector_b"] = UserFactory(username="inspector_b", role="inspector", region=region_b)
    return FacilityFactory(region=region_b, type="school", name_ru="Школа региона Б")


@pytest.fixture
def review_api(client, auth_headers):
    """Helpers that call the review API as a given role."""

    class Api:
        def queue(self, role, **args):
            return client.get("/api/v1/reviews/", query_string=args, headers=auth_headers(role))

        def counts(self, role, **args):
            return client.get("/api/v1/reviews/counts", query_string=args, headers=auth_headers(role))

        def get(self, role, audit_id):
            return client.get(f"/api/v1/reviews/{audit_id}", headers=auth_headers(role))

        def decide(self, role, audit_id, outcome, comment="", item_codes=()):
            return client.post(f"/api/v1/reviews/{audit_id}/decision", headers=auth_headers(role),
                               json={"outcome": outcome, "comment": comment, "item_codes": list(item_codes)})

        def ids(self, role, **args):
            response = self.queue(role, **args)
            assert response.status_code == 200, response.get_json()
            return [row["id"] for row in response.get_json()]

    return Api()


def submitted_in_own_template(api, role, place) -> dict:
    """Create and submit a passing audit against whatever checklist the facility's region gets."""
    from inspect_app.extensions import db
    from inspect_app.models import Audit
    from inspect_app.services import checklists
    from tests.answers import answers_for

    draft = api.create(role, place).get_json()
    template = checklists.parsed(db.session.get(Audit, draft["id"]).template)
    response = api.submit(role, draft["id"], answers=answers_for(template, place.type))
    assert response.status_code == 200, response.get_json()
    return response.get_json()

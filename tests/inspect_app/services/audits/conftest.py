"""Facilities, checklist templates, answers and photos that the audit tests share."""

import io
import uuid

import pytest
import sqlalchemy as sa
from PIL import Image

import forms
from inspect_app.extensions import db
from inspect_app.services import checklists
from tests.answers import act_fields, answers_for
from tests.factories import FacilityFactory, published_visit
from tests.runtime import set_runtime

FACILITY_NAME_KK = "Абай атындағы № 7 жалпы білім беретін мектеп"


def new_uuid() -> str:
    """A fresh client UUID, as a phone would generate it."""
    return str(uuid.uuid4())


def jpeg_bytes(size=(64, 48), colour=(200, 30, 30)) -> bytes:
    """A small real JPEG."""
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def templates(app, db_session):
    """The builtin checklist templates stored as version 1."""
    checklists.ensure_templates(db.session)
    return checklists.latest_template(db.session, "national")


@pytest.fixture
def national(templates) -> forms.Template:
    """The national template as the forms package sees it."""
    return checklists.parsed(templates)


@pytest.fixture
def facility(region_a, templates):
    """A school in region A with a Kazakh name."""
    return FacilityFactory(region=region_a, type="school", name_ru="Средняя школа № 7 имени Абая",
                           name_kk=FACILITY_NAME_KK)


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    """UPLOAD_DIR pointed at a temporary folder for the test."""
    set_runtime(monkeypatch, app, upload_dir=str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def audit_api(client, auth_headers, users):
    """Helpers that drive the audit API as a given role."""

    class Api:
        def create(self, role, facility, **overrides):
            payload = {"client_uuid": new_uuid(), "facility_id": facility.id, "legal_basis": "planned",
                       "gps_lat": 43.25, "gps_lon": 76.95, "representatives": ["Директор Серікова А."]}
            payload.update(overrides)
            if users[role].role == "inspector" and "schedule_visit_id" not in payload:
                # Inspectors open audits from a stop of their released route (each create gets its own).
                payload["schedule_visit_id"] = published_visit(db.session, users[role], facility)
            return client.post("/api/v1/audits/", json=payload, headers=auth_headers(role))

        def patch(self, role, audit_id, **payload):
            return client.patch(f"/api/v1/audits/{audit_id}", json=payload, headers=auth_headers(role))

        def photo(self, role, audit_id, data, item_code=None, name="photo.jpg"):
            form = {"file": (io.BytesIO(data), name)}
            if item_code:
                form["item_code"] = item_code
            return client.post(f"/api/v1/audits/{audit_id}/photos", data=form, headers=auth_headers(role),
                               content_type="multipart/form-data")

        def submit(self, role, audit_id, client_uuid=None, act=True, **payload):
            """Submit with the act's elements (act_fields) unless `act` is False; `payload` overrides them."""
            payload = {**(act_fields() if act else {}), **payload}
            payload["client_uuid"] = client_uuid or new_uuid()
            return client.post(f"/api/v1/audits/{audit_id}/submit", json=payload, headers=auth_headers(role))

        def get(self, role, audit_id):
            return client.get(f"/api/v1/audits/{audit_id}", headers=auth_headers(role))

        def submitted(self, role, facility, template, failing=(), **overrides):
            """Create, attach the required photos, answer everything and submit; returns the audit JSON."""
            audit = self.create(role, facility, **overrides).get_json()
            answers = answers_for(template, facility.type, failing)
            for code in failing:
                if template.items_by_code[code][1].photo_required_on_fail:
                    photo = self.photo(role, audit["id"], jpeg_bytes(), item_code=code).get_json()
                    answers[code]["photos"] = [photo["id"]]
            response = self.submit(role, audit["id"], answers=answers)
            assert response.status_code == 200, response.get_json()
            return response.get_json()

    return Api()


def drop_hashed_guards() -> None:
    """What a tamperer with the database owner's rights does first: remove the triggers that refuse a change of
    a hashed record (migration 0007). Inside the test's transaction, so the rollback puts them back."""
    dialect = db.session.get_bind().dialect.name
    for table in ("audit", "violation", "audit_photo"):
        if dialect == "sqlite":
            db.session.execute(sa.text(f"DROP TRIGGER {table}_hashed_guard"))
        else:
            db.session.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_hashed_guard"))

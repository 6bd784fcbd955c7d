"""act: the act on the results (Entrepreneurial Code art. 152) on the audit: the order of the inspection and its
registration, the inspector's position, the inspecting body and the place, the representative's acknowledgement
or refusal, and both signatures (PNGs of the strokes); the hashed-record guards extended to them

Columns are added without rebuilding the table (nullable, no batch), then the guards are created again so that
they cover the new hashed columns (0007_trust's ACT list).

Revision ID: 0008_act
Revises: 0007_admin
Create Date: 2026-12-07

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = '0008_act'
down_revision = '0007_admin'
branch_labels = None
depends_on = None

COLUMNS = (
    ('act_format', sa.Integer()),
    ('order_date', sa.Date()),
    ('order_number', sa.String(64)),
    ('order_reg_number', sa.String(64)),
    ('inspector_position', sa.String(200)),
    ('inspecting_body', sa.JSON()),
    ('act_place', sa.String(400)),
    ('representative_name', sa.String(200)),
    ('representative_position', sa.String(200)),
    ('representative_explanation', sa.Text()),
    ('signature_refused', sa.Boolean()),
    ('refusal_witness', sa.String(200)),
    ('representative_signature', sa.LargeBinary()),
    ('representative_signature_sha256', sa.String(64)),
    ('inspector_signature', sa.LargeBinary()),
    ('inspector_signature_sha256', sa.String(64)),
)


def _trust():
    """0007_trust as a module (its file name is no importable identifier)."""
    spec = importlib.util.spec_from_file_location("trust_0007", Path(__file__).with_name("0007_trust.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column('audit', sa.Column(name, type_, nullable=True))
    _trust().create_guards()


def downgrade():
    with op.batch_alter_table('audit') as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
    _trust().create_guards()

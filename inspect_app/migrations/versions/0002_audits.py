"""audits: checklist templates, audits, answers, photos, violations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    # The one row that submits lock to append to the chain; it exists before the first submit.
    op.bulk_insert(
        sa.table('audit_chain_head', sa.column('id', sa.Integer()), sa.column('seq', sa.Integer()),
                 sa.column('last_hash', sa.String()), sa.column('updated_at', sa.DateTime(timezone=True))),
        [{'id': 1, 'seq': 0, 'last_hash': '0' * 64, 'updated_at': datetime.now(timezone.utc)}],
    )
    op.create_table('checklist_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('region_kato', sa.String(length=9), nullable=True),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template')),
    sa.UniqueConstraint('code', 'version', name='uq_checklist_template_code_version')
    )
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_checklist_template_region_kato'), ['region_kato'], unique=False)

    op.create_table('audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_uuid', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('inspector_id', sa.Integer(), nullable=True),
    sa.Column('inspector_name', sa.String(length=200), nullable=False),
    sa.Column('schedule_visit_id', sa.Integer(), nullable=True),
    sa.Column('legal_basis', sa.String(length=16), nullable=False),
    sa.Column('basis_reason', sa.String(length=32), nullable=True),
    sa.Column('signal_source', sa.String(length=500), nullable=False),
    sa.Column('signal_date', sa.Date(), nullable=True),
    sa.Column('signal_anonymous', sa.Boolean(), nullable=True),
    sa.Column('prosecutor_reg_number', sa.String(length=64), nullable=True),
    sa.Column('inspection_date', sa.Date(), nullable=False),
    sa.Column('check_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('check_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gps_lat', sa.Float(), nullable=True),
    sa.Column('gps_lon', sa.Float(), nullable=True),
    sa.Column('gps_accuracy_m', sa.Float(), nullable=True),
    sa.Column('representatives', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('score_overall', sa.Float(), nullable=True),
    sa.Column('section_scores', sa.JSON(), nullable=False),
    sa.Column('critical_failures', sa.JSON(), nullable=False),
    sa.Column('result', sa.String(length=24), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.String(length=1000), nullable=True),
    sa.Column('submit_uuid', sa.String(length=36), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chain_seq', sa.Integer(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=True),
    sa.Column('record_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_audit_facility_id_facility')),
    sa.ForeignKeyConstraint(['inspector_id'], ['inspector.id'], name=op.f('fk_audit_inspector_id_inspector')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_audit_region_id_region')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['audit.id'], name=op.f('fk_audit_supersedes_id_audit')),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_template.id'], name=op.f('fk_audit_template_id_checklist_template')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit')),
    sa.UniqueConstraint('chain_seq', name=op.f('uq_audit_chain_seq')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_audit_client_uuid')),
    sa.UniqueConstraint('submit_uuid', name=op.f('uq_audit_submit_uuid'))
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_inspection_date'), ['inspection_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_record_hash'), ['record_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_result'), ['result'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_schedule_visit_id'), ['schedule_visit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_user_id'), ['user_id'], unique=False)

    op.create_table('audit_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=120), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_audit_photo_audit_id_audit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_photo'))
    )
    with op.batch_alter_table('audit_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_photo_audit_id'), ['audit_id'], unique=False)

    op.create_table('violation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=120), nullable=False),
    sa.Column('section', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('item_text', sa.JSON(), nullable=False),
    sa.Column('corrective_action', sa.JSON(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('legal_ref', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution_note', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name=op.f('fk_violation_audit_id_audit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facility_id'], ['facility.id'], name=op.f('fk_violation_facility_id_facility')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_violation'))
    )
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_violation_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_violation_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_violation_facility_id'), ['facility_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_violation_severity'), ['severity'], unique=False)
        batch_op.create_index(batch_op.f('ix_violation_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('violation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_violation_status'))
        batch_op.drop_index(batch_op.f('ix_violation_severity'))
        batch_op.drop_index(batch_op.f('ix_violation_facility_id'))
        batch_op.drop_index(batch_op.f('ix_violation_due_date'))
        batch_op.drop_index(batch_op.f('ix_violation_audit_id'))

    op.drop_table('violation')
    with op.batch_alter_table('audit_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_photo_audit_id'))

    op.drop_table('audit_photo')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_template_id'))
        batch_op.drop_index(batch_op.f('ix_audit_supersedes_id'))
        batch_op.drop_index(batch_op.f('ix_audit_status'))
        batch_op.drop_index(batch_op.f('ix_audit_schedule_visit_id'))
        batch_op.drop_index(batch_op.f('ix_audit_result'))
        batch_op.drop_index(batch_op.f('ix_audit_region_id'))
        batch_op.drop_index(batch_op.f('ix_audit_record_hash'))
        batch_op.drop_index(batch_op.f('ix_audit_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_audit_inspection_date'))
        batch_op.drop_index(batch_op.f('ix_audit_facility_id'))

    op.drop_table('audit')
    with op.batch_alter_table('checklist_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_region_kato'))
        batch_op.drop_index(batch_op.f('ix_checklist_template_code'))

    op.drop_table('checklist_template')
    op.drop_table('audit_chain_head')

"""administration in the browser: a user's last sign-in and temporary-password flag, one-time password-reset
links, the append-only administration history, and uploaded checklist versions (draft, in force from a date,
the YAML as uploaded), and settings as data with their history

Revision ID: 0007_admin
Revises: 0007_trust
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_admin'
down_revision = '0007_trust'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch:
        batch.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'password_reset',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user.id', ondelete='CASCADE'), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index('ix_password_reset_user_id', 'password_reset', ['user_id'])
    op.create_table(
        'admin_event',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('actor_name', sa.String(64), nullable=False),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('target_user_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('target_name', sa.String(64), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
    )
    op.create_index('ix_admin_event_at', 'admin_event', ['at'])
    op.create_index('ix_admin_event_actor_id', 'admin_event', ['actor_id'])
    op.create_index('ix_admin_event_target_user_id', 'admin_event', ['target_user_id'])
    op.create_table(
        'setting_value',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('key', sa.String(48), nullable=False),
        sa.Column('region_id', sa.Integer(), sa.ForeignKey('region.id'), nullable=True),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('set_by_id', sa.Integer(), sa.ForeignKey('user.id'), nullable=True),
        sa.Column('set_by_name', sa.String(64), nullable=False),
    )
    op.create_index('ix_setting_value_key_region', 'setting_value', ['key', 'region_id', 'id'])
    with op.batch_alter_table('checklist_template') as batch:
        batch.add_column(sa.Column('draft', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('active_from', sa.Date(), nullable=True))
        batch.add_column(sa.Column('yaml_text', sa.Text(), nullable=True))
        batch.add_column(sa.Column('uploaded_by_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_checklist_template_uploaded_by_id_user', 'user', ['uploaded_by_id'], ['id'])


def downgrade():
    op.drop_table('setting_value')
    with op.batch_alter_table('checklist_template') as batch:
        batch.drop_constraint('fk_checklist_template_uploaded_by_id_user', type_='foreignkey')
        batch.drop_column('uploaded_by_id')
        batch.drop_column('yaml_text')
        batch.drop_column('active_from')
        batch.drop_column('draft')
    op.drop_table('admin_event')
    op.drop_table('password_reset')
    with op.batch_alter_table('user') as batch:
        batch.drop_column('must_change_password')
        batch.drop_column('last_login_at')

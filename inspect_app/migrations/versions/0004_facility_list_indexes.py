"""facility list indexes: name order, overall and by region

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_facility_name_ru_id', 'facility', ['name_ru', 'id'])
    op.create_index('ix_facility_region_id_name_ru_id', 'facility', ['region_id', 'name_ru', 'id'])


def downgrade():
    op.drop_index('ix_facility_region_id_name_ru_id', table_name='facility')
    op.drop_index('ix_facility_name_ru_id', table_name='facility')

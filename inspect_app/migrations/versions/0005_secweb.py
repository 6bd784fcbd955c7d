"""user session token: signing out (or a new password, or deactivation) ends every session and remember cookie

Revision ID: 0005_secweb
Revises: 0005_integrity
Create Date: 2026-12-01

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = '0005_secweb'
down_revision = '0005_integrity'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(user.c.id)).all():
        conn.execute(sa.update(user).where(user.c.id == user_id).values(session_token=secrets.token_hex(16)))
    with op.batch_alter_table('user') as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_token')

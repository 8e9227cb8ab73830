"""users get a session version

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 13:06:03

Each session cookie carries its user's session version; signing out and a new password add one,
so cookies issued before stop being accepted. Existing users start at 0 (their cookies signed
before this step carry no version and are asked to sign in again).
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_version')

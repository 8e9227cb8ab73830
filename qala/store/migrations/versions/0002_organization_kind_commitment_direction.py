"""organizations get a kind and a territory; commitments their direction

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 04:00:00

Existing rows: organizations made before this step are of kind "other" with no territory (the next
ingest of a post naming them does not rewrite them); every commitment so far was a floor ("up"),
and the next rebuild decides each one's direction from its clause.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite adds a foreign key by rebuilding the table; the defaults only fill old rows
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=40), nullable=False, server_default='other'))
        batch.add_column(sa.Column('territory_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_organizations_territory_id_territories'), 'territories',
                                 ['territory_id'], ['id'])
    with op.batch_alter_table('organizations') as batch:
        batch.alter_column('kind', server_default=None)
    with op.batch_alter_table('commitments') as batch:
        batch.add_column(sa.Column('direction', sa.String(length=4), nullable=False, server_default='up'))
    with op.batch_alter_table('commitments') as batch:
        batch.alter_column('direction', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('commitments') as batch:
        batch.drop_column('direction')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_constraint(op.f('fk_organizations_territory_id_territories'), type_='foreignkey')
        batch.drop_column('territory_id')
        batch.drop_column('kind')

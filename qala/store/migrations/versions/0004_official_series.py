"""official series: imports and values; checks point at an official value

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 13:07:23

New tables only (official_imports, official_values: qala.stats) and a nullable column on the
derived checks table, so stores made before upgrade with their rows as they are.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('official_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('vintage', sa.Date(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('shape', sa.String(length=10), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('rows_added', sa.Integer(), nullable=False),
    sa.Column('rows_unchanged', sa.Integer(), nullable=False),
    sa.Column('rows_unmatched', sa.Integer(), nullable=False),
    sa.Column('unmatched', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_imports'))
    )
    with op.batch_alter_table('official_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_imports_sha256'), ['sha256'], unique=False)

    op.create_table('official_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('vintage', sa.Date(), nullable=False),
    sa.Column('indicator_code', sa.String(length=80), nullable=False),
    sa.Column('variant', sa.String(length=200), nullable=False),
    sa.Column('kato', sa.String(length=12), nullable=False),
    sa.Column('period_kind', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('granularity', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['official_imports.id'], name=op.f('fk_official_values_import_id_official_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_values'))
    )
    with op.batch_alter_table('official_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_values_import_id'), ['import_id'], unique=False)
        batch_op.create_index('ix_official_values_key', ['source', 'indicator_code', 'kato', 'period_start'], unique=False)
        batch_op.create_index('ix_official_values_series', ['kato', 'indicator_code', 'period_start'], unique=False)

    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('official_id', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_column('official_id')

    with op.batch_alter_table('official_values', schema=None) as batch_op:
        batch_op.drop_index('ix_official_values_series')
        batch_op.drop_index('ix_official_values_key')
        batch_op.drop_index(batch_op.f('ix_official_values_import_id'))

    op.drop_table('official_values')
    with op.batch_alter_table('official_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_imports_sha256'))

    op.drop_table('official_imports')

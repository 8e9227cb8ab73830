"""sources: watched feeds, fetched items, translations; unread documents

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:34:54.606432

Three new tables for qala.sources and nothing changed in the others: the sources `qala watch`
follows, each URL fetched (seen once; a failure kept with its error and its next retry), and
documents linked as translations of one release. Documents that are not Russian are kept with
status 'unread' (a value, not a column: no change to documents).
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watched_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('pattern', sa.String(length=500), nullable=True),
    sa.Column('last_run', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('items_seen', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watched_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_watched_sources_name'))
    )
    op.create_table('document_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('translation_of', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_translations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translation_of'], ['documents.id'], name=op.f('fk_document_translations_translation_of_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_translations')),
    sa.UniqueConstraint('document_id', 'translation_of', name=op.f('uq_document_translations_document_id'))
    )
    with op.batch_alter_table('document_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_translations_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_translations_translation_of'), ['translation_of'], unique=False)

    op.create_table('source_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('retry_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_source_items_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['watched_sources.id'], name=op.f('fk_source_items_source_id_watched_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_items')),
    sa.UniqueConstraint('url', name=op.f('uq_source_items_url'))
    )
    with op.batch_alter_table('source_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_items_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('source_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_items_source_id'))

    op.drop_table('source_items')
    with op.batch_alter_table('document_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_translations_translation_of'))
        batch_op.drop_index(batch_op.f('ix_document_translations_document_id'))

    op.drop_table('document_translations')
    op.drop_table('watched_sources')

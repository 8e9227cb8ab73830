"""list indexes: the pages of /api/facts read an index in order (keyset pagination)

Each list order is newest period first, then the newest document and its figures from the last;
one index per filter the pages use (none, territory, indicator, both) holds that order (read
backwards) after its filter columns, so a page is a range read that stops at its end. ix_facts_series gains the order's columns (it serves the
series as before); ix_facts_period_start is replaced by ix_facts_page.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:48:34.105063
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ORDER = ['period_start', 'document_id', 'ordinal']


def upgrade() -> None:
    op.drop_index('ix_facts_period_start', table_name='facts')
    op.drop_index('ix_facts_series', table_name='facts')
    op.create_index('ix_facts_series', 'facts', ['territory_id', 'indicator_id', *ORDER])
    op.create_index('ix_facts_page', 'facts', ORDER)
    op.create_index('ix_facts_page_territory', 'facts', ['territory_id', *ORDER])
    op.create_index('ix_facts_page_indicator', 'facts', ['indicator_id', *ORDER])


def downgrade() -> None:
    for name in ('ix_facts_page_indicator', 'ix_facts_page_territory', 'ix_facts_page', 'ix_facts_series'):
        op.drop_index(name, table_name='facts')
    op.create_index('ix_facts_series', 'facts', ['territory_id', 'indicator_id', 'period_start'])
    op.create_index('ix_facts_period_start', 'facts', ['period_start'])

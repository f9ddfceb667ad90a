"""render cache: a revision's body as HTML, per renderer version and wiki-link visibility

Revision ID: 0007_render_cache
Revises: 0006
Create Date: 2026-12-05 15:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0007_render_cache'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rendered_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('source_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('links_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('toc', sa.JSON(), nullable=False),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('revision_id', 'source_key', 'links_key', name='uq_rendered_revision')
    )
    op.create_index(op.f('ix_rendered_revisions_revision_id'), 'rendered_revisions',
                    ['revision_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rendered_revisions_revision_id'), table_name='rendered_revisions')
    op.drop_table('rendered_revisions')

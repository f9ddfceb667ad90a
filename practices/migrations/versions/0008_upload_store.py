"""upload store: uploaded files in the database, content-addressed by sha256

Revision ID: 0008_upload_store
Revises: 0007_render_cache
Create Date: 2026-12-05 15:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008_upload_store'
down_revision = '0007_render_cache'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('upload_blobs',
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('upload_chunks',
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['upload_blobs.sha256'], ),
    sa.PrimaryKeyConstraint('sha256', 'seq')
    )
    with op.batch_alter_table('uploads') as batch_op:
        batch_op.add_column(sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_uploads_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('uploads') as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_sha256'))
        batch_op.drop_column('sha256')
    op.drop_table('upload_chunks')
    op.drop_table('upload_blobs')

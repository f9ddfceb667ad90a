"""import run liveness: the host and process running an import, and its last heartbeat

Revision ID: 0009_import_run_liveness
Revises: 0008_upload_store
Create Date: 2026-12-05 15:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009_import_run_liveness'
down_revision = '0008_upload_store'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('host')

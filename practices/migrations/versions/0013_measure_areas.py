"""a measure may be located by an area (a polygon) as well as by points

Revision ID: 0013_measure_areas
Revises: 0012_measure_history
Create Date: 2026-12-05 18:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_measure_areas"
down_revision = "0012_measure_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("boundary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_column("boundary")

"""measures can be deleted (softly); reverts of profiles and measures say what they restored

Revision ID: 0012_measure_history
Revises: 0011_sheet_photos
Create Date: 2026-12-05 18:05:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012_measure_history"
down_revision = "0011_sheet_photos"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.create_index(batch_op.f("ix_measures_deleted_at"), ["deleted_at"],
                              unique=False)
    for table in ("measure_revisions", "organization_revisions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("reverted_from", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in ("organization_revisions", "measure_revisions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reverted_from")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measures_deleted_at"))
        batch_op.drop_column("deleted_at")

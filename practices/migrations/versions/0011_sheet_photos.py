"""sheet photos: the cover photo a sheet's cards and map popup show

The gallery itself lives in each revision's fields ("photos"), so it has history, diff and
revert like any other field; the sheet keeps a copy of its first photo for lists.

Revision ID: 0011_sheet_photos
Revises: 0010_measures
Create Date: 2026-12-05 18:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_sheet_photos"
down_revision = "0010_measures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sheets") as batch:
        batch.add_column(sa.Column("cover_photo", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sheets") as batch:
        batch.drop_column("cover_photo")

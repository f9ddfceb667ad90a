"""organisation profiles and measures

Revision ID: 0010_measures
Revises: 0009_import_run_liveness
Create Date: 2026-12-05 15:34:09.934432
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_measures"
down_revision = "0009_import_run_liveness"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organization_colleges",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("college_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["college_id"],
            ["colleges.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("organization_id", "college_id"),
    )
    with op.batch_alter_table("organization_colleges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_colleges_college_id"), ["college_id"], unique=False
        )

    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("area_ha", sa.Float(), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("land_use", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("climate_zone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("soil_class", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("baseline", sa.JSON(), nullable=False),
        sa.Column("practice", sa.JSON(), nullable=False),
        sa.Column("edition", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("soc_baseline_t_c_ha", sa.Float(), nullable=True),
        sa.Column("soc_change_t_c_ha_yr", sa.Float(), nullable=True),
        sa.Column("soc_depth_cm", sa.Float(), nullable=True),
        sa.Column("soc_years", sa.Float(), nullable=True),
        sa.Column("soc_method", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("estimated_t_c_ha_yr", sa.Float(), nullable=True),
        sa.Column("estimated_per_mille_yr", sa.Float(), nullable=True),
        sa.Column("estimated_t_c_yr", sa.Float(), nullable=True),
        sa.Column("estimate_note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measures_country"), ["country"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_measures_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_measures_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_measures_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "organization_managers",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("organization_id", "user_id"),
    )
    with op.batch_alter_table("organization_managers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_managers_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "organization_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("edit_summary", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organization_id", "number", name="uq_organization_revision_number"),
    )
    with op.batch_alter_table("organization_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_revisions_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "measure_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("edit_summary", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("measure_id", "number", name="uq_measure_revision_number"),
    )
    with op.batch_alter_table("measure_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_revisions_measure_id"), ["measure_id"], unique=False
        )

    op.create_table(
        "measure_sheets",
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["sheets.id"],
        ),
        sa.PrimaryKeyConstraint("measure_id", "sheet_id"),
    )
    with op.batch_alter_table("measure_sheets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_sheets_sheet_id"), ["sheet_id"], unique=False)

    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("standing", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("locations", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("logo_upload_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organizations_standing"), ["standing"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organizations_standing"))
        batch_op.drop_column("logo_upload_id")
        batch_op.drop_column("locations")
        batch_op.drop_column("description")
        batch_op.drop_column("standing")

    with op.batch_alter_table("measure_sheets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_sheets_sheet_id"))

    op.drop_table("measure_sheets")
    with op.batch_alter_table("measure_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_revisions_measure_id"))

    op.drop_table("measure_revisions")
    with op.batch_alter_table("organization_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_revisions_organization_id"))

    op.drop_table("organization_revisions")
    with op.batch_alter_table("organization_managers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_managers_user_id"))

    op.drop_table("organization_managers")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measures_updated_at"))
        batch_op.drop_index(batch_op.f("ix_measures_state"))
        batch_op.drop_index(batch_op.f("ix_measures_organization_id"))
        batch_op.drop_index(batch_op.f("ix_measures_country"))

    op.drop_table("measures")
    with op.batch_alter_table("organization_colleges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_colleges_college_id"))

    op.drop_table("organization_colleges")

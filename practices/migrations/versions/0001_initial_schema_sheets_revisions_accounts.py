"""initial schema: sheets, revisions, accounts

Revision ID: 0001
Revises:
Create Date: 2026-11-24 18:10:39.059531
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_slug'), ['slug'], unique=True)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=True)

    op.create_table('sheets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('current_revision_id', sa.Integer(), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translation_of_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('soc_change_t_c_ha_yr', sa.Float(), nullable=True),
    sa.Column('yield_change_pct', sa.Float(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('source_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('source_updated', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('license', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('attribution', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['translation_of_id'], ['sheets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id')
    )
    with op.batch_alter_table('sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sheets_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sheets_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_sheets_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sheets_slug'), ['slug'], unique=True)
        batch_op.create_index(batch_op.f('ix_sheets_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sheets_updated_at'), ['updated_at'], unique=False)

    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stored_name')
    )
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['sheets.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('edit_summary', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('reverted_from', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['sheet_id'], ['sheets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sheet_id', 'number', name='uq_revision_number')
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('sheet_terms',
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('facet', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['sheets.id'], ),
    sa.PrimaryKeyConstraint('sheet_id', 'facet', 'code')
    )
    with op.batch_alter_table('sheet_terms', schema=None) as batch_op:
        batch_op.create_index('ix_sheet_terms_facet_code', ['facet', 'code'], unique=False)

    op.create_table('slug_redirects',
    sa.Column('old_slug', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sheet_id'], ['sheets.id'], ),
    sa.PrimaryKeyConstraint('old_slug')
    )
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slug_redirects_sheet_id'), ['sheet_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('slug_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slug_redirects_sheet_id'))

    op.drop_table('slug_redirects')
    with op.batch_alter_table('sheet_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_sheet_terms_facet_code')

    op.drop_table('sheet_terms')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revisions_sheet_id'))

    op.drop_table('revisions')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_sheet_id'))

    op.drop_table('change_log')
    op.drop_table('uploads')
    with op.batch_alter_table('sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sheets_updated_at'))
        batch_op.drop_index(batch_op.f('ix_sheets_status'))
        batch_op.drop_index(batch_op.f('ix_sheets_slug'))
        batch_op.drop_index(batch_op.f('ix_sheets_organization_id'))
        batch_op.drop_index(batch_op.f('ix_sheets_language'))
        batch_op.drop_index(batch_op.f('ix_sheets_deleted_at'))

    op.drop_table('sheets')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_slug'))

    op.drop_table('organizations')

"""run values remembered, and parameter sweeps

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('run_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('sweep_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_run_records_sweep_id'), ['sweep_id'], unique=False)
    op.create_table('sweeps',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('connection', sa.String(length=80), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('workflow_id', sa.String(length=120), nullable=False),
    sa.Column('workflow_name', sa.String(length=255), nullable=False),
    sa.Column('variable', sa.String(length=120), nullable=False),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sweeps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sweeps_connection'), ['connection'], unique=False)


def downgrade():
    with op.batch_alter_table('sweeps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweeps_connection'))
    op.drop_table('sweeps')
    with op.batch_alter_table('run_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_run_records_sweep_id'))
        batch_op.drop_column('sweep_id')
        batch_op.drop_column('params')

"""review decisions (issue 6: reports, trends, diffs)

Revision ID: 0002_reports
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_reports"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviewdecision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("check_id", sa.String(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("judged_hash", sa.String(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["scan_id"], ["scan.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviewdecision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviewdecision_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_reviewdecision_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reviewdecision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviewdecision_target_id"))
        batch_op.drop_index(batch_op.f("ix_reviewdecision_fingerprint"))
    op.drop_table("reviewdecision")

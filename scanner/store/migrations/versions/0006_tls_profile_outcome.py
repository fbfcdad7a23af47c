"""security: TLS profile outcomes per host, profile and scan, stored at scan time

Revision ID: 0006_tls_profile_outcome
Revises: 0005_privacy_vendors
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_tls_profile_outcome"
down_revision: str | None = "0005_privacy_vendors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "tls_profile_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scan_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(), nullable=False),
        sa.Column("profile_version", sa.String(), nullable=False),
        sa.Column("deviations", JSON, nullable=False),
        sa.Column("not_tested", JSON, nullable=False),
        sa.ForeignKeyConstraint(["scan_id"], ["scan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scan_id", "host", "port", "profile"),
    )
    with op.batch_alter_table("tls_profile_outcome", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tls_profile_outcome_scan_id"), ["scan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tls_profile_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tls_profile_outcome_scan_id"))
    op.drop_table("tls_profile_outcome")

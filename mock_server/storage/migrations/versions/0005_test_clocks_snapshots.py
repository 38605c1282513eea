"""Test clocks (customers, checkouts and loans point at theirs) and named sandbox snapshots.

Revision ID: 0005_test_clocks_snapshots
Revises: 0004_settlement
Create Date: 2026-12-02 01:57:59.535671
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_test_clocks_snapshots"
down_revision: str | Sequence[str] | None = "0004_settlement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add test_clocks and sandbox_snapshots, and test_clock_id (empty: no object is on a test
    clock yet) on customers, checkouts and loans."""
    op.create_table(
        "sandbox_snapshots",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("sandbox_snapshots", schema=None) as batch_op:
        batch_op.create_index("ix_snapshots_merchant_name", ["merchant_id", "name"], unique=True)

    op.create_table(
        "test_clocks",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("frozen_time", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("test_clocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_test_clocks_merchant_id"), ["merchant_id"], unique=False
        )

    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_clock_id", sa.String(length=40), nullable=True))

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_clock_id", sa.String(length=40), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_customers_test_clock_id"), ["test_clock_id"], unique=False
        )

    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("test_clock_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    """Drop the test clock columns, test_clocks and sandbox_snapshots."""
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_column("test_clock_id")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_test_clock_id"))
        batch_op.drop_column("test_clock_id")

    with op.batch_alter_table("checkouts", schema=None) as batch_op:
        batch_op.drop_column("test_clock_id")

    with op.batch_alter_table("test_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_test_clocks_merchant_id"))

    op.drop_table("test_clocks")
    with op.batch_alter_table("sandbox_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_snapshots_merchant_name")

    op.drop_table("sandbox_snapshots")

"""Credit furnishing: month-end Metro 2 files, disputes, the bureau's memory, loans' last report.

Revision ID: 0009_credit_furnishing
Revises: 0008_sealed_webhook_secrets
Create Date: 2026-12-02 02:01:14
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_credit_furnishing"
down_revision: str | Sequence[str] | None = "0008_sealed_webhook_secrets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add furnishing_files, disputes, bureau_accounts, bureau_inquiries and loans.furnished
    (empty: nothing has been furnished yet)."""
    op.create_table(
        "bureau_accounts",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bureau_key", sa.String(length=64), nullable=False),
        sa.Column("account_number", sa.String(length=30), nullable=False),
        sa.Column("furnisher_id", sa.String(length=40), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("bureau_accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bureau_accounts_bureau_key"), ["bureau_key"], unique=False
        )

    op.create_table(
        "bureau_inquiries",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bureau_key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("bureau_inquiries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bureau_inquiries_bureau_key"), ["bureau_key"], unique=False
        )

    op.create_table(
        "disputes",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("loan_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("resolution", sa.String(length=12), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution_file_id", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_disputes_loan_id"), ["loan_id"], unique=False)

    op.create_table(
        "furnishing_files",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("merchant_id", sa.String(length=40), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("month_end", sa.Date(), nullable=False),
        sa.Column("account_count", sa.Integer(), nullable=False),
        sa.Column("status_counts", sa.JSON(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("furnishing_files", schema=None) as batch_op:
        batch_op.create_index(
            "ix_furnishing_files_merchant_period", ["merchant_id", "period"], unique=True
        )

    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("furnished", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop what upgrade added."""
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_column("furnished")

    with op.batch_alter_table("furnishing_files", schema=None) as batch_op:
        batch_op.drop_index("ix_furnishing_files_merchant_period")

    op.drop_table("furnishing_files")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_disputes_loan_id"))

    op.drop_table("disputes")
    with op.batch_alter_table("bureau_inquiries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bureau_inquiries_bureau_key"))

    op.drop_table("bureau_inquiries")
    with op.batch_alter_table("bureau_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bureau_accounts_bureau_key"))

    op.drop_table("bureau_accounts")

"""analytics: daily roll-ups, CSAT ratings, declined questions, A/B tests

A distinct revision name (not a bare number): other branches add their own 0003; the lead
chains them when merging.

Revision ID: 0003_analytics
Revises: 0002_consent
Create Date: 2026-12-02 12:46:29.772267
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import gateway.store.models

revision: str = "0003_analytics"
down_revision: str | None = "0002_consent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "abtest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("goal", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("min_sample", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("winner", sa.Integer(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("started_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_id", "name"),
    )
    with op.batch_alter_table("abtest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_abtest_business_id"), ["business_id"], unique=False)

    op.create_table(
        "dailystat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("day", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("metric", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_id", "day", "channel_id", "metric", "key"),
    )
    with op.batch_alter_table("dailystat", schema=None) as batch_op:
        batch_op.create_index("ix_dailystat_business_day", ["business_id", "day"], unique=False)

    op.create_table(
        "rollupmark",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("through_day", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("updated_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.PrimaryKeyConstraint("business_id"),
    )
    op.create_table(
        "abexposure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("test_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.Integer(), nullable=False),
        sa.Column("exposed_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("converted_at", gateway.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["test_id"],
            ["abtest.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("test_id", "contact_id"),
    )
    with op.batch_alter_table("abexposure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_abexposure_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_abexposure_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_abexposure_test_id"), ["test_id"], unique=False)

    op.create_table(
        "csatrating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("asked_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", gateway.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staffuser.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id"),
    )
    with op.batch_alter_table("csatrating", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_csatrating_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_csatrating_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "declinedquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("declinedquestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declinedquestion_group_id"), ["group_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_declinedquestion_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_declinedquestion_contact_id"), ["contact_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("declinedquestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declinedquestion_contact_id"))
        batch_op.drop_index(batch_op.f("ix_declinedquestion_group_id"))
        batch_op.drop_index(batch_op.f("ix_declinedquestion_business_id"))

    op.drop_table("declinedquestion")
    with op.batch_alter_table("csatrating", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_csatrating_contact_id"))
        batch_op.drop_index(batch_op.f("ix_csatrating_business_id"))

    op.drop_table("csatrating")
    with op.batch_alter_table("abexposure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_abexposure_test_id"))
        batch_op.drop_index(batch_op.f("ix_abexposure_contact_id"))
        batch_op.drop_index(batch_op.f("ix_abexposure_business_id"))

    op.drop_table("abexposure")
    op.drop_table("rollupmark")
    with op.batch_alter_table("dailystat", schema=None) as batch_op:
        batch_op.drop_index("ix_dailystat_business_day")

    op.drop_table("dailystat")
    with op.batch_alter_table("abtest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_abtest_business_id"))

    op.drop_table("abtest")

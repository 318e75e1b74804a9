"""consent ledger, data-request audit, staff session epochs

The one-row-per-purpose `consent` table becomes an append-only ledger (`consentevent`): each
existing row is carried over as one event. `datarequest` records exports and erasures without
personal data; `staffuser.session_epoch` lets a sign-out or a password reset void sessions.

Revision ID: 0002_consent
Revises: 0001
Create Date: 2026-12-02 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import gateway.store.models

revision: str = "0002_consent"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AUTO = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "consentevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("network", _AUTO(length=16), nullable=False),
        sa.Column("purpose", _AUTO(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", _AUTO(length=64), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("actor", _AUTO(length=64), nullable=False),
        sa.Column("created_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.ForeignKeyConstraint(["source_message_id"], ["message.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consentevent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consentevent_business_id"), ["business_id"])
        batch_op.create_index(batch_op.f("ix_consentevent_contact_id"), ["contact_id"])
    op.execute(
        "INSERT INTO consentevent (business_id, contact_id, network, purpose, granted, source,"
        " wording, actor, created_at)"
        " SELECT business_id, contact_id, network, purpose, granted, substr(source, 1, 64), '',"
        " 'migrated', updated_at FROM consent ORDER BY id"
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_contact_id"))
        batch_op.drop_index(batch_op.f("ix_consent_business_id"))
    op.drop_table("consent")

    op.create_table(
        "datarequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("kind", _AUTO(length=16), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("via", _AUTO(length=32), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("created_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("datarequest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datarequest_business_id"), ["business_id"])

    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("staffuser", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
    with op.batch_alter_table("datarequest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_datarequest_business_id"))
    op.drop_table("datarequest")
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("network", _AUTO(length=16), nullable=False),
        sa.Column("purpose", _AUTO(length=16), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", _AUTO(), nullable=False),
        sa.Column("updated_at", gateway.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["business_id"], ["business.id"]),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_id", "contact_id", "network", "purpose"),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_business_id"), ["business_id"])
        batch_op.create_index(batch_op.f("ix_consent_contact_id"), ["contact_id"])
    op.execute(
        "INSERT INTO consent (business_id, contact_id, network, purpose, granted, source,"
        " updated_at) SELECT e.business_id, e.contact_id, e.network, e.purpose, e.granted,"
        " e.source, e.created_at FROM consentevent e WHERE e.id = (SELECT max(x.id) FROM"
        " consentevent x WHERE x.contact_id = e.contact_id AND x.network = e.network AND"
        " x.purpose = e.purpose)"
    )
    with op.batch_alter_table("consentevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consentevent_contact_id"))
        batch_op.drop_index(batch_op.f("ix_consentevent_business_id"))
    op.drop_table("consentevent")

"""add item description

Revision ID: 9c0a54914c78
"""
import sqlalchemy as sa
from alembic import op

revision = "9c0a54914c78"
down_revision = "1a31ce608336"


def upgrade() -> None:
    op.add_column("item", sa.Column("description", sa.String(length=255), nullable=True))


def downgrade() -> None:
    op.drop_column("item", "description")

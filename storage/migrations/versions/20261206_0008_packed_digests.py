"""Digest documents stored zlib-compressed: `nudge_deliveries.digest`, `outbox_messages.payload`.

A weekly run wrote ~25 KB of JSON per digest into both tables (50 MB a run at 1,000
managers), which PostgreSQL parsed into JSONB and SQLite rewrote whenever a record's status
changed; compressed it is an eighth of that (`storage.models.PackedJson`). Nothing queries
inside these documents, so they become bytes. Existing rows are compressed here, in
batches, and decompressed again on downgrade.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_COLUMNS = (("nudge_deliveries", "digest"), ("outbox_messages", "payload"))
_BATCH = 500


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value).encode(), 1)


def _unpack(value: bytes) -> Any:
    return json.loads(zlib.decompress(value))


def _convert(
    table: str,
    column: str,
    old: sa.types.TypeEngine[Any],
    new: sa.types.TypeEngine[Any],
    change: Callable[[Any], Any],
) -> None:
    """Rewrite `table.column` from type `old` to `new`, each value through `change`, a page
    of rows at a time (a year of digests would not fit in memory at once)."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("converted", new, nullable=True))
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column(column, old))
    target = sa.table(table, sa.column("id", sa.Integer), sa.column("converted", new))
    update = (
        sa.update(target)
        .where(target.c.id == sa.bindparam("row_id"))
        .values(converted=sa.bindparam("value"))
    )
    bind, last = op.get_bind(), 0
    while page := bind.execute(
        sa.select(rows.c.id, rows.c[column])
        .where(rows.c.id > last)
        .order_by(rows.c.id)
        .limit(_BATCH)
    ).all():
        bind.execute(update, [{"row_id": id_, "value": change(value)} for id_, value in page])
        last = page[-1][0]
    with op.batch_alter_table(table) as batch:
        batch.drop_column(column)
        batch.alter_column("converted", new_column_name=column, nullable=False)


def upgrade() -> None:
    for table, column in _COLUMNS:
        _convert(table, column, _JSON, sa.LargeBinary(), _pack)


def downgrade() -> None:
    for table, column in _COLUMNS:
        _convert(table, column, sa.LargeBinary(), _JSON, _unpack)

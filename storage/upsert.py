"""Inserts that a racing worker cannot break: both dialects' INSERT ... ON CONFLICT.

Two workers seeing a tenant, a user or a digest for the first time at once both insert it;
the unique key keeps one row and the other insert quietly does nothing, so no caller has to
catch IntegrityError and start its transaction again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import conflict_insert


def insert_or_skip(session: AsyncSession, model: type[Any], conflict: Sequence[str]) -> Any:
    """A Core INSERT into `model`'s table that skips rows hitting the unique key `conflict`.

    Core rather than ORM: these are bulk writes of plain values, and the ORM's bulk path
    costs seconds at a thousand digests."""
    return _insert(session, model).on_conflict_do_nothing(index_elements=list(conflict))


def insert_or_update(
    session: AsyncSession, model: type[Any], conflict: Sequence[str], values: dict[str, Any]
) -> Any:
    """An INSERT of one row of `values` that, on hitting the unique key `conflict`, sets the
    row's other columns to `values` instead."""
    statement = _insert(session, model).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in conflict}
    return statement.on_conflict_do_update(index_elements=list(conflict), set_=changed)


def upsert_many(
    session: AsyncSession, model: type[Any], conflict: Sequence[str], columns: Sequence[str]
) -> Any:
    """A Core INSERT for many rows of `columns` (executemany) that, on hitting the unique key
    `conflict`, sets the row's other `columns` to the new values."""
    statement = _insert(session, model)
    changed = {name: statement.excluded[name] for name in columns if name not in conflict}
    return statement.on_conflict_do_update(index_elements=list(conflict), set_=changed)


def _insert(session: AsyncSession, model: type[Any]) -> Any:
    table: Table = model.__table__
    return conflict_insert(session.get_bind().dialect.name)(table)

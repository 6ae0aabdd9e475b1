"""Alembic's entry point: runs the revisions against the URL the caller configured.

`storage.migrate` sets `sqlalchemy.url`; from the alembic CLI pass `-x url=...` instead.
Logging is left to the host application, so migrating never reconfigures its loggers.
On PostgreSQL an advisory lock serialises workers that all migrate when they start.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine, pool, text

from storage.db import normalise_url
from storage.models import Base
from storage.slack_store import SLACK_METADATA

_MIGRATION_LOCK_ID = 7_301_245_118


def _url() -> str:
    configured = context.config.get_main_option("sqlalchemy.url")
    url = configured or context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise RuntimeError("No database URL: pass -x url=... to alembic.")
    return normalise_url(url)[1]


def _run_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=[Base.metadata, SLACK_METADATA],
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=[Base.metadata, SLACK_METADATA],
        render_as_batch=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})"))
        context.run_migrations()


def _run_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()

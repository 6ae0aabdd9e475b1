"""Database URLs and engines: one place that knows SQLite and PostgreSQL differ.

Callers pass whatever URL the configuration holds (`sqlite:///coach.db`, `postgres://...`);
`normalise_url` turns it into the async driver URL the store uses and the sync URL Alembic
uses. SQLite connections get foreign keys, a busy timeout and `BEGIN IMMEDIATE`, so
concurrent writers queue instead of failing; a database that cannot be opened becomes a
`StoreUnavailable` with a message fit to show a user.

A database that goes away while the coach runs (a PostgreSQL restart, a failover) must not
take the process with it. Pooled connections are pinged before use, so the first request
after a restart gets a fresh connection instead of a dead one; and every driver error that
means "not answering" becomes the same friendly `StoreUnavailable`, whichever repository
hit it, and is never a driver message on its way to a user. Error messages never carry the
statement's parameters (a rep's words), so a logged failure cannot leak them.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from coaching.errors import StoreUnavailable

SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_CONNECT_TIMEOUT_S = 10
NOT_ANSWERING = "The coach's database is not answering right now; try again in a moment."


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as error:
        raise StoreUnavailable(
            "The database URL is not valid; use sqlite:///path/to/coach.db or postgresql://..."
        ) from error


def normalise_url(url: str) -> tuple[str, str]:
    """(async_url, sync_url) for a SQLite or PostgreSQL URL, with the drivers we ship."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        async_url, sync_url = (
            parsed.set(drivername="sqlite+aiosqlite"),
            parsed.set(drivername="sqlite"),
        )
    elif backend in ("postgresql", "postgres"):
        async_url = sync_url = parsed.set(drivername="postgresql+psycopg")
    else:
        raise StoreUnavailable(
            f"Unsupported database {backend!r}; use sqlite:///path or postgresql://..."
        )
    return async_url.render_as_string(hide_password=False), sync_url.render_as_string(
        hide_password=False
    )


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = _parse(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def describe(url: str) -> str:
    """Where the database is, for messages: a file path or host/database, never a password."""
    path = sqlite_path(url)
    if path is not None:
        return f"the SQLite database at {path}"
    parsed = _parse(url)
    return f"the PostgreSQL database {parsed.database or ''} on {parsed.host}:{parsed.port or 5432}"


def unavailable(url: str) -> StoreUnavailable:
    """A friendly error for a database that cannot be opened; raise it `from` the cause."""
    hint = (
        "check that the file exists and its folder is writable"
        if sqlite_path(url) is not None
        else "check that the server is running and the URL is right"
    )
    return StoreUnavailable(f"Cannot open {describe(url)}: {hint}.")


def _prepare_sqlite(engine: AsyncEngine) -> None:
    """Foreign keys on, wait for locks, and take the write lock when a transaction starts."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_LZ4_WHERE_OFFERED = (
    "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings "
    "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _prepare_postgres(engine: AsyncEngine) -> None:
    """Compress large values with lz4 where the server offers it (PostgreSQL 14+ built with
    it; elsewhere nothing changes). A weekly run writes every digest's plain-text rendering
    (~8 KB each) to the console outbox, and pglz, the default, took half the time of such
    inserts; lz4 takes a quarter of it for the same size, and reading either back is
    transparent. The digest documents themselves arrive already compressed (`PackedJson`)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute(_LZ4_WHERE_OFFERED)
        cursor.close()
        dbapi_connection.autocommit = autocommit


def _report_unavailable(engine: AsyncEngine) -> None:
    """Turn "not answering" driver errors into `StoreUnavailable`, for every caller.

    The pool's own pre-ping is left alone: it must see the error to reconnect.
    """

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return
        if context.is_disconnect or isinstance(context.sqlalchemy_exception, OperationalError):
            raise StoreUnavailable(NOT_ANSWERING)


def create_engine_for(url: str) -> AsyncEngine:
    """An async engine for `url` (not yet connected)."""
    async_url, _ = normalise_url(url)
    if not async_url.startswith("sqlite"):
        engine = create_async_engine(
            async_url,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )
        _prepare_postgres(engine)
    elif sqlite_path(url) is None:
        raise StoreUnavailable("An in-memory SQLite database cannot be shared; use a file path.")
    else:
        engine = create_async_engine(async_url, hide_parameters=True)
        _prepare_sqlite(engine)
    _report_unavailable(engine)
    return engine


async def check_connection(engine: AsyncEngine, url: str) -> None:
    """Connect once so a wrong URL fails at start-up with a friendly `StoreUnavailable`.

    A missing SQLite file counts as unavailable: connecting would create an empty database.
    """
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise unavailable(url) from FileNotFoundError(errno.ENOENT, "No such file", str(path))
    try:
        async with engine.connect():
            pass
    except (DBAPIError, StoreUnavailable) as error:
        raise unavailable(url) from error


def conflict_insert(dialect_name: str) -> Callable[..., Any]:
    """The dialect's own `insert`, whose statements take ON CONFLICT clauses. Each dialect
    is imported on first use, so a SQLite deployment never loads PostgreSQL's."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert

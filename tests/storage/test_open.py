"""Database URLs are normalised, and a database that cannot be opened says so plainly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

import storage.db
from coaching.errors import StoreUnavailable
from storage.db import create_engine_for, normalise_url
from storage.repository import open_store
from tests.storage.factories import message, result


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///coach.db", ("sqlite+aiosqlite:///coach.db", "sqlite:///coach.db")),
        (
            "sqlite+aiosqlite:////var/lib/coach.db",
            ("sqlite+aiosqlite:////var/lib/coach.db", "sqlite:////var/lib/coach.db"),
        ),
        ("postgres://u:p@db/coach", ("postgresql+psycopg://u:p@db/coach",) * 2),
        ("postgresql://u@db:5433/coach", ("postgresql+psycopg://u@db:5433/coach",) * 2),
        ("postgresql+psycopg://u@db/coach", ("postgresql+psycopg://u@db/coach",) * 2),
    ],
)
def test_normalise_url(url: str, expected: tuple[str, str]) -> None:
    assert normalise_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://u@db/coach", "not a url"])
def test_unsupported_url_is_refused_plainly(url: str) -> None:
    with pytest.raises(StoreUnavailable, match=r"sqlite:///.*postgresql://"):
        normalise_url(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def unopenable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        regular_file = tmp_path / "not-a-folder"
        regular_file.write_text("")
        return f"sqlite:///{regular_file}/coach.db"
    return "postgresql://coach:secret@127.0.0.1:1/coach"


@pytest.mark.parametrize("migrate", [True, False])
async def test_unopenable_database_raises_store_unavailable(
    unopenable_url: str, migrate: bool
) -> None:
    with pytest.raises(StoreUnavailable) as raised:
        await open_store(unopenable_url, migrate=migrate)

    text = str(raised.value)
    assert text.startswith("Cannot open the ")
    assert "\n" not in text
    assert "secret" not in text
    assert "Error" not in text
    assert raised.value.__cause__ is not None


async def test_a_missing_sqlite_file_is_not_created_without_migrating(tmp_path: Path) -> None:
    missing = tmp_path / "coach.db"

    with pytest.raises(StoreUnavailable, match="file exists"):
        await open_store(f"sqlite:///{missing}", migrate=False)

    assert not missing.exists()


async def test_a_locked_sqlite_database_raises_store_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = await open_store(url, migrate=True)
    other_process = sqlite3.connect(tmp_path / "coach.db", isolation_level=None)
    other_process.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="not answering"):
            await store.save_turn(message=message(), result=result())
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()
        await store.close()


async def test_postgresql_compresses_large_values_with_lz4_where_the_server_offers_it(
    postgres_run_url: str,
) -> None:
    """Every digest is written twice a week (delivery record and outbox), ~25 KB of JSON each."""
    engine = create_engine_for(postgres_run_url)
    try:
        async with engine.connect() as connection:
            offered = (
                await connection.execute(
                    text(
                        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                        "WHERE name = 'default_toast_compression'"
                    )
                )
            ).scalar()
            chosen = (await connection.execute(text("SHOW default_toast_compression"))).scalar()
    finally:
        await engine.dispose()
    assert chosen == ("lz4" if offered else "pglz")

"""Sessions on one engine, and the one way a repository opens a transaction.

Every repository shares this so a database that stops answering always becomes the same
friendly `StoreUnavailable`, never a driver exception on its way to a user.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from coaching.errors import StoreUnavailable
from storage.db import NOT_ANSWERING


class Transactions:
    """Base of every repository: sessions on a shared engine and `transaction()`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        try:
            async with self.sessions.begin() as session:
                yield session
        except OperationalError as error:
            raise StoreUnavailable(NOT_ANSWERING) from error

"""Shared helpers for the ops tests: settings on a fresh SQLite file and a console message."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coaching.types import IncomingMessage, Platform
from config.settings import Settings
from tests.fakes.openai_server import Reply, answer

LONG_REPLY = "Ask who signs, confirm the date, and send a one-page summary to the buyer today."


def settings_for(db: Path, **overrides: Any) -> Settings:
    """Settings on `db`, ignoring this machine's environment and `.env`."""
    base = Settings(_env_file=None, COACH_DATABASE_URL=f"sqlite:///{db}")
    return base.replaced(**overrides)


def message(text: str, user: str = "alice", tenant: str = "console") -> IncomingMessage:
    return IncomingMessage(
        platform=Platform.CONSOLE, tenant=tenant, user=user, text=text, now=datetime.now(UTC)
    )


def good_answer() -> Reply:
    """An answer the serving gate passes: it keeps the offline finding a sent proposal gets."""
    kept = {
        "code": "p3.not_requested",
        "severity": "high",
        "evidence": "Sent the proposal to Dana",
        "advice": "Ask for the final presentation.",
        "category": None,
    }
    return answer({"reply": LONG_REPLY, "findings": [kept]})


def count(db: Path, sql: str, *params: object) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute(sql, params).fetchone()[0])

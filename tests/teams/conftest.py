"""The real server (`bot.server.build_app`) on 127.0.0.1:0, driven with Bot Framework activities.

Replies go to a loopback connector (`tests/fakes/teams_connector.py`) named as each
activity's `serviceUrl`; the store is a fresh SQLite file per test; the coach is the
offline engine. Nothing in the adapter is patched: every difference is configuration.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiohttp import ClientSession, web
from sqlalchemy import func, select

from bot.server import SERVICE_KEY, build_app
from bot.teams.hosting import TEAMS_KEY, TeamsEndpoint
from coaching.ports import UserRef
from coaching.service import CoachService
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    IncomingMessage,
    Platform,
)
from config.settings import Settings
from storage.db import create_engine_for
from storage.repository import open_store

APP_ID = "6f1d2c3b-4a59-4e7d-8c21-0b9a8f7e6d5c"
TENANT = "9b2e7c1d-3f4a-4b5c-8d6e-7f8091a2b3c4"
ALICE_AAD = "aad-alice"
ALICE = UserRef(platform=Platform.TEAMS, tenant=TENANT, user=ALICE_AAD)
PERSONAL = "a:personal-alice"
SENT_AT = "2026-11-18T08:00:00.000Z"
TODAY = date(2026, 11, 18)
PROPOSAL_WAIT = "I sent the proposal to Acme on Monday and will just wait for their decision."


# The loopback stand-ins speak plain HTTP on 127.0.0.1; only tests allow them.
LOOPBACK_HOSTS = ["http://127.0.0.1"]


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """Settings for one test: no `.env`, no LLM, local anonymous Teams unless overridden,
    with connectors and files allowed on the loopback stand-ins."""
    values: dict[str, Any] = {
        "COACH_DATABASE_URL": database_url,
        "OPENAI_API_KEY": None,
        "COACH_TIMEZONE": "UTC",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": None,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": None,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": None,
        "COACH_TEAMS_OPENID_METADATA_URL": None,
        "COACH_TEAMS_REPLY_BUDGET": 10.0,
        # An ordinary test's answer is one message however busy the machine is;
        # test_streaming.py asks for the steps at once instead.
        "COACH_TEAMS_STREAM_AFTER": 14.0,
        "COACH_TEAMS_ALLOW_ANONYMOUS": True,
        "COACH_TEAMS_SERVICE_HOSTS": LOOPBACK_HOSTS,
        "COACH_TEAMS_FILE_HOSTS": LOOPBACK_HOSTS,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def activity(
    text: str | None,
    *,
    service_url: str,
    id: str = "act-1",
    conversation: str = PERSONAL,
    conversation_type: str = "personal",
    user_aad: str = ALICE_AAD,
    tenant: str = TENANT,
    **extra: Any,
) -> dict[str, Any]:
    """A Teams message activity as the connector posts it."""
    body: dict[str, Any] = {
        "type": "message",
        "id": id,
        "timestamp": SENT_AT,
        "localTimezone": "Europe/Berlin",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user_aad}", "name": "Alice Example", "aadObjectId": user_aad},
        "conversation": {
            "id": conversation,
            "conversationType": conversation_type,
            "tenantId": tenant,
        },
        "recipient": {"id": f"28:{APP_ID}", "name": "salescoach"},
        "channelData": {"tenant": {"id": tenant}},
    }
    if text is not None:
        body["text"] = text
    body.update(extra)
    return body


def execute(data: dict[str, Any], *, service_url: str, **sender: Any) -> dict[str, Any]:
    """The invoke Teams sends for an Action.Execute button (Universal Actions); `sender`
    takes `activity()`'s `user_aad` and `tenant`."""
    body = activity(None, service_url=service_url, id="invoke-1", **sender)
    body.update(
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": data["verb"], "data": data},
            "trigger": "manual",
        },
    )
    return body


@dataclass
class TeamsServer:
    """The running app and a client that posts activities to `/api/messages`."""

    app: web.Application
    base_url: str
    http: ClientSession

    @property
    def endpoint(self) -> TeamsEndpoint:
        return self.app[TEAMS_KEY]

    @property
    def service(self) -> CoachService:
        return self.app[SERVICE_KEY]

    async def post(
        self, body: dict[str, Any], *, token: str | None = None, settle: bool = True
    ) -> tuple[int, Any]:
        """The HTTP answer to one activity; with `settle`, once the turns it started (which
        answer after the request) have sent what they send."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.post(
            f"{self.base_url}/api/messages", json=body, headers=headers
        ) as response:
            text = await response.text()
            answer = response.status, (await response.json() if text else None)
        if settle:
            await self.endpoint.work.drain()
        return answer


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[TeamsServer]:
    """`coach serve`'s application, on an ephemeral port, for the duration of a test."""
    app = build_app(settings)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    try:
        async with ClientSession() as http:
            yield TeamsServer(app=app, base_url=f"http://127.0.0.1:{port}", http=http)
    finally:
        await runner.cleanup()


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsServer]:
    """The server in local anonymous mode (no client id configured)."""
    async with running(settings_for(database_url)) as server:
        yield server


async def seed_commitment(
    database_url: str,
    text: str,
    status: CommitmentStatus = CommitmentStatus.OPEN,
    *,
    who: UserRef = ALICE,
) -> int:
    """Alice's (or `who`'s) commitment, stored as a coaching turn would store it; its id."""
    store = await open_store(database_url, migrate=True)
    try:
        saved = await store.save_turn(
            message=IncomingMessage(
                platform=Platform.TEAMS,
                tenant=who.tenant,
                user=who.user,
                text=f"I'll {text}",
                now=datetime(2026, 11, 17, 9, tzinfo=UTC),
            ),
            result=CoachingResult(
                reply="Noted.",
                commitments=[
                    Commitment(
                        text=text,
                        kind=CommitmentKind.FOLLOW_UP,
                        due=date(2026, 11, 20),
                        status=status,
                    )
                ],
            ),
        )
    finally:
        await store.close()
    commitment_id = saved.result.commitments[0].id
    assert commitment_id is not None
    return commitment_id


async def count_rows(database_url: str, model: type[Any]) -> int:
    """How many rows a table holds now, read on a connection of its own."""
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await engine.dispose()


def card_text(card: dict[str, Any] | None) -> str:
    """Every TextBlock of a card, joined, for assertions on what the user reads."""
    return "\n".join(str(block.get("text")) for block in _elements(card, "TextBlock"))


def card_actions(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every Action.Execute on a card, in order."""
    return list(_elements(card, "Action.Execute"))


def _elements(node: Any, kind: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == kind:
            yield node
        for value in node.values():
            yield from _elements(value, kind)
    elif isinstance(node, list):
        for item in node:
            yield from _elements(item, kind)

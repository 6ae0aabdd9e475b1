"""Socket Mode (`coach serve --socket-mode`): the same listeners, fed over a WebSocket."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import build_app
from bot.slack.app import SLACK_KEY
from storage.repository import SqlStore
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.slack.harness import DEALS, P3_TEXT, REP, block_texts, slack_settings


async def test_slash_command_over_socket_mode_is_acked_and_answered(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> None:
    settings = slack_settings(
        database_url,
        slack_api,
        SLACK_SOCKET_MODE=True,
        SLACK_APP_TOKEN=SecretStr("xapp-test"),
        SLACK_SIGNING_SECRET=None,
    )
    async with TestClient(TestServer(build_app(settings))) as client:
        await slack_api.push_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": {
                    "command": "/coach",
                    "text": P3_TEXT,
                    "team_id": TEAM_ID,
                    "user_id": REP,
                    "channel_id": DEALS,
                    "trigger_id": "trig-socket",
                    "response_url": slack_api.response_url("socket"),
                },
            }
        )
        ack = await asyncio.wait_for(slack_api.socket_acks.get(), 10)
        await client.app[SLACK_KEY].drain()
        unsigned = await client.post("/slack/events", data=b"{}")
        assert unsigned.status in (404, 405)  # no HTTP events endpoint without a secret

    assert ack["envelope_id"] == "env-1"
    assert "Thinking" in ack["payload"]["text"]
    [opened] = slack_api.calls_to("apps.connections.open")
    assert opened.token == "xapp-test"
    [answer] = slack_api.calls_to("response_url")
    assert any("final presentation" in t for t in block_texts(answer.params))

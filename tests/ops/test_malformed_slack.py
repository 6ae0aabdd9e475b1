"""Malformed bodies at `/slack/events` get a 4xx, or an empty ack when signed; never a 500.

An unsigned one cannot be from Slack (400/401). A signed one that cannot be read is
acknowledged with 200, because Slack re-delivers anything else
(https://api.slack.com/apis/events-api#retries) and the same bytes would fail again.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import build_app
from coaching.types import Platform
from storage.repository import SqlStore
from tests.fakes.slack_api import FakeSlackApi
from tests.fuzz.signing import signed_headers
from tests.slack.harness import P3_TEXT, dm, event_body, slack_settings

Client = TestClient[web.Request, web.Application]

# Digits int() accepts but a header never carries.
FULLWIDTH_DIGITS = "\uff11\uff17" + "\uff10" * 8
GOOD = json.dumps(event_body(dm(P3_TEXT), "Ev-good")).encode()
MALFORMED = {
    "bad json": b'{"type": "event_callback", "event": ',
    "invalid utf-8": b'{"type": "event_callback", "text": "caf\xe9"}',
    "non-numeric ts": json.dumps(event_body(dm(P3_TEXT, ts="yesterday"), "Ev-ts")).encode(),
    "a list": b'[{"type": "event_callback"}]',
    "a form without payload json": b"payload=%7Bnot-json",
}


@pytest.fixture
async def client(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(slack_settings(database_url, slack_api)))) as c:
        yield c


async def post(client: Client, body: bytes, headers: dict[str, str]) -> int:
    response = await client.post(
        "/slack/events", data=body, headers={"Content-Type": "application/json", **headers}
    )
    return response.status


@pytest.mark.parametrize("name", MALFORMED)
async def test_a_signed_malformed_body_is_acknowledged_so_slack_does_not_retry(
    client: Client, slack_api: FakeSlackApi, store: SqlStore, name: str
) -> None:
    assert await post(client, MALFORMED[name], signed_headers(MALFORMED[name])) == 200
    # Bolt authorises a readable signed request (auth.test); nothing is posted to anyone.
    assert [call.method for call in slack_api.calls if call.method != "auth.test"] == []
    assert await store.find_processed(platform=Platform.SLACK, key="event:Ev-ts") is None


@pytest.mark.parametrize("name", MALFORMED)
async def test_an_unsigned_malformed_body_is_a_400(
    client: Client, slack_api: FakeSlackApi, name: str
) -> None:
    assert await post(client, MALFORMED[name], {}) == 400
    assert slack_api.calls == []


@pytest.mark.parametrize("stamp", ["soon", "1e9", "-5", "", FULLWIDTH_DIGITS])
async def test_a_timestamp_that_is_not_a_number_is_a_400(
    client: Client, slack_api: FakeSlackApi, stamp: str
) -> None:
    headers = {**signed_headers(GOOD), "X-Slack-Request-Timestamp": stamp}

    assert await post(client, GOOD, headers) == 400
    assert slack_api.calls == []


async def test_a_forged_malformed_body_is_a_401(client: Client, slack_api: FakeSlackApi) -> None:
    body = MALFORMED["invalid utf-8"]

    assert await post(client, body, signed_headers(body, secret="forged")) == 401
    assert slack_api.calls == []


async def test_an_oauth_page_visit_with_a_body_of_any_bytes_is_served(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> None:
    oauth = {
        "SLACK_BOT_TOKEN": None,
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": SecretStr("client-secret"),
    }
    app = build_app(slack_settings(database_url, slack_api, **oauth))
    async with TestClient(TestServer(app)) as oauth_client:
        page = await oauth_client.get("/slack/install", data=b"\xff\xfe not text")
        redirect = await oauth_client.get("/slack/oauth_redirect?code=c&state=s", data=b"\xff")

    assert page.status == 200
    assert redirect.status < 500

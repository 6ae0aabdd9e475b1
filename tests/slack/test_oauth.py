"""Multi-workspace installs: OAuth through Bolt, installations in our database, uninstall."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import text

from bot.server import build_app
from bot.slack.app import SlackMode, slack_mode
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.types import Platform
from storage.repository import SqlStore
from tests.fakes.slack_api import INSTALLED_TEAM_ID, INSTALLED_TOKEN, FakeSlackApi
from tests.slack.harness import P3_TEXT, REP, SlackHarness, dm, event_body, slack_settings

CLIENT_ID = "111.222"
OAUTH = {
    "SLACK_BOT_TOKEN": None,
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": SecretStr("client-secret"),
}
BETA_REP = UserRef(platform=Platform.SLACK, tenant=INSTALLED_TEAM_ID, user=REP)


@pytest.fixture
async def multi(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> AsyncIterator[SlackHarness]:
    app = build_app(slack_settings(database_url, slack_api, **OAUTH))
    async with TestClient(TestServer(app)) as client:
        yield SlackHarness(client, slack_api)


async def rows(store: SqlStore, table: str) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def install(multi: SlackHarness) -> None:
    page = await multi.client.get("/slack/install")
    assert page.status == 200
    assert "slack.com/oauth/v2/authorize" in await page.text()
    state = re.search(r"slack-app-oauth-state=([^;]+)", page.headers["Set-Cookie"])
    assert state is not None
    done = await multi.client.get(
        f"/slack/oauth_redirect?code=c0de&state={state[1]}",
        headers={"Cookie": f"slack-app-oauth-state={state[1]}"},
    )
    assert done.status == 200


async def team_event(multi: SlackHarness, event: dict[str, Any], event_id: str) -> int:
    body = json.dumps(event_body(event, event_id, team_id=INSTALLED_TEAM_ID)).encode()
    response = await multi.post(body, "application/json")
    await multi.drain()
    return response.status


async def test_install_saves_the_workspace_and_its_token_is_used(
    multi: SlackHarness, store: SqlStore
) -> None:
    await install(multi)

    [exchange] = multi.api.calls_to("oauth.v2.access")
    assert exchange.params["code"] == "c0de"
    assert await rows(store, "slack_installations") == 1
    assert await rows(store, "slack_bots") == 1
    assert await rows(store, "slack_oauth_states") == 0  # consumed

    assert await team_event(multi, dm(P3_TEXT), "Ev-beta-1") == 200
    [answer] = multi.api.calls_to("chat.update")
    assert answer.token == INSTALLED_TOKEN


async def test_a_forged_state_installs_nothing(multi: SlackHarness, store: SqlStore) -> None:
    response = await multi.client.get(
        "/slack/oauth_redirect?code=c0de&state=forged",
        headers={"Cookie": "slack-app-oauth-state=forged"},
    )

    assert response.status >= 400
    assert multi.api.calls_to("oauth.v2.access") == []
    assert await rows(store, "slack_installations") == 0


@pytest.mark.parametrize(
    "gone",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UCOACH"]}},
    ],
    ids=["app_uninstalled", "tokens_revoked"],
)
async def test_losing_the_bot_token_removes_the_installation_and_stops_answering(
    multi: SlackHarness, store: SqlStore, gone: dict[str, Any]
) -> None:
    await install(multi)

    assert await team_event(multi, gone, "Ev-gone") == 200

    assert await rows(store, "slack_installations") == 0
    assert await rows(store, "slack_bots") == 0
    await team_event(multi, dm(P3_TEXT), "Ev-after")
    assert multi.api.calls_to("chat.postMessage") == []
    assert multi.api.calls_to("chat.update") == []
    assert await store.list_commitments(who=BETA_REP) == []


async def test_a_revoked_user_token_leaves_the_bot_installed(
    multi: SlackHarness, store: SqlStore
) -> None:
    await install(multi)

    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U0OTHER"], "bot": []}}
    assert await team_event(multi, revoked, "Ev-user-revoked") == 200

    assert await rows(store, "slack_bots") == 1
    assert await team_event(multi, dm(P3_TEXT), "Ev-still") == 200
    [answer] = multi.api.calls_to("chat.update")
    assert answer.token == INSTALLED_TOKEN


def test_install_mode_follows_the_settings(slack_api: FakeSlackApi) -> None:
    url = "sqlite:///unused.db"
    assert slack_mode(slack_settings(url, slack_api)) is SlackMode.SINGLE
    assert slack_mode(slack_settings(url, slack_api, **OAUTH)) is SlackMode.OAUTH
    unset = slack_settings(url, slack_api, SLACK_BOT_TOKEN=None, SLACK_SIGNING_SECRET=None)
    assert slack_mode(unset) is None


@pytest.mark.parametrize(
    "half",
    [
        {"SLACK_SIGNING_SECRET": SecretStr("")},
        {"SLACK_CLIENT_SECRET": SecretStr("x"), "SLACK_BOT_TOKEN": None},
        {"SLACK_SOCKET_MODE": True},
    ],
)
def test_half_a_configuration_fails_at_start_up(
    slack_api: FakeSlackApi, half: dict[str, object]
) -> None:
    with pytest.raises(CoachingError) as failure:
        slack_mode(slack_settings("sqlite:///unused.db", slack_api, **half))
    assert failure.value.code == "config.slack"


async def test_single_workspace_mode_has_no_install_routes(slack: SlackHarness) -> None:
    assert (await slack.client.get("/slack/install")).status == 404
    assert (await slack.client.get("/slack/oauth_redirect")).status == 404

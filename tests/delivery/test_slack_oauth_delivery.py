"""Digests and reminders for workspaces that installed the coach through OAuth.

Each workspace is installed the way an admin installs it (`/slack/install`, Slack's
redirect, Bolt storing the token), and the sender must post with that workspace's token.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import build_app
from coaching.team.rules import Clock
from coaching.types import Platform
from config.settings import Settings
from storage.repository import SqlStore
from tests.delivery.conftest import (
    Install,
    SlackApiWithDms,
    run_digests,
    run_reminders,
    seed_team,
    settings_for,
)
from tests.slack.harness import SIGNING_SECRET, SlackHarness
from tests.slack.test_oauth import CLIENT_ID
from tests.slack.test_oauth import install as install_from_the_install_page

ACME = Install(token="xoxb-acme", team="T0ACME")
BETA = Install(token="xoxb-beta", team="T0BETA")
GRID = Install(token="xoxb-grid", team=None, enterprise="E0GRID")


def oauth(database_url: str, api: SlackApiWithDms) -> Settings:
    return settings_for(
        database_url,
        SLACK_CLIENT_ID=CLIENT_ID,
        SLACK_CLIENT_SECRET=SecretStr("client-secret"),
        SLACK_SIGNING_SECRET=SecretStr(SIGNING_SECRET),
        SLACK_API_URL=api.api_url,
    )


async def install(settings: Settings, api: SlackApiWithDms, workspace: Install) -> None:
    api.will_install(workspace)
    async with TestClient(TestServer(build_app(settings))) as client:
        await install_from_the_install_page(SlackHarness(client, api))


async def installed(database_url: str, api: SlackApiWithDms, *workspaces: Install) -> Settings:
    """OAuth settings, once an admin of each workspace has installed the coach."""
    settings = oauth(database_url, api)
    for workspace in workspaces:
        await install(settings, api, workspace)
    return settings


def posted_with(api: SlackApiWithDms) -> set[tuple[str, str | None]]:
    """(DM channel, token) of every message posted."""
    return {(call.params["channel"], call.token) for call in api.calls_to("chat.postMessage")}


async def test_an_installed_workspace_manager_gets_the_digest_with_its_token(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    settings = await installed(database_url, slack_api, ACME)
    await seed_team(store, Platform.SLACK, "T0ACME", "U0MIA", "U0RAVI")

    assert await run_digests(settings) == (1, 0)
    assert await run_digests(settings) == (0, 0)

    [opened] = slack_api.calls_to("conversations.open")
    assert (opened.params["users"], opened.token) == ("U0MIA", "xoxb-acme")
    [posted] = slack_api.calls_to("chat.postMessage")
    assert posted.token == "xoxb-acme"
    assert "Ravi Rep" in str(posted.params["blocks"])


async def test_two_workspaces_each_get_their_digest_with_their_own_token(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    settings = await installed(database_url, slack_api, ACME, BETA)
    await seed_team(store, Platform.SLACK, "T0ACME", "U0MIA", "U0RAVI")
    await seed_team(store, Platform.SLACK, "T0BETA", "U0BEA", "U0BO")

    assert await run_digests(settings) == (2, 0)

    assert posted_with(slack_api) == {("DU0MIA", "xoxb-acme"), ("DU0BEA", "xoxb-beta")}


async def test_an_org_wide_grid_install_reaches_managers_of_that_org(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    settings = await installed(database_url, slack_api, GRID)
    await seed_team(store, Platform.SLACK, "E0GRID", "W0MIA", "W0RAVI")

    assert await run_digests(settings) == (1, 0)

    assert posted_with(slack_api) == {("DW0MIA", "xoxb-grid")}


async def test_a_rep_in_an_installed_workspace_gets_reminders_with_its_token(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    settings = await installed(database_url, slack_api, BETA)
    await seed_team(store, Platform.SLACK, "T0BETA", "U0BEA", "U0BO")
    tuesday = Clock(at=datetime(2026, 3, 3, 9, tzinfo=UTC))

    assert await run_reminders(settings, tuesday) == 1

    assert posted_with(slack_api) == {("DU0BO", "xoxb-beta")}


async def test_a_workspace_without_installation_fails_until_it_installs(
    database_url: str,
    store: SqlStore,
    slack_api: SlackApiWithDms,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = await installed(database_url, slack_api, ACME)
    await seed_team(store, Platform.SLACK, "T0BETA", "U0BEA", "U0BO")

    with caplog.at_level(logging.WARNING, logger="bot.slack.digest_sender"):
        assert await run_digests(settings) == (0, 1)

    assert slack_api.calls_to("chat.postMessage") == []
    [warning] = [r.getMessage() for r in caplog.records if r.name == "bot.slack.digest_sender"]
    assert "T0BETA" in warning
    assert "U0BEA" not in warning
    assert "Mia" not in warning
    await install(settings, slack_api, BETA)
    assert await run_digests(settings) == (1, 0)
    assert posted_with(slack_api) == {("DU0BEA", "xoxb-beta")}

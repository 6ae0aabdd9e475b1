"""Digests and reminders as Slack DMs, through the Web API stand-in over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from bot.wiring import open_root, platform_senders
from coaching.team.rules import Clock
from coaching.types import Platform
from config.settings import Settings
from storage.repository import SqlStore
from tests.delivery.conftest import (
    SlackApiWithDms,
    run_digests,
    run_reminders,
    seed_team,
    settings_for,
)
from tests.fakes.slack_api import BOT_TOKEN, TEAM_ID, Failure

MANAGER = "U0MGR"
REP = "U0REP"


def slack(database_url: str, api: SlackApiWithDms) -> Settings:
    return settings_for(
        database_url,
        SLACK_BOT_TOKEN=SecretStr(BOT_TOKEN),
        SLACK_SIGNING_SECRET=SecretStr("test-signing-secret"),
        SLACK_API_URL=api.api_url,
    )


async def test_the_manager_gets_the_digest_as_a_dm_exactly_once(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    await seed_team(store, Platform.SLACK, TEAM_ID, MANAGER, REP)
    settings = slack(database_url, slack_api)

    assert await run_digests(settings) == (1, 0)
    assert await run_digests(settings) == (0, 0)

    [opened] = slack_api.calls_to("conversations.open")
    assert (opened.params["users"], opened.token) == (MANAGER, BOT_TOKEN)
    [posted] = slack_api.calls_to("chat.postMessage")
    assert posted.params["channel"] == f"D{MANAGER}"
    text = str(posted.params["blocks"])
    assert "Ravi Rep" in text
    assert "2026-W10" in text


async def test_a_slack_500_is_not_marked_sent_and_the_next_run_delivers_it_once(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    await seed_team(store, Platform.SLACK, TEAM_ID, MANAGER, REP)
    settings = slack(database_url, slack_api)
    slack_api.fail_next("chat.postMessage", Failure(status=500, error="internal_error"))

    assert await run_digests(settings) == (0, 1)
    assert await run_digests(settings) == (1, 0)
    assert await run_digests(settings) == (0, 0)

    assert len(slack_api.calls_to("chat.postMessage")) == 2


async def test_a_rate_limited_post_is_retried_within_the_run(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    await seed_team(store, Platform.SLACK, TEAM_ID, MANAGER, REP)
    slack_api.fail_next("chat.postMessage", Failure(status=429, retry_after=0))

    assert await run_digests(slack(database_url, slack_api)) == (1, 0)
    assert len(slack_api.calls_to("chat.postMessage")) == 2


async def test_the_rep_gets_a_reminder_with_the_commitment_buttons(
    database_url: str, store: SqlStore, slack_api: SlackApiWithDms
) -> None:
    await seed_team(store, Platform.SLACK, TEAM_ID, MANAGER, REP)
    settings = slack(database_url, slack_api)
    tuesday = Clock(at=datetime(2026, 3, 3, 9, tzinfo=UTC))

    assert await run_reminders(settings, tuesday) == 1
    assert await run_reminders(settings, tuesday) == 0

    [posted] = slack_api.calls_to("chat.postMessage")
    assert posted.params["channel"] == f"D{REP}"
    blocks = posted.params["blocks"]
    assert "send Lena the revised pricing" in str(blocks)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "commitment_done",
        "commitment_snooze",
        "commitment_cancel",
    ]


async def test_slack_is_a_sender_with_a_bot_token_or_with_oauth_installs(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    token = SecretStr(BOT_TOKEN)

    async def platforms(settings: Settings) -> list[Platform]:
        async with open_root(settings, senders=()) as root:
            senders = platform_senders(settings, root.slack, root.references)
        return [sender.platform for sender in senders]

    assert await platforms(settings_for(url)) == [Platform.TEAMS]
    with_token = settings_for(url, SLACK_BOT_TOKEN=token)
    assert await platforms(with_token) == [Platform.SLACK, Platform.TEAMS]
    oauth = settings_for(url, SLACK_CLIENT_ID="1.2")
    assert await platforms(oauth) == [Platform.SLACK, Platform.TEAMS]

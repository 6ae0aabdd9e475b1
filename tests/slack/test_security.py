"""Only Slack gets in: forged and replayed requests are refused before anything happens."""

from __future__ import annotations

import json
import time

from coaching.ports import UserRef
from coaching.types import Platform
from storage.repository import SqlStore
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID
from tests.slack.harness import P3_TEXT, REP, SlackHarness, dm

ALICE = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)


async def assert_untouched(slack: SlackHarness, store: SqlStore) -> None:
    await slack.drain()
    assert slack.api.calls == []
    assert await store.find_processed(platform=Platform.SLACK, key="event:Ev0001") is None
    assert await store.list_commitments(who=ALICE) == []


async def test_forged_signature_is_refused_with_no_side_effects(
    slack: SlackHarness, store: SqlStore
) -> None:
    response = await slack.event(dm(P3_TEXT), secret="not-the-signing-secret")

    assert response.status == 401
    await assert_untouched(slack, store)


async def test_six_minute_old_request_is_refused_as_a_replay(
    slack: SlackHarness, store: SqlStore
) -> None:
    response = await slack.event(dm(P3_TEXT), timestamp=int(time.time()) - 6 * 60)

    assert response.status == 401
    await assert_untouched(slack, store)


async def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"}).encode()

    response = await slack.post(body, "application/json")

    assert response.status == 200
    assert (await response.json())["challenge"] == "c-123"


async def test_health_is_served_next_to_slack(slack: SlackHarness) -> None:
    response = await slack.client.get("/healthz")

    assert response.status == 200


async def test_bot_messages_edits_and_own_messages_are_ignored(
    slack: SlackHarness, store: SqlStore
) -> None:
    ignored = [
        dm(P3_TEXT, bot_id="B0OTHER", subtype="bot_message"),
        dm(P3_TEXT, subtype="message_changed"),
        dm(P3_TEXT, subtype="message_deleted"),
        {**dm(P3_TEXT), "user": BOT_USER_ID, "bot_id": BOT_ID},
    ]
    for number, event in enumerate(ignored):
        response = await slack.event(event, event_id=f"Ev-ignored-{number}")
        assert response.status == 200

    await slack.drain()
    assert slack.api.calls_to("chat.postMessage") == []
    assert await store.list_commitments(who=ALICE) == []

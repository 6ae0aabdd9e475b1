"""`/forget-me` and "forget me" in Slack: asked first, then only the clicker's own history goes."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import func, select

from bot.server import ROOT_KEY
from bot.slack.privacy_blocks import FORGET_ACTION, KEEP_ACTION
from coaching.ports import UserRef
from coaching.team.privacy import FORGET_KEPT, NOT_YOUR_QUESTION, NOTHING_TO_FORGET
from coaching.types import Platform
from storage.models import AuditEntry, ConversationTurn
from storage.repository import SqlStore
from tests.fakes.slack_api import TEAM_ID
from tests.slack import harness
from tests.slack.harness import (
    BOB_DM,
    BOB_SAYS,
    DM,
    OTHER_TEAM,
    P3_TEXT,
    REP,
    SlackHarness,
    action_ids,
    block_texts,
    dm,
    event_in,
    forget_press,
)

ALICE = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)
BOB = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=harness.BOB)
ALICE_ELSEWHERE = UserRef(platform=Platform.SLACK, tenant=OTHER_TEAM, user=REP)


async def seed(slack: SlackHarness) -> None:
    """Alice and Bob each coached once in their DMs; Alice's id also in another workspace."""
    await slack.event(dm(P3_TEXT), event_id="Ev-alice")
    await slack.event(dm(BOB_SAYS, user=BOB.user, channel=BOB_DM), event_id="Ev-bob")
    await event_in(slack, dm(BOB_SAYS), event_id="Ev-elsewhere", team_id=OTHER_TEAM)
    await slack.drain()
    slack.api.calls.clear()


async def turns(store: SqlStore) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count(ConversationTurn.id)))).scalar_one())


async def press(
    slack: SlackHarness, action: str, *, user: str = REP, asked: str = REP
) -> tuple[str, dict[str, Any]]:
    """Click a button of the question; what the clicker is answered through response_url."""
    url = slack.api.response_url(action)
    response = await slack.interact(forget_press(action, asked=asked, user=user, response_url=url))
    assert response.status == 200
    await slack.drain()
    [answer] = slack.api.calls_to("response_url")
    slack.api.calls.clear()
    return str(answer.params["text"]), answer.params


async def test_the_command_asks_privately_and_deletes_nothing_yet(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed(slack)

    response = await slack.command("/forget-me", "")

    assert response.status == 200
    question = await response.json()
    assert "cannot be undone" in question["text"]
    assert action_ids(question) == [FORGET_ACTION, KEEP_ACTION]
    assert "response_type" not in question  # a command's ack is seen by its sender only
    await slack.drain()
    assert slack.api.calls == []
    assert len(await store.list_commitments(who=ALICE)) == 1


async def test_delete_forgets_that_rep_only_and_answers_with_counts(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed(slack)
    alice_id = (await slack.client.app[ROOT_KEY].services.privacy.export(ALICE))["profile"]["id"]
    before = await turns(store)

    text, params = await press(slack, FORGET_ACTION)

    assert params["replace_original"] is True
    assert text.startswith("Done: I deleted everything I kept about you")
    assert "2 conversation messages" in text
    assert re.search(r"\b1 commitment\b", text)
    assert "1 profile" in text
    assert await store.list_commitments(who=ALICE) == []
    assert [c.text for c in await store.list_commitments(who=BOB)] == [
        "send Globex the signed renewal contract"
    ]
    assert len(await store.list_commitments(who=ALICE_ELSEWHERE)) == 1
    assert await turns(store) == before - 2
    async with store.engine.connect() as connection:
        [audit] = (
            await connection.execute(
                select(AuditEntry.target, AuditEntry.details).where(AuditEntry.action == "forget")
            )
        ).all()
    assert audit.target == f"user:{alice_id}"
    assert set(audit.details) == {"actor", "deleted"}
    assert audit.details["actor"] == "self"
    stored = json.dumps(audit.details)
    for content in (REP, "Acme", "final presentation", "decision"):
        assert content not in stored


async def test_keep_it_changes_nothing(slack: SlackHarness, store: SqlStore) -> None:
    await seed(slack)
    before = await turns(store)

    text, params = await press(slack, KEEP_ACTION)

    assert text == FORGET_KEPT
    assert params["replace_original"] is True
    assert len(await store.list_commitments(who=ALICE)) == 1
    assert await turns(store) == before


async def test_a_click_by_someone_other_than_the_one_asked_deletes_nobody(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed(slack)
    before = await turns(store)

    text, params = await press(slack, FORGET_ACTION, user=BOB.user, asked=REP)

    assert text == NOT_YOUR_QUESTION
    assert params["replace_original"] is False
    assert params["response_type"] == "ephemeral"
    assert len(await store.list_commitments(who=ALICE)) == 1
    assert len(await store.list_commitments(who=BOB)) == 1
    assert await turns(store) == before


async def test_forget_me_typed_in_the_dm_asks_and_is_not_coached(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed(slack)
    before = await turns(store)

    await slack.event(dm("Forget me!"), event_id="Ev-forget")
    await slack.drain()

    [question] = slack.api.calls_to("chat.postMessage")
    assert question.params["channel"] == DM
    assert action_ids(question.params) == [FORGET_ACTION, KEEP_ACTION]
    assert any("cannot be undone" in t for t in block_texts(question.params))
    assert await turns(store) == before
    text, _ = await press(slack, FORGET_ACTION)
    assert text.startswith("Done:")
    assert await store.list_commitments(who=ALICE) == []


async def test_after_forgetting_the_next_message_starts_afresh(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed(slack)
    await press(slack, FORGET_ACTION)

    await slack.event(dm(BOB_SAYS), event_id="Ev-again")
    await slack.drain()

    [answer] = slack.api.calls_to("chat.update")
    assert answer.params["channel"] == DM
    assert [c.text for c in await store.list_commitments(who=ALICE)] == [
        "send Globex the signed renewal contract"
    ]
    second, _ = await press(slack, FORGET_ACTION)
    assert "2 conversation messages" in second
    third, _ = await press(slack, FORGET_ACTION)
    assert third == NOTHING_TO_FORGET

"""**forget me** in Teams: a card asks first; only the person asked can delete, and only
their own history."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.teams.agent import HELP
from bot.teams.cards import ForgetVerb
from coaching.ports import UserRef
from coaching.team.privacy import FORGET_KEPT, NOT_YOUR_QUESTION, NOTHING_TO_FORGET
from coaching.types import Platform
from storage.db import create_engine_for
from storage.models import AuditEntry, ConversationReference, ConversationTurn
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import (
    ALICE,
    ALICE_AAD,
    PERSONAL,
    PROPOSAL_WAIT,
    TENANT,
    TeamsServer,
    activity,
    card_actions,
    card_text,
    count_rows,
    execute,
)

BOB = UserRef(platform=Platform.TEAMS, tenant=TENANT, user="aad-bob")
BOB_SAYS = "I'll send Globex the signed renewal contract by Friday."


async def seed(teams: TeamsServer, connector: FakeConnector) -> None:
    """Alice and Bob each coached once in their personal chats."""
    url = connector.service_url
    await teams.post(activity(PROPOSAL_WAIT, service_url=url, id="alice-1"))
    bob = activity(BOB_SAYS, service_url=url, id="bob-1", conversation="a:personal-bob")
    await teams.post({**bob, "from": {"id": "29:aad-bob", "name": "Bob", "aadObjectId": BOB.user}})
    connector.posted.clear()


async def ask(teams: TeamsServer, connector: FakeConnector) -> list[dict[str, Any]]:
    """Type **forget me**; the question card's buttons."""
    await teams.post(activity("forget me", service_url=connector.service_url, id="ask-1"))
    [question] = connector.messages()
    connector.posted.clear()
    assert "cannot be undone" in card_text(question.card)
    return card_actions(question.card)


async def answer(
    teams: TeamsServer, connector: FakeConnector, verb: ForgetVerb, **sender: Any
) -> dict[str, Any]:
    """Press a button of Alice's question (as `sender`, Alice by default)."""
    data = {"verb": verb.value, "asked": ALICE_AAD}
    status, body = await teams.post(execute(data, service_url=connector.service_url, **sender))
    assert status == 200
    return dict(body)


async def test_forget_me_asks_with_two_buttons_for_the_asker(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await seed(teams, connector)

    buttons = await ask(teams, connector)

    assert [b["verb"] for b in buttons] == [ForgetVerb.FORGET.value, ForgetVerb.KEEP.value]
    assert {b["data"]["asked"] for b in buttons} == {ALICE_AAD}
    assert len(await teams.service.commitments(ALICE)) == 1
    assert "forget me" in HELP


async def test_delete_forgets_that_rep_only_and_answers_with_counts(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await seed(teams, connector)
    await ask(teams, connector)
    before = await count_rows(database_url, ConversationTurn)

    body = await answer(teams, connector, ForgetVerb.FORGET)

    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    done = card_text(body["value"])
    assert done.startswith("Done: I deleted everything I kept about you")
    assert "2 conversation messages" in done
    assert "1 chat address for reminders" in done
    assert await teams.service.commitments(ALICE) == []
    assert [c.text for c in await teams.service.commitments(BOB)] == [
        "send Globex the signed renewal contract"
    ]
    assert await count_rows(database_url, ConversationTurn) == before - 2
    assert await count_rows(database_url, ConversationReference) == 1
    engine = create_engine_for(database_url)
    try:
        async with engine.connect() as connection:
            [details] = (
                await connection.scalars(
                    select(AuditEntry.details).where(AuditEntry.action == "forget")
                )
            ).all()
    finally:
        await engine.dispose()
    assert details is not None
    assert set(details) == {"actor", "deleted"}
    for content in (ALICE_AAD, "Alice", "Acme", "final presentation"):
        assert content not in json.dumps(details)


async def test_keep_it_changes_nothing(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await seed(teams, connector)
    before = await count_rows(database_url, ConversationTurn)

    body = await answer(teams, connector, ForgetVerb.KEEP)

    assert card_text(body["value"]) == FORGET_KEPT
    assert len(await teams.service.commitments(ALICE)) == 1
    assert await count_rows(database_url, ConversationTurn) == before


async def test_a_colleague_pressing_the_card_deletes_nobody(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await seed(teams, connector)
    before = await count_rows(database_url, ConversationTurn)

    body = await answer(teams, connector, ForgetVerb.FORGET, user_aad=BOB.user)

    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == NOT_YOUR_QUESTION
    assert len(await teams.service.commitments(ALICE)) == 1
    assert len(await teams.service.commitments(BOB)) == 1
    assert await count_rows(database_url, ConversationTurn) == before


async def test_the_submit_fallback_forgets_and_says_so(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await seed(teams, connector)
    data = {"verb": ForgetVerb.FORGET.value, "asked": ALICE_AAD}

    status, _ = await teams.post(activity(None, service_url=connector.service_url, value=data))

    assert status == 202
    [reply] = connector.messages()
    assert reply.conversation_id == PERSONAL
    assert reply.text.startswith("Done:")
    assert await teams.service.commitments(ALICE) == []


async def test_after_forgetting_the_next_message_starts_afresh(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await seed(teams, connector)
    await answer(teams, connector, ForgetVerb.FORGET)

    await teams.post(activity(BOB_SAYS, service_url=connector.service_url, id="alice-2"))

    [reply] = connector.messages()
    assert "Globex" in card_text(reply.card)
    assert [c.text for c in await teams.service.commitments(ALICE)] == [
        "send Globex the signed renewal contract"
    ]
    again = card_text((await answer(teams, connector, ForgetVerb.FORGET))["value"])
    assert "2 conversation messages" in again
    last = await answer(teams, connector, ForgetVerb.FORGET)
    assert card_text(last["value"]) == NOTHING_TO_FORGET

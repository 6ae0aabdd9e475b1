"""Messages in Teams: coaching, commands, mentions, files, re-deliveries, and answers that
follow their request through the connector, in order, or as a friendly line."""

from __future__ import annotations

import json
import threading

from pydantic import SecretStr
from sqlalchemy import text as sql

from bot.teams.agent import HELP, REVIEW_PROMPT
from bot.teams.turns import SORRY
from config.settings import Settings
from storage.db import create_engine_for
from storage.models import ConversationReference, ConversationTurn
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.teams_connector import FakeConnector
from tests.llm.support import ADVICE, good_answer
from tests.teams.conftest import (
    ALICE,
    PERSONAL,
    PROPOSAL_WAIT,
    TeamsServer,
    activity,
    card_actions,
    card_text,
    count_rows,
    running,
    seed_commitment,
    settings_for,
)


async def test_a_message_is_answered_with_a_coaching_card(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    status, _ = await teams.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    assert status == 202
    assert [p.type for p in connector.posted] == ["typing", "message"]
    reply = connector.messages()[0]
    assert reply.conversation_id == PERSONAL
    assert reply.reply_to_id == "act-1"
    assert "final presentation" in card_text(reply.card)
    assert await count_rows(database_url, ConversationReference) == 1
    stored = await teams.endpoint.outbound.references.load(who=ALICE)
    assert stored is not None
    assert stored.reference["serviceUrl"] == connector.service_url


async def test_the_same_activity_twice_is_answered_once(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    body = activity(PROPOSAL_WAIT, service_url=connector.service_url, id="act-retry")

    first, _ = await teams.post(body)
    second, _ = await teams.post(body)

    assert (first, second) == (202, 202)
    assert len(connector.messages()) == 1
    assert await count_rows(database_url, ConversationTurn) == 2


async def test_an_empty_message_gets_a_short_prompt(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    status, _ = await teams.post(activity("   ", service_url=connector.service_url))

    assert status == 202
    assert [p.type for p in connector.posted] == ["message"]
    assert connector.messages()[0].text.startswith("There's nothing to coach yet")


async def test_commands_typed_as_text(teams: TeamsServer, connector: FakeConnector) -> None:
    for number, text in enumerate(["help", "Trust check", "/proposal-review"]):
        await teams.post(activity(text, service_url=connector.service_url, id=f"cmd-{number}"))

    helped, trust, review = connector.messages()
    assert (helped.text, review.text) == (HELP, REVIEW_PROMPT)
    assert "Trust self-assessment" in card_text(trust.card)


async def test_commitments_lists_open_ones_with_buttons(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    commitment_id = await seed_commitment(database_url, "send Lena the revised pricing")

    await teams.post(activity("commitments", service_url=connector.service_url))

    card = connector.messages()[0].card
    assert "send Lena the revised pricing" in card_text(card)
    verbs = [(a["verb"], a["data"]["commitment_id"]) for a in card_actions(card)]
    assert verbs == [("commitment.done", commitment_id), ("commitment.snooze", commitment_id)]


async def test_a_channel_mention_is_coached_in_its_thread(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    thread = "19:deals@thread.tacv2;messageid=1700000000000"
    mention = {
        "type": "mention",
        "text": "<at>salescoach</at>",
        "mentioned": {"id": "28:6f1d2c3b-4a59-4e7d-8c21-0b9a8f7e6d5c", "name": "salescoach"},
    }
    body = activity(
        f"<at>salescoach</at> {PROPOSAL_WAIT}",
        service_url=connector.service_url,
        conversation=thread,
        conversation_type="channel",
        entities=[mention],
    )

    await teams.post(body)

    reply = connector.messages()[0]
    assert reply.conversation_id == thread
    assert "final presentation" in card_text(reply.card)
    assert await count_rows(database_url, ConversationReference) == 0


async def test_a_proposal_file_in_personal_chat_is_reviewed(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    url = connector.host_file("proposal.md", PROPOSAL_WAIT.encode())
    attachment = {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "name": "proposal.md",
        "content": {"downloadUrl": url, "uniqueId": "f-1", "fileType": "md"},
    }

    await teams.post(activity(None, service_url=connector.service_url, attachments=[attachment]))

    assert "final presentation" in card_text(connector.messages()[0].card)
    assert await count_rows(database_url, ConversationTurn) == 2


async def test_an_unsupported_file_gets_a_friendly_answer(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    attachment = {
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "name": "deck.key",
        "content": {"downloadUrl": connector.host_file("deck.key", b"PK\x03\x04")},
    }

    await teams.post(activity("", service_url=connector.service_url, attachments=[attachment]))

    assert connector.messages()[0].text.startswith(
        "deck.key: I can review .txt, .md, .pdf, .docx or .pptx files, not .key"
    )


def thinking_model(database_url: str, fake_openai: FakeOpenAI) -> Settings:
    """Settings coaching with the model stand-in, whose scripted answers may be held."""
    return settings_for(
        database_url,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
    )


async def test_the_request_is_answered_before_the_coaching_and_the_card_follows(
    database_url: str, connector: FakeConnector, fake_openai: FakeOpenAI
) -> None:
    thinking = threading.Event()
    fake_openai.enqueue(Reply(content=json.dumps(good_answer()), hold=thinking))
    async with running(thinking_model(database_url, fake_openai)) as server:
        body = activity(PROPOSAL_WAIT, service_url=connector.service_url)
        status, _ = await server.post(body, settle=False)

        assert status == 202
        assert connector.messages() == []
        thinking.set()
        (answer,) = await connector.wait_for_messages(1)

    assert answer.conversation_id == PERSONAL
    assert answer.reply_to_id == "act-1"
    assert ADVICE in card_text(answer.card)


async def test_messages_of_one_chat_are_answered_in_the_order_they_came(
    database_url: str, connector: FakeConnector, fake_openai: FakeOpenAI
) -> None:
    thinking = threading.Event()
    first = Reply(content=json.dumps(good_answer()), hold=thinking)
    fake_openai.enqueue(first, Reply(content=json.dumps(good_answer())))
    async with running(thinking_model(database_url, fake_openai)) as server:
        for number in (1, 2):
            body = activity(PROPOSAL_WAIT, service_url=connector.service_url, id=f"act-{number}")
            status, _ = await server.post(body, settle=False)
            assert status == 202
        thinking.set()
        answers = await connector.wait_for_messages(2)

    assert [a.reply_to_id for a in answers] == ["act-1", "act-2"]


async def test_a_failing_store_becomes_a_friendly_line(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    engine = create_engine_for(database_url)
    cascade = " CASCADE" if engine.dialect.name == "postgresql" else ""  # feedback's key
    try:
        async with engine.begin() as connection:
            await connection.execute(sql(f"DROP TABLE processed_events{cascade}"))
    finally:
        await engine.dispose()

    status, _ = await teams.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    assert status == 202
    [answer] = connector.messages()
    assert answer.text.startswith(("Sorry", "The coach's database")) or answer.text == SORRY
    assert "Error" not in answer.text
    assert "processed_events" not in answer.text


async def test_a_body_that_is_no_activity_is_a_bad_request(teams: TeamsServer) -> None:
    status, body = await teams.post({"type": "message", "from": "not an account"})

    assert status == 400
    assert body == {"error": "The body is not a Bot Framework activity."}

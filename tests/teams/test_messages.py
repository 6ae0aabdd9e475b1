"""Messages in Teams: coaching, commands, mentions, files, re-deliveries and slow answers."""

from __future__ import annotations

from bot.teams.agent import HELP, REVIEW_PROMPT
from storage.models import ConversationReference, ConversationTurn
from tests.fakes.teams_connector import FakeConnector
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


async def test_a_slow_answer_follows_proactively(
    database_url: str, connector: FakeConnector
) -> None:
    settings = settings_for(database_url, COACH_TEAMS_REPLY_BUDGET=0)
    async with running(settings) as server:
        status, _ = await server.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
        assert status == 202
        (answer,) = await connector.wait_for_messages(1)

    assert connector.posted[0].type == "typing"
    assert answer.conversation_id == PERSONAL
    # Sent through continue_conversation, not as the reply within the turn.
    assert answer.reply_to_id != "act-1"
    assert "final presentation" in card_text(answer.card)


async def test_a_body_that_is_no_activity_is_a_bad_request(teams: TeamsServer) -> None:
    status, body = await teams.post({"type": "message", "from": "not an account"})

    assert status == 400
    assert body == {"error": "The body is not a Bot Framework activity."}

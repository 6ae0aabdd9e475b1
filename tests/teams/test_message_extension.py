"""The message extension: "Coach this draft" on a message and the compose-box proposal
review, through the invokes Teams posts, answered with the dialog Teams shows the rep."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from storage.models import ConversationTurn
from tests.fakes.openai_server import FakeOpenAI, answer
from tests.fakes.teams_connector import FakeConnector, fetch_task, submit_action
from tests.teams.conftest import (
    PROPOSAL_WAIT,
    TeamsServer,
    activity,
    card_actions,
    card_text,
    count_rows,
    running,
    settings_for,
)

GROUP_CHAT = "19:deal-room@thread.v2"
DRAFT_HTML = (
    "<p>Hi Lena,</p><p>I sent the proposal to Acme on Monday and will just wait for their "
    "decision.</p>"
)
PROMISE_HTML = "<p>Thanks Lena, I&#39;ll send you the revised pricing by Friday.</p>"


def in_group_chat(connector: FakeConnector) -> dict[str, Any]:
    """A rep's activity in a group chat the coach is not a member of."""
    return activity(
        None,
        service_url=connector.service_url,
        id="f:1",
        conversation=GROUP_CHAT,
        conversation_type="groupChat",
    )


def dialog_of(body: Any) -> tuple[str, dict[str, Any]]:
    """The title and Adaptive Card of a `task` `continue` invoke answer."""
    task = body["task"]
    assert task["type"] == "continue"
    card = task["value"]["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    return str(task["value"]["title"]), card["content"]


async def test_coach_this_draft_answers_with_coaching_about_that_message(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    status, body = await teams.post(fetch_task(in_group_chat(connector), "coachDraft", DRAFT_HTML))

    assert status == 200
    title, card = dialog_of(body)
    assert title == "Coaching on this message"
    text = card_text(card)
    assert "just wait for their decision" in text
    # The coaching is the rep's: nothing is posted into the group chat.
    assert connector.posted == []


async def test_a_promise_in_the_message_becomes_the_reps_commitment(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    _, body = await teams.post(fetch_task(in_group_chat(connector), "coachDraft", PROMISE_HTML))

    _, card = dialog_of(body)
    assert card_actions(card) == []
    assert "Type **commitments** in our chat" in card_text(card)
    await teams.post(activity("commitments", service_url=connector.service_url, id="act-2"))
    [listed] = connector.messages()
    assert "send you the revised pricing" in card_text(listed.card)


async def test_a_retried_invoke_shows_the_same_coaching_and_stores_it_once(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    invoke = fetch_task(in_group_chat(connector), "coachDraft", DRAFT_HTML)

    _, first = await teams.post(invoke)
    stored = await count_rows(database_url, ConversationTurn)
    _, again = await teams.post(invoke)

    assert dialog_of(again) == dialog_of(first)
    assert stored > 0
    assert await count_rows(database_url, ConversationTurn) == stored


async def test_the_compose_box_command_reviews_the_pasted_proposal(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    proposal = f"Proposal for Acme\n\n{PROPOSAL_WAIT}\nPrice: 40,000 EUR per year."

    status, body = await teams.post(
        submit_action(in_group_chat(connector), "proposalReview", {"proposal": proposal})
    )

    assert status == 200
    title, card = dialog_of(body)
    assert title == "Proposal review"
    assert card_text(card)
    assert connector.posted == []


async def test_a_message_without_words_gets_one_friendly_line_and_nothing_stored(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    image_only = '<p><img src="https://example.com/chart.png" alt=""></p>'

    _, body = await teams.post(fetch_task(in_group_chat(connector), "coachDraft", image_only))
    _, empty = await teams.post(
        submit_action(in_group_chat(connector), "proposalReview", {"proposal": "  "})
    )

    assert body == {
        "task": {
            "type": "message",
            "value": "That message has no text I can coach. "
            "Pick a message with words in it, or paste the draft into our chat.",
        }
    }
    assert empty["task"]["type"] == "message"
    assert "Paste the proposal" in empty["task"]["value"]
    assert await count_rows(database_url, ConversationTurn) == 0


async def test_an_unknown_command_is_answered_kindly(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    status, body = await teams.post(
        submit_action(in_group_chat(connector), "somethingElse", {"x": "y"})
    )

    assert status == 200
    assert body["task"] == {
        "type": "message",
        "value": "This app package is older than the coach; ask your admin to update it.",
    }


async def test_slow_coaching_arrives_in_the_personal_chat_instead(
    database_url: str, connector: FakeConnector, fake_openai: FakeOpenAI
) -> None:
    # The model answers after the dialog gave up waiting (and is overruled by the checks).
    slow = answer({"reply": "Offer Lena a date to talk it through.", "findings": []})
    slow.delay = 1.0
    fake_openai.enqueue(slow)
    settings = settings_for(
        database_url,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
        COACH_TEAMS_REPLY_BUDGET=0.2,
    )
    async with running(settings) as server:
        await server.post(activity("help", service_url=connector.service_url, id="act-hello"))
        _, body = await server.post(fetch_task(in_group_chat(connector), "coachDraft", DRAFT_HTML))
        _, later = await connector.wait_for_messages(2)

    assert body == {
        "task": {
            "type": "message",
            "value": "That one needs a little longer: the coaching will arrive in our "
            "personal chat.",
        }
    }
    assert later.conversation_id == "a:personal-alice"
    assert "just wait for their decision" in card_text(later.card)

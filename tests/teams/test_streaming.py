"""Live progress in Teams: in a personal chat the rep reads the step the coach is on as
informative updates of one stream, then the checked answer as that stream's final message,
labelled and rateable; an answer ready before `COACH_TEAMS_STREAM_AFTER` stays one plain
message, and group chats and channels never stream. These tests ask for the steps at once
(`COACH_TEAMS_STREAM_AFTER=0`), so what they see does not depend on the machine's speed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from coaching.progress import LABELS, Step, label
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.fakes.teams_connector import FakeConnector
from tests.llm.support import ADVICE, good_answer
from tests.teams.conftest import (
    PROPOSAL_WAIT,
    TeamsServer,
    activity,
    card_text,
    running,
    settings_for,
)
from tests.teams.test_feedback import feedback_invoke, ratings

# Long enough for more than one update (Teams takes one a second) while the model works.
THINKING_SECONDS = 1.5
STEP_ORDER = list(Step)


@pytest.fixture
async def with_llm(database_url: str, fake_openai: FakeOpenAI) -> AsyncIterator[TeamsServer]:
    settings = settings_for(
        database_url,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
        COACH_TEAMS_STREAM_AFTER=0,
    )
    async with running(settings) as server:
        yield server


def slow_answer() -> Reply:
    return Reply(content=json.dumps(good_answer()), delay=THINKING_SECONDS)


async def test_a_personal_chat_shows_the_steps_then_the_answer_in_the_same_stream(
    with_llm: TeamsServer, connector: FakeConnector, fake_openai: FakeOpenAI
) -> None:
    fake_openai.enqueue(slow_answer())

    await with_llm.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    updates = connector.informative()
    assert updates, "the rep saw what the coach was doing"
    assert [u.stream["streamSequence"] for u in updates if u.stream] == list(
        range(1, len(updates) + 1)
    )
    steps = [next(s for s, text in LABELS.items() if text == u.text) for u in updates]
    assert steps == sorted(steps, key=STEP_ORDER.index)
    assert label(Step.MODEL) in [u.text for u in updates]
    stream_id = updates[0].id
    first = updates[0].stream
    assert first is not None
    assert "streamId" not in first  # Teams names the stream in its answer to this post
    assert all(u.stream and u.stream.get("streamId") == stream_id for u in updates[1:])
    [final] = connector.messages()
    assert connector.posted.index(final) > connector.posted.index(updates[-1])
    assert final.stream == {"type": "streaminfo", "streamType": "final", "streamId": stream_id}
    assert final.id == stream_id  # Teams shows one message
    assert ADVICE in card_text(final.card)
    assert any(e.get("type") == "https://schema.org/Message" for e in final.activity["entities"])
    assert final.activity["channelData"]["feedbackLoopEnabled"] is True


async def test_a_streamed_answer_is_rated_by_its_stream_id(
    with_llm: TeamsServer, connector: FakeConnector, fake_openai: FakeOpenAI, database_url: str
) -> None:
    """Teams names a streamed message by the id it gave the stream's first update."""
    fake_openai.enqueue(slow_answer())
    await with_llm.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
    stream_id = connector.informative()[0].id

    await with_llm.post(feedback_invoke(stream_id, "dislike", service_url=connector.service_url))

    assert await ratings(database_url) == [("down", None)]


async def test_an_answer_ready_before_the_updates_start_is_one_plain_message(
    database_url: str, connector: FakeConnector
) -> None:
    async with running(settings_for(database_url, COACH_TEAMS_STREAM_AFTER=14)) as server:
        await server.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    assert connector.informative() == []
    [answer] = connector.messages()
    assert answer.stream is None
    assert "final presentation" in card_text(answer.card)


@pytest.mark.parametrize("conversation_type", ["groupChat", "channel"])
async def test_group_chats_and_channels_get_one_message_and_no_updates(
    with_llm: TeamsServer,
    connector: FakeConnector,
    fake_openai: FakeOpenAI,
    conversation_type: str,
) -> None:
    fake_openai.enqueue(slow_answer())

    await with_llm.post(
        activity(
            PROPOSAL_WAIT,
            service_url=connector.service_url,
            conversation="19:team-thread",
            conversation_type=conversation_type,
        )
    )

    assert connector.informative() == []
    [answer] = connector.messages()
    assert answer.stream is None
    assert ADVICE in card_text(answer.card)

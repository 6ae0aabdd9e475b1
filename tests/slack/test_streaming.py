"""Live progress in Slack: a DM thread's status is a streamed task list that shows each step
the coach works through, then the checked answer under it, with its buttons. A workspace
that refuses streaming gets today's status and is not asked again at once; channels and
top-level DMs keep their single message."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import build_app
from bot.slack.blocks import WHY_ACTION_ID
from coaching.progress import Step, label
from coaching.types import Platform
from storage.repository import SqlStore
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.slack_api import Failure, FakeSlackApi, Stream
from tests.llm.support import ADVICE, good
from tests.slack.harness import (
    DM,
    P3_TEXT,
    SlackHarness,
    action_ids,
    block_texts,
    dm,
    mention,
    slack_settings,
)

THREAD = "1800000000.000100"
LATER = "Globex asked for a discount before they sign, what should I say?"


def in_thread(text: str = P3_TEXT, ts: str = "1800000000.000200") -> dict[str, object]:
    return dm(text, thread_ts=THREAD, ts=ts)


def only_stream(slack: SlackHarness) -> Stream:
    [stream] = slack.api.streams.values()
    return stream


def stream_methods(slack: SlackHarness) -> list[str]:
    return [
        c.method for c in slack.api.calls if c.method.startswith("chat.") and "Stream" in c.method
    ]


@pytest.fixture
async def with_llm(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, fake_openai: FakeOpenAI
) -> AsyncIterator[SlackHarness]:
    settings = slack_settings(
        database_url,
        slack_api,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
    )
    async with TestClient(TestServer(build_app(settings))) as client:
        yield SlackHarness(client, slack_api)


async def test_a_thread_shows_each_step_then_the_checked_answer_under_them(
    slack: SlackHarness,
) -> None:
    assert (await slack.event(in_thread())).status == 200
    await slack.drain()

    [start] = slack.api.calls_to("chat.startStream")
    assert (start.params["channel"], start.params["thread_ts"]) == (DM, THREAD)
    assert start.params["task_display_mode"] == "timeline"
    stream = only_stream(slack)
    done = stream.titles("complete")
    wanted = [label(s) for s in (Step.READING, Step.P3, Step.TRUST, Step.SITUATION)]
    assert [title for title in done if title in wanted] == wanted
    assert label(Step.MANAGER) not in done  # a rep is not told about the manager playbooks
    started = [c["title"] for c in stream.chunks if c["status"] == "in_progress"]
    assert len(started) == len(set(started))  # each step starts once
    assert stream.stopped
    assert stream_methods(slack)[-1] == "chat.stopStream"
    answer = {"blocks": stream.blocks}
    assert "final presentation" in "\n".join(block_texts(answer))
    assert WHY_ACTION_ID in action_ids(answer)
    assert "feedback" in json.dumps(stream.blocks)
    assert slack.api.calls_to("chat.postMessage") == []  # no placeholder, no second message
    assert slack.api.calls_to("assistant.threads.setStatus") == []


async def test_the_models_steps_show_while_it_works_and_its_checked_advice_is_the_answer(
    with_llm: SlackHarness, fake_openai: FakeOpenAI
) -> None:
    fake_openai.enqueue(good())

    await with_llm.event(in_thread())
    await with_llm.drain()

    stream = only_stream(with_llm)
    [asking] = [c for c in stream.chunks if c["title"] == label(Step.MODEL)][:1]
    assert asking["status"] == "in_progress"
    done = stream.titles("complete")
    assert done[-2:] == [label(Step.MODEL), label(Step.CHECKING_MODEL)]
    appended = with_llm.api.calls_to("chat.appendStream")
    assert appended, "the steps reached the rep before the answer"
    assert ADVICE in "\n".join(block_texts({"blocks": stream.blocks}))


async def test_a_free_plan_gets_its_answer_and_is_not_asked_to_stream_again(
    slack: SlackHarness,
) -> None:
    slack.api.assistant_view = False

    await slack.event(in_thread(), event_id="Ev-first")
    await slack.drain()
    await slack.event(in_thread(LATER, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.calls_to("chat.startStream")) == 1
    assert slack.api.streams == {}
    assert len(slack.api.calls_to("chat.postMessage")) == 2  # a placeholder each
    [first, second] = slack.api.calls_to("chat.update")
    assert "final presentation" in "\n".join(block_texts(first.params))
    assert block_texts(second.params)


@pytest.mark.parametrize("refusal", ["unknown_method", "missing_scope", "not_allowed_token_type"])
async def test_a_refused_stream_falls_back_to_the_thread_status_and_is_remembered(
    slack: SlackHarness, refusal: str
) -> None:
    slack.api.fail_next("chat.startStream", Failure(status=200, error=refusal))

    await slack.event(in_thread(), event_id="Ev-first")
    await slack.drain()
    await slack.event(in_thread(LATER, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.calls_to("chat.startStream")) == 1
    assert len(slack.api.calls_to("assistant.threads.setStatus")) == 2
    answers = slack.api.calls_to("chat.postMessage")
    assert len(answers) == 2
    assert "final presentation" in "\n".join(block_texts(answers[0].params))


async def test_a_rate_limited_start_does_not_turn_streaming_off(slack: SlackHarness) -> None:
    slack.api.fail_next("chat.startStream", Failure(status=400, error="ratelimited"))

    await slack.event(in_thread(), event_id="Ev-first")
    await slack.drain()
    await slack.event(in_thread(LATER, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.calls_to("chat.startStream")) == 2
    assert len(slack.api.streams) == 1
    assert len(slack.api.calls_to("chat.postMessage")) == 1  # the first answer, after its status


async def test_a_stream_that_can_no_longer_be_stopped_is_replaced_by_the_answer(
    slack: SlackHarness,
) -> None:
    slack.api.fail_next(
        "chat.stopStream", Failure(status=200, error="message_not_in_streaming_state")
    )

    await slack.event(in_thread())
    await slack.drain()

    [ts] = slack.api.streams
    [update] = slack.api.calls_to("chat.update")
    assert update.params["ts"] == ts
    assert "final presentation" in "\n".join(block_texts(update.params))
    assert slack.api.calls_to("chat.postMessage") == []


async def test_input_the_rep_must_fix_ends_the_stream_with_the_friendly_line(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> None:
    settings = slack_settings(database_url, slack_api, COACH_MAX_INPUT_CHARS=40)
    async with TestClient(TestServer(build_app(settings))) as client:
        slack = SlackHarness(client, slack_api)
        await slack.event(in_thread())
        await slack.drain()

    stream = only_stream(slack)
    assert stream.stopped
    assert "the limit is 40" in "\n".join(block_texts({"blocks": stream.blocks}))
    assert await store.find_processed(platform=Platform.SLACK, key="event:Ev0001") is None


async def test_a_channel_mention_gets_its_single_message(slack: SlackHarness) -> None:
    await slack.event(mention(P3_TEXT))
    await slack.drain()

    assert stream_methods(slack) == []
    assert len(slack.api.calls_to("chat.postMessage")) == 1
    [answer] = slack.api.calls_to("chat.update")
    assert "final presentation" in "\n".join(block_texts(answer.params))


async def test_a_top_level_dm_keeps_its_placeholder(slack: SlackHarness) -> None:
    await slack.event(dm(P3_TEXT))
    await slack.drain()

    assert stream_methods(slack) == []
    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert placeholder.params.get("thread_ts") is None
    assert len(slack.api.calls_to("chat.update")) == 1


async def test_an_event_answered_before_takes_its_new_stream_away(slack: SlackHarness) -> None:
    await slack.event(in_thread(), event_id="Ev-same")
    await slack.drain()
    await slack.event(in_thread(), event_id="Ev-same")
    await slack.drain()

    answered, again = slack.api.streams
    assert slack.api.streams[answered].blocks
    [deleted] = slack.api.calls_to("chat.delete")
    assert deleted.params["ts"] == again

"""The coach in Slack's assistant view: a thread opened from the top bar gets a greeting and
the suggested prompts (a manager's own set for a manager), a message there is answered in
the thread (under streamed progress, `test_streaming`, or the thread's own status where
streaming is refused) and names the thread, and a workspace without the view keeps the
DM's placeholder message."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.assistant import GREETING, Prompt
from bot.slack.delivery import ASSISTANT_STATUS
from coaching.ports import UserRef
from coaching.team.ports import AuditNote, MemberUpdate
from coaching.types import Platform, Role
from storage.repository import SqlStore
from storage.team_repo import SqlTeamStore
from tests.fakes.slack_api import TEAM_ID, Failure
from tests.slack.harness import DM, P3_TEXT, REP, SlackHarness, block_texts, dm

THREAD = "1800000000.000100"


def thread_started() -> dict[str, Any]:
    """The event Slack sends when a rep opens the coach in the assistant view."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": REP,
            "context": {"channel_id": "C0DEALS", "team_id": TEAM_ID, "enterprise_id": None},
            "channel_id": DM,
            "thread_ts": THREAD,
        },
        "event_ts": "1800000000.000101",
    }


def context_changed() -> dict[str, Any]:
    event = thread_started()
    event["type"] = "assistant_thread_context_changed"
    event["assistant_thread"]["context"]["channel_id"] = "C0OTHER"
    return event


def in_thread(text: str, ts: str = "1800000000.000200") -> dict[str, Any]:
    """A rep's message in the assistant thread: a DM message with the thread's ts."""
    return dm(text, thread_ts=THREAD, ts=ts)


def prompt_titles(slack: SlackHarness) -> list[str]:
    [prompts] = slack.api.calls_to("assistant.threads.setSuggestedPrompts")
    return [prompt["title"] for prompt in prompts.params["prompts"]]


async def test_a_new_thread_gets_a_greeting_a_title_and_the_suggested_prompts(
    slack: SlackHarness,
) -> None:
    response = await slack.event(thread_started())
    assert response.status == 200
    await slack.drain()

    [greeting] = slack.api.calls_to("chat.postMessage")
    assert (greeting.params["channel"], greeting.params["thread_ts"]) == (DM, THREAD)
    assert GREETING in block_texts(greeting.params)
    assert prompt_titles(slack) == [
        "Review my proposal",
        "Coach this draft",
        "What did I promise this week?",
    ]
    assert slack.api.calls_to("assistant.threads.setTitle")


async def test_a_manager_is_offered_the_managers_prompts(
    slack: SlackHarness, store: SqlStore
) -> None:
    manager = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)
    updates = [MemberUpdate(REP, Role.MANAGER, "Mia Manager")]
    await SqlTeamStore(store.engine).save_members(manager, updates, AuditNote("test"))

    await slack.event(thread_started())
    await slack.drain()

    titles = prompt_titles(slack)
    assert titles == [
        "Prep my 1:1 on a rep's deal",
        "Coach a rep's draft",
        "What did I promise this week?",
    ]
    assert "Review my proposal" not in titles

    await slack.event(in_thread(Prompt.ONE_ON_ONE.value), event_id="Ev-one-on-one")
    await slack.drain()
    guide = slack.api.calls_to("chat.postMessage")[-1]
    assert "what to ask in your 1:1" in "\n".join(block_texts(guide.params))
    assert slack.api.calls_to("assistant.threads.setStatus") == []


async def test_without_streaming_a_message_in_the_thread_shows_the_status_then_the_answer(
    slack: SlackHarness,
) -> None:
    slack.api.streaming = False

    response = await slack.event(in_thread(P3_TEXT))
    assert response.status == 200
    await slack.drain()

    [status] = slack.api.calls_to("assistant.threads.setStatus")
    wanted = {"channel_id": DM, "thread_ts": THREAD, "status": ASSISTANT_STATUS}
    assert wanted.items() <= status.params.items()
    [title] = slack.api.calls_to("assistant.threads.setTitle")
    assert title.params["title"] == "I sent the proposal to Acme\u2026"
    [answer] = slack.api.calls_to("chat.postMessage")
    assert answer.params["thread_ts"] == THREAD
    assert "final presentation" in "\n".join(block_texts(answer.params))
    assert slack.api.calls_to("chat.update") == []  # no placeholder to replace


async def test_only_the_first_message_names_the_thread(slack: SlackHarness) -> None:
    await slack.event(in_thread(P3_TEXT), event_id="Ev-first")
    await slack.drain()
    later = "Globex asked for a discount before they sign, what should I say?"
    await slack.event(in_thread(later, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.streams) == 2
    [title] = slack.api.calls_to("assistant.threads.setTitle")
    assert "Globex" not in title.params["title"]


async def test_a_picked_prompt_gets_its_guide_not_coaching(slack: SlackHarness) -> None:
    await slack.event(in_thread(Prompt.REVIEW.value), event_id="Ev-review")
    await slack.drain()
    await slack.event(in_thread(Prompt.PROMISES.value), event_id="Ev-promises")
    await slack.drain()

    texts = ["\n".join(block_texts(c.params)) for c in slack.api.calls_to("chat.postMessage")]
    assert any(".pdf, .docx or .pptx" in text for text in texts)
    assert any("No open commitments" in text for text in texts)
    assert not any("Playbook findings" in text for text in texts)
    assert slack.api.calls_to("assistant.threads.setStatus") == []
    [title] = slack.api.calls_to("assistant.threads.setTitle")
    assert title.params["title"] == Prompt.REVIEW.value


async def test_a_context_change_is_acknowledged_and_changes_nothing(slack: SlackHarness) -> None:
    response = await slack.event(context_changed())
    await slack.drain()

    assert response.status == 200
    assert [call.method for call in slack.api.calls if call.method != "auth.test"] == []


async def test_without_the_assistant_view_a_dm_thread_keeps_the_placeholder(
    slack: SlackHarness,
) -> None:
    slack.api.assistant_view = False

    await slack.event(in_thread(P3_TEXT))
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert placeholder.params["thread_ts"] == THREAD
    [answer] = slack.api.calls_to("chat.update")
    assert "final presentation" in "\n".join(block_texts(answer.params))
    assert slack.api.calls_to("assistant.threads.setTitle") == []


@pytest.mark.parametrize("refusal", ["not_allowed_token_type", "feature_not_enabled"])
async def test_a_refused_status_falls_back_to_the_placeholder(
    slack: SlackHarness, refusal: str
) -> None:
    slack.api.streaming = False
    slack.api.fail_next("assistant.threads.setStatus", Failure(status=200, error=refusal))

    await slack.event(in_thread(P3_TEXT))
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert placeholder.params["thread_ts"] == THREAD
    [answer] = slack.api.calls_to("chat.update")
    assert "final presentation" in "\n".join(block_texts(answer.params))
    assert slack.api.calls_to("assistant.threads.setTitle") == []


async def test_without_the_assistant_view_a_plain_dm_is_answered_as_before(
    slack: SlackHarness,
) -> None:
    slack.api.assistant_view = False

    await slack.event(dm(P3_TEXT))
    await slack.drain()

    [placeholder] = slack.api.calls_to("chat.postMessage")
    assert (placeholder.params["channel"], placeholder.params.get("thread_ts")) == (DM, None)
    [answer] = slack.api.calls_to("chat.update")
    assert "final presentation" in "\n".join(block_texts(answer.params))
    assert [c.method for c in slack.api.calls if c.method.startswith("assistant.")] == []


async def test_a_workspace_that_refused_the_view_is_not_asked_again_at_once(
    slack: SlackHarness,
) -> None:
    slack.api.assistant_view = False

    await slack.event(in_thread(P3_TEXT), event_id="Ev-first")
    await slack.drain()
    later = "Globex asked for a discount before they sign, what should I say?"
    await slack.event(in_thread(later, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.calls_to("assistant.threads.setStatus")) == 1
    assert len(slack.api.calls_to("chat.postMessage")) == 2  # a placeholder each
    assert len(slack.api.calls_to("chat.update")) == 2


async def test_a_rate_limited_status_does_not_turn_the_view_off(slack: SlackHarness) -> None:
    slack.api.streaming = False
    slack.api.fail_next("assistant.threads.setStatus", Failure(status=400, error="ratelimited"))

    await slack.event(in_thread(P3_TEXT), event_id="Ev-first")
    await slack.drain()
    later = "Globex asked for a discount before they sign, what should I say?"
    await slack.event(in_thread(later, ts="1800000000.000300"), event_id="Ev-second")
    await slack.drain()

    assert len(slack.api.calls_to("assistant.threads.setStatus")) == 2
    assert len(slack.api.calls_to("chat.update")) == 1  # only the first used a placeholder


async def test_a_refused_title_still_leaves_the_greeting_and_the_prompts(
    slack: SlackHarness,
) -> None:
    slack.api.fail_next("assistant.threads.setTitle", Failure(status=200, error="internal_error"))

    await slack.event(thread_started())
    await slack.drain()

    [greeting] = slack.api.calls_to("chat.postMessage")
    assert GREETING in block_texts(greeting.params)
    assert prompt_titles(slack)[0] == "Review my proposal"

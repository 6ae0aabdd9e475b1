"""Prompts fit the configured context: few playbooks, memory first to go, long text trimmed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from coaching.llm import render_messages
from coaching.llm.budget import PromptTooLarge, estimate_tokens
from coaching.playbooks.catalog import load_playbooks
from coaching.ports import Turn
from coaching.team.limits import TokenTally
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.support import NOW, TEXT, coach_for, good, message, offline, refine

# A typical thread: the rep's short lines and the coach's longer answers (cut to 600
# characters each in memory).
MEMORY = [
    Turn(speaker="user", text="Acme call went fine, they liked the demo.", at=NOW),
    Turn(speaker="coach", text="Coach answer one: ask who decides. " * 20, at=NOW),
    Turn(speaker="user", text="The buyer is Dana, the CFO signs.", at=NOW),
    Turn(speaker="coach", text="Coach answer two: meet the CFO. " * 20, at=NOW),
    Turn(speaker="user", text="Pricing came up, they want a discount.", at=NOW),
    Turn(speaker="coach", text="Coach answer three: trade, don't give. " * 20, at=NOW),
]
# About 3,000 words: a long proposal pasted for review, its ask at the very end.
REVIEW = (
    "Executive summary: Northwind wants a faster onboarding.\n"
    + "Our platform covers every module your team might need in the coming years. " * 250
    + "\nNext step: we ask for a final presentation to the board on Friday."
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


def prompt_tokens(request: dict[str, object]) -> int:
    messages = request["messages"]
    assert isinstance(messages, list)
    return sum(estimate_tokens(m["content"]) for m in messages)


def test_a_turn_with_no_matched_playbook_gets_none_of_them() -> None:
    text = "Hello, how are you?"
    system, _ = render_messages(message=message(text), offline=offline(text), memory=[])
    for book in load_playbooks().values():
        assert book.summary not in system
    assert "No playbook matched" in system


def test_a_typical_chat_turn_stays_under_2500_tokens() -> None:
    system, user = render_messages(message=message(), offline=offline(), memory=MEMORY)
    assert estimate_tokens(system) + estimate_tokens(user) < 2500


async def test_a_long_review_is_trimmed_to_a_small_context_keeping_start_and_end(
    fake: FakeOpenAI,
) -> None:
    fake.enqueue(good())
    await refine(coach_for(fake, context_tokens=2048), REVIEW, MEMORY)
    [request] = fake.requests
    user = request["messages"][1]["content"]
    assert prompt_tokens(request) + request["max_tokens"] <= 2048
    assert "characters left out" in user
    assert "Executive summary: Northwind" in user
    assert "final presentation to the board on Friday" in user
    system = request["messages"][0]["content"]
    assert "each for what it means" not in system
    assert "p3.not_requested" in system
    assert "Acme call went fine" not in user


async def test_memory_gives_way_before_the_reps_words(fake: FakeOpenAI) -> None:
    fake.enqueue(good())
    await refine(coach_for(fake, context_tokens=3020), TEXT, MEMORY)
    user = fake.requests[0]["messages"][1]["content"]
    assert TEXT in user
    assert "characters left out" not in user
    assert "trade, don't give" in user
    assert "Acme call went fine" not in user
    assert "each for what it means" in fake.requests[0]["messages"][0]["content"]


async def test_a_prompt_that_cannot_fit_is_not_sent(fake: FakeOpenAI) -> None:
    result = await refine(coach_for(fake, context_tokens=600))
    assert result == offline()
    assert fake.requests == []
    with pytest.raises(PromptTooLarge):
        render_messages(message=message(), offline=offline(), memory=[], budget_tokens=100)


async def test_a_timed_out_call_is_still_charged_its_prompt(fake: FakeOpenAI) -> None:
    fake.enqueue(Reply(delay=3.0))
    tally = TokenTally()
    coach = coach_for(fake, timeout=0.5)
    await coach.refine(message=message(), offline=offline(), memory=[], tally=tally)
    assert tally.total >= prompt_tokens(fake.requests[0]) > 0


async def test_the_servers_usage_replaces_the_estimate(fake: FakeOpenAI) -> None:
    fake.enqueue(good())
    tally = TokenTally()
    await coach_for(fake).refine(message=message(), offline=offline(), memory=[], tally=tally)
    assert tally.total == 2  # what the stand-in reports

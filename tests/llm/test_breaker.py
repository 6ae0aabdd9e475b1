"""During an outage reps stop waiting for the model; it is tried again after a cool-down."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from coaching.llm.breaker import Breaker
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.support import coach_for, good, refine


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


def breaker_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "coaching.llm.breaker"]


async def test_after_repeated_failures_the_model_is_skipped_then_tried_again(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    coach = coach_for(fake, breaker=Breaker(failures=2, cooldown_seconds=30, clock=clock))
    fake.enqueue(Reply(status=503), Reply(status=503))
    with caplog.at_level(logging.WARNING, logger="coaching.llm"):
        results = [await refine(coach) for _ in range(4)]
        assert len(fake.requests) == 2
        assert {r.engine for r in results} == {"offline"}
        clock.now += 31
        fake.enqueue(good())
        back = await refine(coach)
    assert back.engine == "llm"
    assert len(fake.requests) == 3
    opened, closed = breaker_lines(caplog)
    assert opened.startswith("llm failed 2 times in a row")
    assert closed.startswith("llm answering again")


async def test_a_failed_trial_reopens_without_logging_the_outage_again(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    coach = coach_for(fake, breaker=Breaker(failures=2, cooldown_seconds=30, clock=clock))
    fake.enqueue(Reply(status=503), Reply(status=503), Reply(status=503))
    with caplog.at_level(logging.WARNING, logger="coaching.llm"):
        await refine(coach)
        await refine(coach)
        clock.now += 31
        await refine(coach)  # the trial fails
        await refine(coach)  # skipped again
    assert len(fake.requests) == 3
    assert len(breaker_lines(caplog)) == 1


async def test_junk_answers_do_not_trip_it(fake: FakeOpenAI) -> None:
    coach = coach_for(fake, breaker=Breaker(failures=2, cooldown_seconds=30, clock=Clock()))
    fake.enqueue(*(Reply(content="not json") for _ in range(3)))
    for _ in range(3):
        await refine(coach)
    assert len(fake.requests) == 3

"""The turn runner's rules, which Slack and Teams both follow: an answer goes out once, the
rep's own mistake is said, the database away is said or retried, a bug is an apology."""

from __future__ import annotations

import logging
from collections.abc import Awaitable

import pytest

from bot.turns import run_turn
from coaching.errors import CoachingError, StoreUnavailable
from storage.db import NOT_ANSWERING

APOLOGY = "Sorry, something went wrong on my side."
SECRET = "password hunter2 rejected"


class Shown:
    """A platform's face that notes what the rep would see."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def deliver(self, answer: str) -> None:
        self.seen.append(f"answer: {answer}")

    async def nothing_new(self) -> None:
        self.seen.append("nothing new")

    async def fail(self, line: str) -> None:
        self.seen.append(f"failure: {line}")


async def _answer(answer: str | None) -> str | None:
    return answer


async def _fail(error: Exception) -> str | None:
    raise error


async def shown(work: Awaitable[str | None], *, can_retry: bool = False) -> list[str]:
    face = Shown()
    await run_turn(work, face, apology=APOLOGY, what="A test turn", can_retry=can_retry)
    return face.seen


async def test_an_answer_goes_out_and_a_repeat_shows_nothing_new() -> None:
    assert await shown(_answer("Ask Priya who signs.")) == ["answer: Ask Priya who signs."]
    assert await shown(_answer(None)) == ["nothing new"]


async def test_the_reps_own_mistake_is_said_even_when_a_retry_is_possible(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mistake = CoachingError("input.empty", "Tell me about a deal first.")
    assert await shown(_fail(mistake), can_retry=True) == ["failure: Tell me about a deal first."]
    assert not caplog.records


async def test_the_database_away_is_retried_when_it_can_be_else_said() -> None:
    with pytest.raises(StoreUnavailable):
        await shown(_fail(StoreUnavailable(NOT_ANSWERING)), can_retry=True)
    assert await shown(_fail(StoreUnavailable(NOT_ANSWERING))) == [f"failure: {NOT_ANSWERING}"]


async def test_a_bug_is_logged_and_the_rep_reads_only_the_apology(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot.turns"):
        seen = await shown(_fail(RuntimeError(SECRET)))
    assert seen == [f"failure: {APOLOGY}"]
    assert [r.getMessage() for r in caplog.records] == ["A test turn failed"]
    with pytest.raises(RuntimeError):
        await shown(_fail(RuntimeError(SECRET)), can_retry=True)

"""The model's answer replaces the offline coaching only when it is at least as good."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from coaching.llm.gate import echo_share
from coaching.llm.topics import speaks_to
from tests.fakes.openai_server import FakeOpenAI, answer
from tests.llm.support import ADVICE, TEXT, coach_for, good, good_answer, offline, refine


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    async with FakeOpenAI() as server:
        yield server


def fallback_kinds(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [getattr(r, "kind", "") for r in caplog.records if "fallback" in r.getMessage()]


async def test_a_checked_answer_is_served(fake: FakeOpenAI) -> None:
    fake.enqueue(good())
    result = await refine(coach_for(fake))
    assert result.engine == "llm"
    assert result.reply == ADVICE


@pytest.mark.parametrize(
    ("served", "kind"),
    [
        pytest.param(good_answer(TEXT), "reply_echoes_input", id="echo"),
        pytest.param(good_answer("This is a great idea"), "reply_too_short", id="praise"),
        pytest.param(
            {
                "reply": "This is a great idea. The proposal speaks for itself, so give Acme "
                "the time they need and they will come back to you.",
                "findings": [],
            },
            "dropped_high_finding",
            id="drops-p3.not_requested",
        ),
        pytest.param(
            good_answer(
                "Good work getting the proposal out on Monday. Keep the thread warm with a "
                "friendly check-in note, and let Acme take the time they need."
            ),
            "missed_lead_point",
            id="keeps-the-code-but-talks-about-something-else",
        ),
    ],
)
async def test_junk_is_not_served_and_the_reason_is_logged(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture, served: dict[str, object], kind: str
) -> None:
    fake.enqueue(answer(served))
    with caplog.at_level(logging.WARNING, logger="coaching.llm"):
        result = await refine(coach_for(fake))
    assert result == offline()
    assert fallback_kinds(caplog) == [kind]


async def test_with_no_high_finding_offline_an_answer_without_findings_is_served(
    fake: FakeOpenAI,
) -> None:
    text = "Had a good first call with Globex today; they want a demo for the ops team."
    assert not [f for f in offline(text).findings if f.severity == "high"]
    fake.enqueue(answer({"reply": ADVICE, "findings": []}))
    result = await refine(coach_for(fake), text)
    assert result.engine == "llm"


def test_advice_quoting_the_rep_is_not_an_echo() -> None:
    advice = (
        'You wrote that you "will just wait for their decision". Waiting hands the meeting '
        "to someone else: ask your contact today for thirty minutes with the group."
    )
    assert echo_share(advice, TEXT) < 0.3
    assert echo_share(TEXT, TEXT) == 1.0
    assert echo_share(f"Got it: {TEXT}", TEXT) > 0.8


async def test_a_repeated_offline_finding_is_not_shown_twice(fake: FakeOpenAI) -> None:
    repeated = good_answer()
    repeated["findings"][0]["evidence"] = "will just wait for their decision"
    fake.enqueue(answer(repeated))
    result = await refine(coach_for(fake))
    assert result.engine == "llm"
    assert [f.code for f in result.findings] == ["p3.not_requested"]
    assert result.findings == offline().findings


def test_a_reply_on_the_lead_situation_speaks_to_it_in_any_wording() -> None:
    assert speaks_to("Book thirty minutes to walk the CFO through it.", "p3.not_requested")
    assert speaks_to("Leave her health out of the opener.", "creepy.never")
    assert not speaks_to("Nice job, just wait and see.", "p3.not_requested")

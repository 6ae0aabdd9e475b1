"""A promise in a draft is the rep's once the draft is sent, not when it is pasted.

The contract's `open` status means the rep promised it; an email pasted to be checked has
promised nothing yet, so the coach proposes tracking it and never says it already does.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.engine import OfflineEngine
from coaching.playbooks.base import Context
from coaching.types import CoachingResult, CommitmentStatus, Party

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def coach(text: str) -> CoachingResult:
    return OfflineEngine().coach(Context(text=text, now=NOW))


@pytest.mark.parametrize(
    "draft",
    [
        "Hi Tomas,\n\nThanks for the call. I'll send you the deck by Friday.\n\nBest,\nJan",
        "Draft to Tomas: thanks for the call, I'll send you the deck by Friday.",
        "Before I send this, does it read ok? Hi Tomas, I'll send you the deck by Friday.",
    ],
)
def test_a_drafts_promise_is_only_suggested(draft: str) -> None:
    result = coach(draft)
    [promise] = [c for c in result.commitments if "deck" in c.text]
    assert promise.status is CommitmentStatus.SUGGESTED
    assert promise.due is not None
    assert promise.due.isoformat() == "2026-12-04"
    assert "Tracking:" not in result.reply
    assert f"Once the email is out: {promise.text}, due Fri 4 Dec." in result.reply


def test_an_email_the_rep_already_sent_holds_a_real_promise() -> None:
    result = coach("Sent this to Tomas yesterday: Hi Tomas, I'll send you the deck by Friday.")
    [promise] = [c for c in result.commitments if "deck" in c.text]
    assert promise.status is CommitmentStatus.OPEN
    assert "Tracking: send Tomas the deck" in result.reply


def test_a_plain_chat_promise_is_tracked() -> None:
    result = coach("Good call with Tomas at Velden Bank. I'll send him the deck by Friday.")
    assert any(c.status is CommitmentStatus.OPEN for c in result.commitments)
    assert "Tracking:" in result.reply


def test_the_customers_step_a_draft_recaps_stays_theirs() -> None:
    result = coach(
        "Hi Dana, thanks for the call. As agreed, you'll send the usage export by Thursday "
        "and I'll send the pilot plan by Friday. Best, Sam"
    )
    theirs = [c for c in result.commitments if c.party is Party.CUSTOMER]
    mine = [c for c in result.commitments if c.party is Party.REP and "pilot" in c.text]
    assert theirs
    assert mine
    assert all(c.status is CommitmentStatus.OPEN for c in theirs)
    assert all(c.status is CommitmentStatus.SUGGESTED for c in mine)


def test_the_reps_question_before_a_draft_is_not_praised_as_the_drafts_listening() -> None:
    result = coach("Before I send this, does it read ok? Hi Tomas, I'll send you the deck Friday.")
    assert "you ask about their situation" not in result.reply
    assert "Tracking:" not in result.reply


def test_a_draft_that_promises_but_asks_nothing_is_praised_and_asked_for_their_step() -> None:
    result = coach("Hi Tomas, thanks for today. I'll send you the deck by Friday. Best, Jan")
    assert result.findings == []
    assert result.reply.startswith("This is good: your promise has a day on it")
    assert "asks Tomas for a step of their own" in result.reply
    assert "send it as it is" not in result.reply


@pytest.mark.parametrize(
    "plan",
    [
        "I'm going to send the proposal to Velden Bank by Friday and wait.",
        "I'm drafting a reply to Omar, I'll send him the pricing by Friday.",
    ],
)
def test_a_plan_in_chat_is_no_draft_and_its_promise_is_tracked(plan: str) -> None:
    result = coach(plan)
    mine = [c for c in result.commitments if c.party is Party.REP and c.kind.value != "p3_request"]
    assert mine
    assert all(c.status is CommitmentStatus.OPEN for c in mine)
    assert "Once the email is out" not in result.reply

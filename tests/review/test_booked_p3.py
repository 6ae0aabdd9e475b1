"""A final presentation the proposal says is already booked is not asked for again.

Reps were told to request a meeting that was in their diary. A dated presentation to the
people who decide, however it is worded, now passes the scorecard's "requested or planned"
check, suppresses `p3.not_requested` and the suggested `p3_request`; a decider named as
attending passes "in the room" and suppresses `p3.decision_maker_absent`.
"""

from __future__ import annotations

import pytest

from coaching.types import CommitmentKind
from storage.repository import SqlStore
from tests.playbooks.support import coach, codes
from tests.review.test_review_service import message, reviewer

BOOKED = [
    "The final presentation to the executive team is scheduled for 15 December.",
    "We present to the board on the 15th.",
    "The board presentation is booked for 15 December.",
    "We're presenting to the Kestrel leadership team at 10am on 3 March.",
    "We have 45 minutes with their exec team on Thursday.",
]

PROPOSAL = """Proposal for Kestrel Foods
1. Their challenge: stock-outs in six stores every week
2. Results they can hold us to: stock-outs under 1% by Q3
3. {booked}
4. Their decision and first steps"""


def _card(text: str) -> dict[str, bool]:
    return {e.criterion: e.passed for e in coach(text, review=True).scorecard or []}


@pytest.mark.parametrize("booked", BOOKED)
def test_a_booked_presentation_passes_the_scorecard(booked: str) -> None:
    card = _card(PROPOSAL.format(booked=booked))
    assert card["p3_requested"], booked
    assert card["decision_maker_engaged"], booked


@pytest.mark.parametrize("booked", BOOKED)
def test_chat_about_a_sent_proposal_with_a_booked_presentation_raises_no_p3_flag(
    booked: str,
) -> None:
    text = f"Sent the proposal to Kestrel on Monday. {booked} The CFO makes the final call."
    found = codes(coach(text))
    assert "p3.not_requested" not in found, booked
    assert "p3.decision_maker_absent" not in found, booked


def test_a_decider_named_as_attending_is_in_the_room() -> None:
    text = (
        "Sent the proposal to Kestrel yesterday. The CFO makes the final call and will be "
        "there when we walk through it with their team."
    )
    assert "p3.decision_maker_absent" not in codes(coach(text))


def test_without_a_booking_the_flags_stay() -> None:
    text = "Sent the proposal to Kestrel on Monday. The CFO makes the final call."
    found = codes(coach(text))
    assert "p3.not_requested" in found
    assert "p3.decision_maker_absent" in found
    card = _card(PROPOSAL.format(booked="We hope to hear back soon."))
    assert not card["p3_requested"]


async def test_a_review_of_a_booked_proposal_suggests_no_request(store: SqlStore) -> None:
    text = PROPOSAL.format(booked="We present to the board on the 15th.")
    outcome = await reviewer(store).review(message(text), title="kestrel.md")
    kinds = {c.kind for c in outcome.result.commitments}
    assert CommitmentKind.P3_REQUEST not in kinds
    assert "post-proposal presentation" not in outcome.result.reply
    unbooked = PROPOSAL.format(booked="We hope to hear back soon.")
    again = await reviewer(store).review(message(unbooked, days=1), title="other.md")
    assert CommitmentKind.P3_REQUEST in {c.kind for c in again.result.commitments}


@pytest.mark.parametrize("review", [True, False])
def test_the_reply_never_asks_for_the_presentation_already_booked(review: bool) -> None:
    text = (
        PROPOSAL.format(booked="We present to the board on the 15th.")
        if review
        else "Sent the proposal to Kestrel on Monday. We present to the board on the 15th."
    )
    reply = coach(text, review=review).reply
    assert "ask for a short final presentation" not in reply.lower()
    assert "request a post-proposal presentation" not in reply.lower()
    if not review:
        assert "confirm the date falls before their decision" in reply


@pytest.mark.parametrize(
    "attending",
    [
        "Dana Ruiz (CFO) will attend our walkthrough on Friday.",
        "The CEO has the final say and will be in the room on Thursday.",
        "Two board members are joining our session on the 12th.",
    ],
)
def test_a_decider_coming_to_a_dated_session_is_a_booked_p3(attending: str) -> None:
    text = f"Sent the proposal to Kestrel on Monday. The CFO makes the final call. {attending}"
    found = codes(coach(text))
    assert "p3.not_requested" not in found, attending
    assert "p3.decision_maker_absent" not in found, attending


def test_a_decider_who_will_not_attend_books_nothing() -> None:
    text = (
        "Sent the proposal to Kestrel. The CFO makes the final call but will not attend on Friday."
    )
    found = codes(coach(text))
    assert "p3.not_requested" in found
    assert "p3.decision_maker_absent" in found

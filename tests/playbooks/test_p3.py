"""The P3 playbook as a rep meets it: asking for the final presentation, and building it."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.types import CommitmentKind, CommitmentStatus
from tests.playbooks.support import assert_exact_evidence, coach, codes, finding


def test_proposal_going_out_asks_for_the_final_presentation_on_delivery_day() -> None:
    text = (
        "I'm sending our proposal to Omar on Wednesday. Their leadership team decides on March 20."
    )
    result = coach(text)
    assert finding(result, "p3.not_requested").evidence in text
    request = next(c for c in result.commitments if c.kind is CommitmentKind.P3_REQUEST)
    assert request.status is CommitmentStatus.SUGGESTED
    assert request.due == date(2026, 3, 4)
    assert request.counterpart == "Omar"


def test_request_defaults_to_two_business_days_and_never_after_the_decision() -> None:
    default = coach("The proposal went out last week and we're waiting for their decision.")
    assert default.commitments[0].due == date(2026, 3, 4)
    tight = coach("We submitted the proposal. The board decides on March 3.")
    assert tight.commitments[0].due == date(2026, 3, 2)


def test_decision_group_without_the_rep_is_flagged() -> None:
    text = "Proposal is out. Their CFO makes the final decision next month without us."
    result = coach(text)
    assert "p3.decision_maker_absent" in codes(result)
    assert_exact_evidence(text, result)


def test_champion_presenting_alone_is_flagged() -> None:
    text = "I emailed the proposal to Lee; she'll present it internally to the board for us."
    assert "p3.decision_maker_absent" in codes(coach(text))


def test_a_booked_final_presentation_silences_the_request() -> None:
    text = (
        "The proposal went out Friday, and the final presentation to their board is booked "
        "for March 10 with the CEO attending."
    )
    result = coach(text)
    assert not [c for c in codes(result) if c.startswith("p3.")]
    # The booked presentation is the rep's meeting; no P3 request is suggested on top.
    assert [(c.kind, c.due) for c in result.commitments] == [
        (CommitmentKind.MEETING, date(2026, 3, 10))
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "The proposal speaks for itself, so I don't think a final presentation adds much.",
            "p3.excuse.all_in_proposal",
        ),
        (
            "About the final presentation: they've already heard our pitch three times.",
            "p3.excuse.said_it_all",
        ),
        (
            "I hate presenting, so I'd rather skip the final presentation for the proposal.",
            "p3.excuse.public_speaking",
        ),
        (
            "They want a final presentation of our proposal and I'm not sure what I'd say.",
            "p3.excuse.dont_know_what_to_say",
        ),
    ],
)
def test_each_excuse_is_recognised_in_other_words(text: str, code: str) -> None:
    result = coach(text)
    assert code in codes(result)
    assert_exact_evidence(text, result)


def test_trying_to_skip_the_presentation_is_not_requested_with_the_reason_quoted() -> None:
    text = "Can I just email them a summary deck instead of the final presentation?"
    found = finding(coach(text), "p3.not_requested")
    assert "instead of the final presentation" in found.evidence


def test_an_offered_slot_is_not_treated_as_missing() -> None:
    text = (
        "If they give me the final presentation slot, I really don't know what I'd say "
        "beyond going through the spec line by line."
    )
    result = coach(text)
    assert "p3.not_requested" not in codes(result)
    assert {"p3.excuse.dont_know_what_to_say", "p3.process_over_outcomes"} <= set(codes(result))


def test_a_general_question_gets_no_p3_finding() -> None:
    assert not codes(coach("How do I run a good discovery call with a new prospect?"))


def test_a_one_line_message_mentioning_a_deck_is_not_reviewed_as_an_outline() -> None:
    text = "I'll just email the final deck instead of presenting; they know us inside out."
    result = coach(text)
    assert "p3.not_requested" in codes(result)
    assert "p3.no_emotion" not in codes(result)


def test_an_excuse_to_skip_a_booked_final_presentation_is_still_coached() -> None:
    result = coach(
        "We present to the Dunmore board on the 14th, all six of them. I'm terrified of "
        "speaking in front of executives, my hands shake. Could I just send them the slides "
        "instead and answer questions by email?"
    )
    assert "p3.excuse.public_speaking" in codes(result)
    assert "p3.not_requested" not in codes(result)


@pytest.mark.parametrize(
    "text",
    [
        "Weekly. Proposal went to Carrowmore College on Monday. Their dean asked us to present "
        "to the budget board before they vote, and that's booked for Jan 9.",
        "Following Monday's presentation, where the Kessler board approved the rollout, I sent "
        "the written proposal to procurement as the record.",
        "we pitched to the partners on thurs and they said go. sending the proposal now as the "
        "paperwork for finance",
        "Dear Ms. Lund, thanks for confirming the decision meeting on 3 March with you and your "
        "CFO. We will send the proposal a week before so everyone can read it.",
    ],
)
def test_a_presentation_held_or_set_with_the_deciders_is_not_a_missing_one(text: str) -> None:
    assert "p3.not_requested" not in codes(coach(text))

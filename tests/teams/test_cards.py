"""The Adaptive Card builders: pure functions of domain objects."""

from __future__ import annotations

from datetime import date

from bot.teams.cards import (
    MAX_EVIDENCE_CHARS,
    MAX_FINDINGS,
    Source,
    Verb,
    build_commitments_card,
    build_result_card,
)
from coaching.types import (
    CoachingResult,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Finding,
    ScorecardEntry,
    Severity,
    TrustScores,
)
from tests.teams.conftest import card_actions, card_text

TODAY = date(2026, 11, 18)


def commitment(
    id: int, status: CommitmentStatus, due: date | None = date(2026, 11, 20)
) -> Commitment:
    return Commitment(
        id=id, text=f"step {id}", kind=CommitmentKind.FOLLOW_UP, due=due, status=status
    )


def test_a_result_card_shows_the_reply_and_scorecard_with_the_reasoning_behind_why() -> None:
    result = CoachingResult(
        reply="Ask for a final presentation.",
        findings=[
            Finding(
                code="p3.not_requested",
                severity=Severity.HIGH,
                evidence="will just wait",
                advice="Request a P3.",
            )
        ],
        scores=TrustScores.from_components(
            credibility=6, reliability=5, intimacy=4, self_orientation=5
        ),
        scorecard=[
            ScorecardEntry(
                criterion="customer journey",
                passed=False,
                evidence="",
                advice="Start with their story.",
            )
        ],
    )

    card = build_result_card(result, today=TODAY)
    text = card_text(card)

    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert "Ask for a final presentation." in text
    assert "**p3.not_requested** · high" in text
    assert "“will just wait”" in text
    assert "❌ **customer journey**: Start with their story." in text
    top_level = card_text({"body": [b for b in card["body"] if b["type"] != "ActionSet"]})
    assert "p3.not_requested" not in top_level
    [why] = next(b for b in card["body"] if b["type"] == "ActionSet")["actions"]
    assert why["type"] == "Action.ShowCard"
    assert why["title"] == "Why?"
    assert "**p3.not_requested** · high" in card_text(why["card"])
    facts = next(b for b in why["card"]["body"] if b["type"] == "FactSet")["facts"]
    assert {"title": "Trust (C+R+I)/S", "value": "3"} in facts


def test_long_evidence_and_many_findings_are_cut() -> None:
    finding = Finding(
        code="trust.credibility", severity=Severity.LOW, evidence="x" * 1000, advice="a"
    )
    result = CoachingResult(reply="r", findings=[finding] * (MAX_FINDINGS + 3))

    text = card_text(build_result_card(result, today=TODAY))

    assert "x" * MAX_EVIDENCE_CHARS not in text
    assert text.count("trust.credibility") == MAX_FINDINGS
    assert "…and 3 more." in text


def test_buttons_follow_the_commitment_status() -> None:
    commitments = [
        commitment(1, CommitmentStatus.SUGGESTED),
        commitment(2, CommitmentStatus.OPEN),
        commitment(3, CommitmentStatus.DONE),
    ]

    card = build_commitments_card(commitments, today=TODAY)

    buttons = [(a["data"]["commitment_id"], a["verb"]) for a in card_actions(card)]
    assert buttons == [
        (1, Verb.CONFIRM.value),
        (1, Verb.DONE.value),
        (1, Verb.SNOOZE.value),
        (2, Verb.DONE.value),
        (2, Verb.SNOOZE.value),
    ]


def test_each_button_falls_back_to_action_submit_with_the_same_data() -> None:
    card = build_result_card(
        CoachingResult(reply="r", commitments=[commitment(7, CommitmentStatus.OPEN)]),
        today=TODAY,
    )

    for action in card_actions(card):
        assert action["fallback"]["type"] == "Action.Submit"
        assert action["fallback"]["data"] == action["data"]
        assert action["data"]["source"] == Source.RESULT.value


def test_overdue_and_undated_commitments_say_so() -> None:
    card = build_commitments_card(
        [
            commitment(1, CommitmentStatus.OPEN, due=date(2026, 11, 1)),
            commitment(2, CommitmentStatus.OPEN, due=None),
        ],
        today=TODAY,
    )

    text = card_text(card)
    assert "Due 2026-11-01 · overdue" in text
    assert "Due no date · open" in text


def test_an_empty_commitment_list_is_friendly() -> None:
    assert card_text(build_commitments_card([], today=TODAY)) == (
        "No open commitments. Nice and tidy."
    )

"""The trust family: each component's finding, the trust equation scores and the acid test."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coaching.commitments.extract import extract_commitments
from coaching.playbooks.catalog import playbook
from coaching.playbooks.trust import score, weakest_advice
from coaching.replies.explain import explain
from coaching.types import Finding, Severity
from tests.playbooks.support import assert_exact_evidence, coach, codes, context, finding

ACID_TEST = "advised an important client to go with someone else"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            'Draft: "Could you sign this week? My VP would love to feature you as a launch '
            'partner in our Q3 announcement."',
            "trust.self_orientation",
        ),
        (
            "I'll offer 10% off if they sign before Friday, since that's our quarter end.",
            "trust.self_orientation",
        ),
        (
            "Their security lead asked if we've done a FedRAMP rollout. I'm tempted to say "
            '"yes, something similar" and learn it on the job.',
            "trust.credibility",
        ),
        ("Email: We are the industry-leading platform for payroll.", "trust.credibility"),
        (
            "They asked what drives the price. I'd rather not explain our margins to them.",
            "trust.transparency",
        ),
        (
            "Meeting with the new CIO tomorrow; my opener (memorised) is ready to go.",
            "trust.intimacy",
        ),
        (
            "Follow-up note to Jun: Just checking in on the proposal, any news?",
            "trust.intimacy",
        ),
        (
            "Intro call Thursday. I'll open with our 25-slide company overview.",
            "trust.self_orientation",
        ),
    ],
)
def test_each_component_is_flagged_with_exact_evidence(text: str, code: str) -> None:
    result = coach(text)
    assert code in codes(result)
    assert_exact_evidence(text, result)


def test_pushing_a_poor_fit_fails_the_acid_test_and_asks_the_question() -> None:
    text = (
        "Their new site needs offline mode and our mobile app is weak there; a partner does it "
        "well. I'll push them to our standard app anyway."
    )
    result = coach(text)
    assert finding(result, "trust.self_orientation").severity is Severity.HIGH
    assert result.scores is not None
    assert result.scores.self_orientation >= 6
    assert ACID_TEST in explain(result)
    assert "self-orientation" in explain(result)


def test_a_claimed_acid_test_that_hits_a_caveat_is_not_praised() -> None:
    text = (
        "I passed the acid test: I told a tiny account to go with a competitor, "
        "they were leaving anyway."
    )
    result = coach(text)
    assert "trust.self_orientation" not in codes(result)
    assert "does not count" in result.reply


def test_an_introduction_with_nothing_in_it_is_not_self_oriented() -> None:
    text = (
        "Their problem is payroll, which we don't do. Should I introduce them to a payroll "
        "firm I know? We'd get nothing out of it."
    )
    result = coach(text)
    assert not codes(result)
    assert "step out" in result.reply


def test_undated_promise_lowers_reliability_with_the_quote() -> None:
    text = "Good call with Sam. I'll send the security answers soon and book the demo for Friday."
    quote = "I'll send the security answers soon"
    result = coach(text, undated=(quote,))
    found = finding(result, "trust.reliability")
    assert found.evidence == quote
    assert found.severity is Severity.LOW
    assert result.scores is not None
    assert result.scores.reliability < 6


def test_a_conditional_offer_is_not_an_undated_promise() -> None:
    text = "If it's useful, I'm happy to send the benchmark we use, no strings attached."
    result = coach(text, undated=("If it's useful, I'm happy to send the benchmark we use",))
    assert "trust.reliability" not in codes(result)


def test_a_missed_promise_is_a_reliability_finding() -> None:
    assert "trust.reliability" in codes(
        coach("I promised Ana the SOW on Friday but still haven't sent it.")
    )


@pytest.mark.parametrize(
    "text",
    [
        "Downtime is the leading cause of their losses, so I'll open with that.",
        "We can offer a volume discount if they commit to three years.",
        "I'd rather say no to this deal than discount it by 30%.",
        "I've booked our solutions team for the demo on the 12th.",
        "I'll say yes to the pilot if they cover travel.",
    ],
)
def test_harmless_look_alikes_raise_no_trust_finding(text: str) -> None:
    assert not [c for c in codes(coach(text)) if c.startswith("trust.")]


def test_scores_start_neutral_and_move_with_findings() -> None:
    book = playbook("trust_equation")
    neutral = score(book, context("Hi Ana, thanks for today."), [])
    assert (neutral.credibility, neutral.reliability, neutral.intimacy) == (6, 6, 6)
    assert neutral.self_orientation == 4
    pushy = Finding(code="trust.self_orientation", severity=Severity.HIGH, evidence="x", advice="y")
    bluff = Finding(code="trust.credibility", severity=Severity.MEDIUM, evidence="z", advice="y")
    scores = score(book, context("x z"), [pushy, bluff])
    assert scores.self_orientation == 7
    assert scores.credibility == 4
    assert scores.trust == round((4 + 6 + 6) / 7, 2)


def test_weakest_component_is_named() -> None:
    book = playbook("trust_equation")
    gap = Finding(code="trust.intimacy", severity=Severity.MEDIUM, evidence="x", advice="y")
    advice = weakest_advice(book, score(book, context("x"), [gap]), flagged=True)
    assert advice.startswith("Weakest component: intimacy")
    assert ACID_TEST not in advice


def test_a_flagged_draft_is_never_told_nothing_pulls_trust_down() -> None:
    book = playbook("trust_equation")
    undated = "I'll get back to her on the pricing soon, and I'll send the deck by Friday."
    ctx = context(undated)
    gap = Finding(code="trust.reliability", severity=Severity.LOW, evidence="x", advice="y")
    ctx_with_promises = replace(ctx, promises=extract_commitments(undated, ctx.now).commitments)
    advice = weakest_advice(book, score(book, ctx_with_promises, [gap]), flagged=True)
    assert "Nothing in the wording" not in advice
    assert advice.startswith("Weakest component:")


def test_a_fine_draft_gets_scores_and_no_findings() -> None:
    text = (
        "Hi Dr. Lin, I was in the room for your talk on cold-chain audits last week; your point "
        "about temperature logs stuck with me. If it's useful, I'm happy to share the checklist "
        "two of our clients use, no strings attached."
    )
    result = coach(text)
    assert not codes(result)
    assert result.scores is not None
    assert result.scores.trust > 4.5


def test_a_self_serving_deadline_is_not_answered_with_the_acid_tests_poor_fit_step() -> None:
    result = coach(
        "Hi Marcus, I'm hoping we can get the order form signed by December 18th as that's the "
        "final day of our fiscal year and my VP is watching this one."
    )
    assert "trust.self_orientation" in codes(result)
    assert not [c for c in result.commitments if "another provider" in c.text]


def test_steering_a_client_into_a_poor_fit_still_suggests_the_introduction() -> None:
    result = coach(
        "I'll keep steering them to our basic plan anyway, even though it's weak for them."
    )
    assert any("another provider" in c.text for c in result.commitments)

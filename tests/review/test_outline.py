"""The pure parts of a review: the hero outline, the signals, the suggestion, the comparison."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.review.ports import StoredReview
from coaching.review.service import (
    build_hero_outline,
    decision_maker,
    improvements,
    suggest_p3_request,
    title_key,
)
from coaching.types import Commitment, CommitmentKind
from tests.playbooks.support import NOW, coach
from tests.review.outlines import CUSTOMER_OUTLINE, INJECTED_PROPOSAL, SELLER_OUTLINE

PROSE = (
    "Executive Summary. Vantix is the world's leading provider of procurement software. Our "
    "proprietary NeuralFlow architecture combines an event-sourced core and a supplier graph.\n\n"
    "Approach. Phase 1 \u2014 Discovery (6 weeks): stakeholder interviews. Governance: weekly "
    "steering committee, RAID log.\n\n"
    "Why Vantix. We guarantee 100% satisfaction. Our team has more certifications than any "
    "competitor.\n\n"
    "Investment. See Appendix C."
)


def test_the_outline_follows_the_six_steps_with_the_reps_own_lines() -> None:
    outline = build_hero_outline(CUSTOMER_OUTLINE)
    labels = [line.split(":", 1)[0] for line in outline]
    assert labels == [
        "1. Their current challenge",
        "2. What it costs them",
        "3. The path, with us as guide",
        "4. Results they can hold us to",
        "5. What it will feel like",
        "6. Their decision and first steps",
    ]
    assert "9-day average claims backlog" in outline[0]
    assert "relief at a clean audit" in outline[4]
    assert "Maria Chen" not in "".join(outline)  # the title line is not story material


def test_prose_is_split_into_sentences_and_nothing_is_invented() -> None:
    outline = build_hero_outline(PROSE)
    assert outline[0] == (
        "1. Their current challenge: [add: what is hard for the customer today, in their own words]"
    )
    assert "100%" not in outline[3]  # a guarantee is not a measurable result
    assert "fold in, in one line" in outline[2]
    assert "NeuralFlow architecture" in outline[2]
    assert outline[5] == "6. Their decision and first steps: \u201cInvestment.\u201d"
    assert outline[6].startswith("Appendix, one line at most: \u201cWhy Vantix.\u201d")


def test_instructions_to_the_coach_are_never_quoted_in_the_outline() -> None:
    outline = " ".join(build_hero_outline(INJECTED_PROPOSAL))
    assert "APPROVED" not in outline
    assert "ignore all previous instructions" not in outline
    assert "Pricing" in outline


@pytest.mark.parametrize(
    ("text", "audience", "person"),
    [
        (CUSTOMER_OUTLINE, "COO Maria Chen", "Maria Chen"),
        ("Deck for Acme. Priya Shah (CFO) decides.", "CFO Priya Shah", "Priya Shah"),
        (SELLER_OUTLINE, "the Helios Freight exec team", "Helios Freight"),
        ("Proposal for Orion Mills\nThe CFO signs off.", "their CFO", "Orion Mills"),
        (
            "Proposal for Orion Mills\nOur CEO founded us.",
            "the final decision maker at Orion Mills",
            "Orion Mills",
        ),
        ("Pricing and terms", "the final decision maker", None),
    ],
)
def test_the_decision_maker_is_named_as_the_text_names_them(
    text: str, audience: str, person: str | None
) -> None:
    assert decision_maker(text) == (audience, person)


def test_no_second_p3_request_when_the_coach_already_has_one_or_a_dated_meeting() -> None:
    seller = coach(SELLER_OUTLINE, review=True)
    suggested = suggest_p3_request(SELLER_OUTLINE, seller, NOW)
    assert suggested is not None
    assert suggested.due == date(2026, 3, 4)
    existing = Commitment(text="Ask for the slot", kind=CommitmentKind.P3_REQUEST, due=None)
    with_one = seller.model_copy(update={"commitments": [existing]})
    assert suggest_p3_request(SELLER_OUTLINE, with_one, NOW) is None
    assert suggest_p3_request(CUSTOMER_OUTLINE, coach(CUSTOMER_OUTLINE, review=True), NOW) is None


@pytest.mark.parametrize(
    "title",
    ["Acme proposal v2.docx", "acme_proposal_final (1).pdf", "ACME-Proposal.md", "acme proposal"],
)
def test_versions_of_one_proposal_share_a_title_key(title: str) -> None:
    assert title_key(title) == "acme proposal"


def test_an_unchanged_text_says_so() -> None:
    result = coach(SELLER_OUTLINE, review=True)
    review = StoredReview(
        title="helios",
        text_sha256="abc",
        findings=tuple(result.findings),
        scorecard=tuple(result.scorecard or ()),
        at=NOW,
    )
    assert improvements(review, review, NOW.tzinfo)[1:] == [
        "The text is the same as last time.",
        "No criterion or finding changed.",
    ]
    assert improvements(None, review, NOW.tzinfo) == []

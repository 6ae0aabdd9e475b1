"""`coach review`: the P3 criteria and scorecard on seller- and customer-centred outlines."""

from __future__ import annotations

from coaching.playbooks.catalog import playbook
from coaching.playbooks.p3_outline import assess_outline, build_scorecard
from tests.playbooks.support import assert_exact_evidence, coach, codes

SELLER_OUTLINE = """Final presentation to the Orion Mills leadership team
1. About us: founded 2001, 40 offices, 5,000 employees
2. Our awards and client logos
3. Solution architecture and integration blueprint
4. Delivery methodology: 6 phases, 12 workstreams
5. Pricing"""

CUSTOMER_OUTLINE = """Final meeting with Orion Mills (the CFO signs off and will attend)
1. Where Orion is today: two plants, late shipments, overtime every month-end
2. What that costs them, and how their planners say it feels
3. The path, with us as guide, and the team they will work with
4. Results they can hold us to: late orders under 3% by Q4, 400 overtime hours a month back
5. What changes for them: relief for the planners, confidence in front of their board
6. Their decision and the first 60 days"""


def test_seller_centric_outline_gets_all_three_findings() -> None:
    result = coach(SELLER_OUTLINE, review=True)
    assert {"p3.seller_centric", "p3.process_over_outcomes", "p3.no_emotion"} <= set(codes(result))
    assert_exact_evidence(SELLER_OUTLINE, result)


def test_seller_centric_outline_fails_the_scorecard_with_quotes() -> None:
    result = coach(SELLER_OUTLINE, review=True)
    assert result.scorecard is not None
    card = {entry.criterion: entry for entry in result.scorecard}
    assert set(card) == {
        "customer_is_hero",
        "outcomes_not_process",
        "emotional_connection",
        "decision_maker_engaged",
        "p3_requested",
        "three_decisions",
    }
    assert not card["customer_is_hero"].passed
    assert not card["outcomes_not_process"].passed
    assert not card["emotional_connection"].passed
    assert card["emotional_connection"].evidence == ""
    assert card["p3_requested"].passed
    for entry in result.scorecard:
        assert entry.evidence == "" or entry.evidence in SELLER_OUTLINE
        assert entry.advice


def test_customer_centred_outline_passes_even_though_it_says_us() -> None:
    result = coach(CUSTOMER_OUTLINE, review=True)
    assert not [c for c in codes(result) if c.startswith(("p3.", "creepy.", "trust."))]
    assert result.scorecard is not None
    assert all(entry.passed for entry in result.scorecard), result.scorecard


def test_scorecard_reports_the_customer_to_seller_word_ratio() -> None:
    book = playbook("p3")
    found = assess_outline(book, CUSTOMER_OUTLINE)
    assert found.customer_words > found.seller_words
    hero = build_scorecard(book, CUSTOMER_OUTLINE, found)[0]
    assert f"{found.customer_words}" in hero.advice


def test_review_of_a_proposal_with_superlatives_flags_credibility() -> None:
    text = (
        "Executive summary. We are the world's leading provider of fleet software. "
        "Phase 1 (8 weeks): discovery."
    )
    result = coach(text, review=True)
    assert {"trust.credibility", "p3.process_over_outcomes"} <= set(codes(result))
    assert result.scores is not None


def test_review_does_not_invent_a_missing_p3_request() -> None:
    text = "Investment summary. Annual licence and onboarding, see table."
    assert "p3.not_requested" not in codes(coach(text, review=True))

"""Our price is not what the problem costs the customer.

The outline's "What it costs them" step is the cost of inaction, in the customer's money,
time or risk. Lines about the seller's fee, licence or "investment" belong with their
decision; a line that weighs our price against what the problem costs them stays a cost line.
"""

from __future__ import annotations

import pytest

from coaching.review.outline import build_hero_outline

COST, DECISION = 1, 5


def _outline(*lines: str) -> list[str]:
    body = "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
    return build_hero_outline(f"Proposal for Kestrel Foods\n{body}")


@pytest.mark.parametrize(
    "price",
    [
        "The investment is $80k a year",
        "Our fee is $4,000 per month",
        "Licence cost: $12k per store per year",
        "Onboarding fee of $15k, priced at cost",
        "Subscription price $30 per user",
    ],
)
def test_the_sellers_price_goes_with_their_decision(price: str) -> None:
    outline = _outline("Today: stock-outs in six stores every week", price)
    assert price not in outline[COST]
    assert outline[COST].startswith("2. What it costs them: [add: ")
    assert price in outline[DECISION]


def test_what_the_problem_costs_them_stays_a_cost() -> None:
    problem = "Stock-outs are costing them $40k a month in lost sales"
    outline = _outline(problem, "The investment is $80k a year")
    assert problem in outline[COST]
    assert "The investment is $80k a year" in outline[DECISION]
    assert "investment" not in outline[COST]


def test_price_weighed_against_their_loss_is_still_about_their_cost() -> None:
    line = "Each month they wait is losing them more than the whole subscription price"
    outline = _outline("Today: stock-outs in six stores", line)
    assert line in outline[COST]

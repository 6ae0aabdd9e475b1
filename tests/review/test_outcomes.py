"""Measurable outcomes count however the rep writes them: figures, shares, money, time, dates.

A proposal that promises "from 91 percent to 98 percent by June 30" had been told it sold the
process; these cases pin down that every common way of stating a result passes the check,
and that numbers which are not results (headcount, founding years, our price) do not.
"""

from __future__ import annotations

import pytest

from coaching.review.service import review_signals
from tests.playbooks.support import coach, codes

FRAME = """Proposal for Larkspur Dental Group
1. Their challenge: front-desk staff juggle three booking tools
2. The rollout plan, in phase 1 and phase 2
3. Results: {result}
4. Their decision and first steps"""

OUTCOMES = [
    "appointment show rate from 91 percent to 98 percent by June 30",
    "cut onboarding of a new clinic from 6 weeks to 10 days",
    "$1.2M saved in year one across the twelve clinics",
    "reduce patient churn by a third within a year",
    "rebooking rate up 6 percentage points",
    "halve the insurance-claim backlog by Q3",
    "first-call resolution at 85% by the end of Q2",
    "save $400k a year on agency staff",
    "free up 300 reception hours a month",
    "no-shows 30% lower than today",
    "claims paid in under 5 days",
]


def _outcome_passes(text: str) -> bool:
    result = coach(text, review=True)
    card = {entry.criterion: entry for entry in result.scorecard or []}
    return card["outcomes_not_process"].passed


@pytest.mark.parametrize("result", OUTCOMES)
def test_a_measurable_result_in_any_common_form_passes(result: str) -> None:
    text = FRAME.format(result=result)
    assert _outcome_passes(text), result
    assert "p3.process_over_outcomes" not in codes(coach(text, review=True))
    assert review_signals(text)["quantified_outcomes"] >= 1


@pytest.mark.parametrize(
    "not_a_result",
    [
        "the investment is $80k per year",
        "founded in 2004, 14 offices and 2,300 employees",
        "from 2019 to 2023 we served 40 clinics",
        "phase 3 complete by March",
    ],
)
def test_figures_that_are_not_results_do_not_pass(not_a_result: str) -> None:
    text = FRAME.format(result=not_a_result)
    assert not _outcome_passes(text), not_a_result
    assert review_signals(text)["quantified_outcomes"] == 0


def test_the_evidence_quotes_the_reps_result_line() -> None:
    text = FRAME.format(result="cut onboarding from 6 weeks to 10 days")
    result = coach(text, review=True)
    card = {entry.criterion: entry for entry in result.scorecard or []}
    assert "from 6 weeks to 10 days" in card["outcomes_not_process"].evidence

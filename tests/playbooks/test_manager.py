"""Manager routing: team-level coaching, never rep-level findings about the manager's words."""

from __future__ import annotations

from coaching.replies.explain import explain
from coaching.types import Role
from tests.playbooks.support import coach, codes, finding

REP_LEVEL = ("trust.", "p3.", "creepy.")


def test_single_line_quota_is_unbalanced_revenue() -> None:
    text = (
        "Sam reached 110% of quota, all of it from our legacy hardware line, with zero "
        "software deals. Should Sam lead the team award list?"
    )
    result = coach(text, role=Role.MANAGER)
    assert finding(result, "revenue.unbalanced").evidence in text


def test_balanced_attainment_is_not_flagged() -> None:
    text = "Alice hit 108% of quota with a good mix across all three product lines."
    assert not codes(coach(text, role=Role.MANAGER))


def test_training_crm_and_hiring_get_advice_but_no_rep_codes() -> None:
    text = (
        "Revenue is flat after our three-day sales bootcamp, so I want another one. I'm also "
        "making 30 CRM fields mandatory, and I'll hire a rep with a big book of business who "
        "sends the proposal to clients and hates presenting."
    )
    result = coach(text, role=Role.MANAGER)
    assert not [c for c in codes(result) if c.startswith(REP_LEVEL)]
    assert {"toxic_training", "crm_discipline", "recruiting_retreads"} <= set(result.playbooks)
    assert "one source claims" in explain(result)
    assert "reports" in result.reply


def test_a_deal_described_by_a_manager_gets_the_same_deal_coaching() -> None:
    """A manager telling the coach about a deal (theirs or a rep's) hears what the rep would."""
    text = "I'm sending the proposal on Friday and I hate presenting, so no final presentation."
    assert "p3.not_requested" in codes(coach(text))
    assert "p3.not_requested" in codes(coach(text, role=Role.MANAGER))

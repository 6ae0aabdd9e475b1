"""Commitments on the corpus's held-out test split, the figures issue 13 is measured by.

Issue 13 asks for >= 0.9 of commitments with the right kind, date and party on messages
nobody tuned on. The first corpus's test split reaches 0.94 and is held at 0.92; the whole
split, with the round-two messages written to break phrase rules, reaches 0.85 and is held
at 0.83, so a regression shows while the gap to 0.9 stays visible. Round three (`c3-`)
adds the shapes rounds one and two lacked; its test part is measured, never tuned on.
"""

from __future__ import annotations

from tests.commitments.corpus import in_test_split, load_cases, score, split

MIN_RATE = 0.83
MIN_FIRST_CORPUS_RATE = 0.92
MAX_FALSE_ON_EMPTY = 2
# The issue's bar: at most one false alarm per 15 messages that hold no commitment.
HARMLESS_PER_FALSE = 15
# A wrong date or kind counts as a miss and a false commitment, so the bound grows with
# the split: at most one false commitment per 12 expected ones.
MAX_FALSE_SHARE = 1 / 12
MAX_EARLIER_FALSE = 8
_FIRST = "c-"
_ROUND_TWO = "c2-"
_ROUND_THREE = "c3-"


def test_the_test_split_finds_commitments_with_the_right_kind_due_date_and_party() -> None:
    result = score(split(test=True))
    assert result.rate >= MIN_RATE, "\n".join(result.misses)


def test_the_first_corpus_test_split_stays_at_the_issue_figure() -> None:
    first = [case for case in split(test=True) if case.id.startswith(_FIRST)]
    result = score(first)
    assert result.rate >= MIN_FIRST_CORPUS_RATE, "\n".join(result.misses)


def test_the_test_split_invents_almost_no_commitments() -> None:
    result = score(split(test=True))
    assert result.false_on_empty <= result.empty_cases / HARMLESS_PER_FALSE, "\n".join(
        result.misses
    )
    assert result.false <= MAX_FALSE_SHARE * result.expected, "\n".join(result.misses)


def test_the_first_two_rounds_never_gain_false_commitments() -> None:
    """Rounds one and two held 8 false commitments when round three was written; new
    mechanisms must not add to them."""
    earlier = score([case for case in split(test=True) if not case.id.startswith(_ROUND_THREE)])
    assert earlier.false <= MAX_EARLIER_FALSE, "\n".join(earlier.misses)
    assert earlier.false_on_empty <= MAX_FALSE_ON_EMPTY, "\n".join(earlier.misses)


def test_the_split_is_by_scenario_and_holds_back_about_a_quarter() -> None:
    cases = load_cases()
    scenarios = {case.scenario for case in cases}
    held_back = {scenario for scenario in scenarios if in_test_split(scenario)}
    assert len(cases) >= 600
    assert 0.15 <= len(held_back) / len(scenarios) <= 0.35
    test_ids = {case.id for case in split(test=True)}
    train_scenarios = {case.scenario for case in split(test=False)}
    assert not held_back & train_scenarios
    assert all(case.scenario in held_back for case in cases if case.id in test_ids)


def test_each_rounds_ids_and_scenarios_never_reuse_another_rounds_names() -> None:
    cases = load_cases()
    assert len({case.id for case in cases}) == len(cases)
    rounds = [
        {case.scenario for case in cases if case.id.startswith(prefix)}
        for prefix in (_FIRST, _ROUND_TWO, _ROUND_THREE)
    ]
    assert all(rounds)
    assert sum(map(len, rounds)) == len(set().union(*rounds))
    for prefix, scenarios in zip((_FIRST, _ROUND_TWO, _ROUND_THREE), rounds, strict=True):
        assert all(scenario.startswith(f"{prefix}s") for scenario in scenarios)


def test_the_split_never_moves() -> None:
    """Pinned: a changed hash would leak tuned-on scenarios into the test split."""
    held_back = [n for n in range(1, 30) if in_test_split(f"c-s{n:03d}")]
    assert held_back == [5, 8, 9, 22, 23, 24, 26, 28, 29]

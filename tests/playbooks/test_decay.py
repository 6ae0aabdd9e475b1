"""Deal timing: a decaying deal, a hot window left to cool, and a loss with no debrief."""

from __future__ import annotations

from datetime import date

from coaching.playbooks.decay import past_dates
from coaching.types import CommitmentKind
from tests.playbooks.support import NOW, assert_exact_evidence, coach, codes


def test_stale_deal_from_an_old_peak_suggests_a_follow_up() -> None:
    text = (
        "Back in September their COO loved the pilot results. "
        "They've gone quiet and I'm waiting for them."
    )
    result = coach(text)
    assert "decay.stale" in codes(result)
    assert_exact_evidence(text, result)
    follow_up = next(c for c in result.commitments if c.kind is CommitmentKind.FOLLOW_UP)
    assert follow_up.due == date(2026, 3, 9)


def test_recent_interest_is_not_stale() -> None:
    text = "On February 20 their CFO asked for pricing. I'm waiting for them to confirm the date."
    assert "decay.stale" not in codes(coach(text))


def test_past_dates_roll_back_a_year_and_skip_deadlines() -> None:
    found = past_dates(
        "At our November 3 workshop they were keen; before their board meets in May.", NOW
    )
    assert [d.day for d in found] == [date(2025, 11, 3)]


def test_fresh_spike_with_a_plan_to_wait_is_a_hot_window() -> None:
    text = (
        "Yesterday their CTO said she is fed up with their current vendor and wants to explore "
        "alternatives. I'll follow up in a few weeks."
    )
    result = coach(text)
    assert "decay.hot_window" in codes(result)
    meeting = next(c for c in result.commitments if c.kind is CommitmentKind.MEETING)
    assert meeting.due == date(2026, 3, 16)


def test_fresh_spike_with_a_meeting_booked_is_fine() -> None:
    text = (
        "Yesterday their CTO said she wants to explore alternatives; we booked an on-site "
        "meeting for Thursday. I'll follow up in a few weeks on the rest."
    )
    assert "decay.hot_window" not in codes(coach(text))


def test_a_lost_deal_gets_a_suggested_debrief() -> None:
    result = coach("We lost the Fabrikam renewal to a competitor last week. Moving on.")
    assert not codes(result)
    debrief = next(c for c in result.commitments if c.kind is CommitmentKind.MEETING)
    assert debrief.due == date(2026, 3, 16)


def test_a_planned_debrief_needs_no_suggestion() -> None:
    text = "We lost the deal to a cheaper vendor; I already set up a debrief call with their CFO."
    assert not coach(text).commitments

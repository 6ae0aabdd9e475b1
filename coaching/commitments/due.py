"""One rule for how a commitment's date reads, so the rep and the manager see the same words.

The promised date is the only date a commitment is due on. A snooze changes the day the coach
reminds the rep, never that date: a promise due on the 2nd and snoozed to the 6th reads
"overdue by 4 days" on the 6th, in the rep's reminder, the manager's digest and every list.
`today` is the owner's local date, which every caller already has in hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache


class DueState(StrEnum):
    UNDATED = "undated"
    AHEAD = "ahead"
    TODAY = "today"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class DueStatus:
    """Where a promised date stands today, and the words every surface uses for it."""

    state: DueState
    days: int
    """Whole days until the date (ahead) or past it (overdue); 0 today or with no date."""
    words: str


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


@lru_cache(maxsize=4096)
def due_status(due: date | None, today: date) -> DueStatus:
    """The state of the promised date `due` on `today`: "due in 3 days", "overdue by 4 days".

    Cached: a weekly digest asks this for ~70,000 commitments that share a few hundred
    dates, and the answer is an immutable value."""
    if due is None:
        return DueStatus(DueState.UNDATED, 0, "no date")
    gap = (due - today).days
    if gap == 0:
        return DueStatus(DueState.TODAY, 0, "due today")
    if gap < 0:
        return DueStatus(DueState.OVERDUE, -gap, f"overdue by {_days(-gap)}")
    return DueStatus(DueState.AHEAD, gap, "due tomorrow" if gap == 1 else f"due in {gap} days")


def remind_on(due: date | None, snoozed_until: date | None) -> date | None:
    """The day reminders are about: the end of a snooze while one is set, else the due date."""
    return snoozed_until if snoozed_until is not None else due

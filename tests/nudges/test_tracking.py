"""The life of a commitment: which actions apply when, snoozing, overdue and reminder days."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.commitments.ports import ReminderCandidate, ReminderKind, Tracked
from coaching.commitments.tracking import Action, days_late, plan_change, reminder_due
from coaching.errors import CoachingError
from coaching.types import Commitment, CommitmentKind, CommitmentStatus

S = CommitmentStatus
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)


def tracked(
    status: S = S.OPEN, due: date | None = date(2026, 3, 4), snoozed: date | None = None
) -> Tracked:
    commitment = Commitment(
        id=7, text="send Lena the pricing", kind=CommitmentKind.FOLLOW_UP, due=due, status=status
    )
    return Tracked(commitment, owner_id=1, snoozed_until=snoozed)


@pytest.mark.parametrize(
    ("action", "status", "expected"),
    [
        (Action.ACCEPT, S.SUGGESTED, S.OPEN),
        (Action.DISMISS, S.SUGGESTED, S.CANCELLED),
        (Action.DONE, S.OPEN, S.DONE),
        (Action.DONE, S.SNOOZED, S.DONE),
        (Action.CANCEL, S.OPEN, S.CANCELLED),
        (Action.SNOOZE, S.OPEN, S.SNOOZED),
    ],
)
def test_allowed_changes(action: Action, status: S, expected: S) -> None:
    change = plan_change(action, tracked(status), today=MONDAY, due=None, until=None)
    assert change.status is expected


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.ACCEPT, S.OPEN),
        (Action.DISMISS, S.OPEN),
        (Action.DONE, S.DONE),
        (Action.SNOOZE, S.SUGGESTED),
        (Action.CANCEL, S.CANCELLED),
        (Action.EDIT, S.DONE),
    ],
)
def test_changes_that_do_not_apply_are_refused(action: Action, status: S) -> None:
    with pytest.raises(CoachingError) as raised:
        plan_change(action, tracked(status), today=MONDAY, due=date(2026, 3, 9), until=None)
    assert raised.value.code == "commitment.wrong_status"
    assert "#7" in raised.value.message


def test_snooze_defaults_to_two_business_days() -> None:
    change = plan_change(Action.SNOOZE, tracked(), today=FRIDAY, due=None, until=None)
    assert change.snoozed_until == date(2026, 3, 10)
    assert change.restart_reminders


def test_edit_needs_a_date_today_or_later_and_restarts_reminders() -> None:
    with pytest.raises(CoachingError, match="--due"):
        plan_change(Action.EDIT, tracked(), today=MONDAY, due=None, until=None)
    with pytest.raises(CoachingError, match="in the past"):
        plan_change(Action.EDIT, tracked(), today=MONDAY, due=date(2026, 3, 1), until=None)
    change = plan_change(Action.EDIT, tracked(S.SUGGESTED), today=MONDAY, due=FRIDAY, until=None)
    assert (change.status, change.due, change.restart_reminders) == (S.OPEN, FRIDAY, True)


def test_overdue_is_open_and_past_due_in_the_owners_today() -> None:
    late = tracked(due=date(2026, 2, 27))
    assert days_late(late, MONDAY) == 3
    assert days_late(tracked(due=MONDAY), MONDAY) is None
    assert days_late(tracked(S.DONE, due=date(2026, 2, 27)), MONDAY) is None
    assert days_late(tracked(S.SNOOZED, date(2026, 2, 27), snoozed=FRIDAY), MONDAY) is None
    assert days_late(tracked(S.SNOOZED, date(2026, 2, 27), snoozed=MONDAY), MONDAY) == 3


def test_reminders_the_day_before_and_on_the_day_once_each() -> None:
    due_wed = tracked(due=date(2026, 3, 4))

    def kind(today: date, before: bool = False, on_day: bool = False) -> ReminderKind | None:
        return reminder_due(ReminderCandidate(due_wed, before, on_day), today)

    assert kind(date(2026, 3, 2)) is None
    assert kind(date(2026, 3, 3)) is ReminderKind.DAY_BEFORE
    assert kind(date(2026, 3, 3), before=True) is None
    assert kind(date(2026, 3, 4), before=True) is ReminderKind.DUE_DAY
    assert kind(date(2026, 3, 4), before=True, on_day=True) is None
    assert kind(date(2026, 3, 5)) is None


def test_a_snoozed_commitment_is_reminded_when_its_snooze_ends() -> None:
    snoozed = tracked(S.SNOOZED, due=date(2026, 2, 27), snoozed=FRIDAY)
    assert reminder_due(ReminderCandidate(snoozed, False, False), FRIDAY) is (ReminderKind.DUE_DAY)

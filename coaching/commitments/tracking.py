"""The life of a commitment after it is captured: confirm, finish, snooze, cancel, remind.

Pure rules over plain values, so the console, Slack buttons and Teams card actions all
change a commitment the same way. "Overdue" is derived, never stored: due before today in
the owner's zone while the commitment is open (a snoozed one counts again once its snooze
ends). How a date reads, and that a snooze never moves it, is `coaching.commitments.due`'s one rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from coaching.commitments.dates import add_business_days
from coaching.commitments.due import DueState, due_status, remind_on
from coaching.commitments.ports import Change, ReminderCandidate, ReminderKind, Tracked
from coaching.errors import CoachingError
from coaching.types import CommitmentStatus

SUGGESTED, OPEN, DONE = CommitmentStatus.SUGGESTED, CommitmentStatus.OPEN, CommitmentStatus.DONE
SNOOZED, CANCELLED = CommitmentStatus.SNOOZED, CommitmentStatus.CANCELLED
LIVE_STATUSES = (SUGGESTED, OPEN, SNOOZED)
SNOOZE_BUSINESS_DAYS = 2


class Action(StrEnum):
    """What a rep can do to one of their commitments."""

    ACCEPT = "accept"
    EDIT = "edit"
    DISMISS = "dismiss"
    DONE = "done"
    SNOOZE = "snooze"
    CANCEL = "cancel"


_ALLOWED_FROM: dict[Action, tuple[CommitmentStatus, ...]] = {
    Action.ACCEPT: (SUGGESTED,),
    Action.EDIT: LIVE_STATUSES,
    Action.DISMISS: (SUGGESTED,),
    Action.DONE: LIVE_STATUSES,
    Action.SNOOZE: (OPEN, SNOOZED),
    Action.CANCEL: LIVE_STATUSES,
}


def is_active(tracked: Tracked, today: date) -> bool:
    """Open, or snoozed with the snooze over: the commitments a rep is expected to keep."""
    status = tracked.commitment.status
    if status is OPEN:
        return True
    until = tracked.snoozed_until
    return status is SNOOZED and until is not None and until <= today


def days_late(tracked: Tracked, today: date) -> int | None:
    """Whole days past due for an active commitment; None when it is not overdue."""
    status = due_status(tracked.commitment.due, today)
    if status.state is not DueState.OVERDUE or not is_active(tracked, today):
        return None
    return status.days


def plan_change(
    action: Action, current: Tracked, *, today: date, due: date | None, until: date | None
) -> Change:
    """The change `action` makes, or a friendly CoachingError when it does not apply."""
    status = current.commitment.status
    if status not in _ALLOWED_FROM[action]:
        raise _wrong_status(action, current)
    for day in (due, until):
        if day is not None and day < today:
            raise CoachingError(
                "input.bad_date", f"{day.isoformat()} is in the past; pick today or later."
            )
    if action is Action.EDIT and due is None:
        raise CoachingError("input.missing_due", "Say the new date with --due YYYY-MM-DD.")
    if action in (Action.DISMISS, Action.CANCEL):
        return Change(CANCELLED, current.commitment.due, None, restart_reminders=False)
    if action is Action.DONE:
        return Change(DONE, current.commitment.due, None, restart_reminders=False)
    if action is Action.SNOOZE:
        wake = until or add_business_days(today, SNOOZE_BUSINESS_DAYS)
        return Change(SNOOZED, current.commitment.due, wake, restart_reminders=True)
    new_due = due or current.commitment.due
    return Change(OPEN, new_due, None, restart_reminders=new_due != current.commitment.due)


def _wrong_status(action: Action, current: Tracked) -> CoachingError:
    status = current.commitment.status.value
    hint = {
        Action.ACCEPT: "only suggested ones need accepting",
        Action.DISMISS: "use 'cancel' for a promise you no longer plan to keep",
        Action.SNOOZE: "only open ones can be snoozed",
    }.get(action, "it is already closed")
    return CoachingError(
        "commitment.wrong_status",
        f"#{current.id} is {status}, so it can't be {_past(action)}: {hint}.",
    )


def _past(action: Action) -> str:
    return {
        Action.ACCEPT: "accepted",
        Action.EDIT: "edited",
        Action.DISMISS: "dismissed",
        Action.DONE: "marked done",
        Action.SNOOZE: "snoozed",
        Action.CANCEL: "cancelled",
    }[action]


def reminder_date(tracked: Tracked) -> date | None:
    """The day a reminder is about: the end of a snooze, else the due date."""
    if tracked.commitment.status not in (OPEN, SNOOZED):
        return None
    return remind_on(tracked.commitment.due, tracked.snoozed_until)


def reminder_due(candidate: ReminderCandidate, today: date) -> ReminderKind | None:
    """Which reminder (if any) this commitment gets today; each is sent once only."""
    day = reminder_date(candidate.tracked)
    if day == today and not candidate.due_day_sent:
        return ReminderKind.DUE_DAY
    if day == today + timedelta(days=1) and not candidate.day_before_sent:
        return ReminderKind.DAY_BEFORE
    return None

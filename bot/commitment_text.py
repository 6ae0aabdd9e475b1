"""How a commitment reads in a terminal and as JSON, the same in `coach commitments` and
in the chat's `/commitments`, `/accept`, `/done`, so a number one shows works in the other.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coaching.commitments.due import due_status
from coaching.commitments.ports import Tracked
from coaching.commitments.tracking import Action, days_late
from coaching.types import Party

# The largest id the id columns hold on either database (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1
DONE_HINTS = {
    Action.ACCEPT: "Accepted",
    Action.EDIT: "New date for",
    Action.DISMISS: "Dismissed",
    Action.DONE: "Done",
    Action.SNOOZE: "Snoozed",
    Action.CANCEL: "Cancelled",
}


def to_json(tracked: Tracked, today: date) -> dict[str, Any]:
    """The contract's commitment object plus `overdue`, `days_late`, `snoozed_until` and
    `due_words` (the promised date's words, as reminders and digests say them)."""
    late = days_late(tracked, today)
    return {
        **tracked.commitment.model_dump(mode="json"),
        "overdue": late is not None,
        "days_late": late,
        "snoozed_until": tracked.snoozed_until.isoformat() if tracked.snoozed_until else None,
        "due_words": due_status(tracked.commitment.due, today).words,
    }


def render_line(tracked: Tracked, today: date) -> str:
    """One commitment on one line: number, status, text, due date, and whose promise."""
    c = tracked.commitment
    status = c.status.value
    if tracked.snoozed_until is not None:
        status += f" until {tracked.snoozed_until.isoformat()}"
    due = f"due {c.due.isoformat()}" if c.due else "no date"
    if days_late(tracked, today) is not None:
        due += f" ({due_status(c.due, today).words})"
    who = f" [customer: {c.counterpart or 'them'}]" if c.party is Party.CUSTOMER else ""
    return f"#{tracked.id} [{status}] {c.text} - {due}{who}"

"""The chat's commitment commands: `/commitments`, `/accept`, `/done`, `/snooze`, `/dismiss`.

A reply says "[3] Suggested: ..."; the rep accepts it right there with `/accept 3`. The
commands call the same `CommitmentService` as `coach commitments ...` (and Slack's buttons)
and print the same lines (`bot.commitment_text`), so N is the stored id `coach commitments
list` shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.commitment_text import DONE_HINTS, MAX_ID, render_line, to_json
from coaching.commitments.service import CommitmentService
from coaching.commitments.tracking import Action
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.team.rules import Clock
from coaching.types import CommitmentStatus

ACTIONS = {
    "/accept": Action.ACCEPT,
    "/done": Action.DONE,
    "/snooze": Action.SNOOZE,
    "/dismiss": Action.DISMISS,
}
LIST = "/commitments"
NAMES = frozenset({LIST, *ACTIONS})
MAX_SNOOZE_DAYS = 365
_DAYS = re.compile(r"^(\d{1,3})\s*(?:d|days?)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Answer:
    """What a command prints: `text` in a terminal, `data` with `--json`."""

    text: str
    data: dict[str, Any]


class CommitmentCommands:
    """`/commitments`, `/accept N`, `/done N`, `/snooze N [days|date]`, `/dismiss N`."""

    def __init__(
        self,
        service: CommitmentService,
        who: UserRef,
        clock: Callable[[], Clock],
        today: Callable[[], date],
    ) -> None:
        """`clock` is the service's clock; `today` the rep's own date, which "/snooze 3 5"
        counts from."""
        self._service = service
        self._who = who
        self._clock = clock
        self._today = today

    @staticmethod
    def handles(name: str) -> bool:
        """Whether `name` (a message's first word) is one of these commands."""
        return name in NAMES

    async def run(self, text: str) -> Answer:
        """Carry out one command line; a mistake raises a friendly CoachingError."""
        name, *args = text.split()
        if name == LIST:
            return await self._list()
        action = ACTIONS[name]
        number = _number(name, args)
        until = None
        if action is Action.SNOOZE:
            until = _until(" ".join(args[1:]), self._today())
        elif len(args) > 1:
            raise _usage(name)
        try:
            changed = await self._service.change(
                self._who, number, action, self._clock(), until=until
            )
        except CoachingError as error:
            if error.code != "commitment.not_found":
                raise
            raise _not_found(number) from None
        line = f"{DONE_HINTS[action]}: {render_line(changed.tracked, changed.today)}"
        if action is Action.DONE:
            who = changed.tracked.commitment.counterpart or "them"
            line += f"\nWhat's the next step with {who}? Plan it now, while it's fresh."
        return Answer(line, {"commitment": to_json(changed.tracked, changed.today)})

    async def _list(self) -> Answer:
        listing = await self._service.listing(self._who, self._clock())
        data = {
            "user": listing.owner,
            "today": listing.today.isoformat(),
            "commitments": [to_json(t, listing.today) for t in listing.items],
        }
        if not listing.items:
            return Answer("No open commitments. Nice and tidy.", data)
        lines = [render_line(t, listing.today) for t in listing.items]
        if any(t.commitment.status is CommitmentStatus.SUGGESTED for t in listing.items):
            lines.append("Suggested ones need a yes: /accept N, or /dismiss N if it isn't one.")
        return Answer("\n".join(lines), data)


def _number(name: str, args: Sequence[str]) -> int:
    if not args or not args[0].lstrip("#").isdigit():
        raise _usage(name)
    number = int(args[0].lstrip("#"))
    if not 1 <= number <= MAX_ID:
        raise _not_found(number)
    return number


def _not_found(number: int) -> CoachingError:
    """The service's answer, pointing at the chat's own list rather than the CLI's."""
    return CoachingError(
        "commitment.not_found", f"You have no commitment #{number}; /commitments lists yours."
    )


def _until(given: str, today: date) -> date | None:
    """`/snooze N` (default wake-up), `/snooze N 5` (five days) or `/snooze N 2026-12-10`."""
    if not given:
        return None
    days = _DAYS.match(given)
    if days is not None and int(days.group(1)) <= MAX_SNOOZE_DAYS:
        return today + timedelta(days=int(days.group(1)))
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise CoachingError(
            "input.bad_date",
            f"Snooze for a number of days (up to {MAX_SNOOZE_DAYS}) or until a date like "
            f"2026-12-10, e.g. /snooze 3 5; not {given!r}.",
        ) from None


def _usage(name: str) -> CoachingError:
    extra = " [days|YYYY-MM-DD]" if name == "/snooze" else ""
    return CoachingError(
        "input.usage", f"Use {name} N{extra}, with N the number /commitments shows."
    )

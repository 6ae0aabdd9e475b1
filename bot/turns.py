"""One coaching turn, whichever platform asked: the same steps and the same failure rules.

After the ack a turn is offered to the job queue (`hand_over`); a worker finishes it, or,
without a queue or while it is away, the web process does. Finishing is one algorithm
(`run_turn`): the work reads what came with the message, coaches, stores and renders,
and yields the answer, or None for a message answered before; then the answer goes out, or
the failure is said. Slack and Teams differ only in how those last steps look, so each
gives a `TurnFace` and the rules live here once:

- a failure that is the rep's to fix (`CoachingError`) is said, and not logged;
- any other failure is logged; with `can_retry` (a queued job with attempts left) it
  propagates, so the job runs again and the rep gets the real answer; else the rep reads
  what `coaching.errors.user_message` allows, or the platform's apology, and never the
  exception's text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from pydantic import BaseModel

from bot.handoff import Handoff
from coaching.errors import CoachingError, user_message

log = logging.getLogger(__name__)

Answer = TypeVar("Answer")
Answer_contra = TypeVar("Answer_contra", contravariant=True)


class TurnFace(Protocol[Answer_contra]):
    """How one platform shows the end of a turn."""

    async def deliver(self, answer: Answer_contra) -> None:
        """Send the rendered answer where the rep asked."""
        ...

    async def nothing_new(self) -> None:
        """The message was answered before: tidy up whatever this run showed, if anything."""
        ...

    async def fail(self, line: str) -> None:
        """Tell the rep, in this one line, that there is no answer."""
        ...


async def hand_over(handoff: Handoff | None, function: str, key: str, order: BaseModel) -> bool:
    """True once a worker will finish the turn; False: finish it here."""
    return handoff is not None and await handoff.submit(function, key, order)


async def run_turn(
    work: Awaitable[Answer | None],
    face: TurnFace[Answer],
    *,
    apology: str,
    what: str,
    can_retry: bool = False,
) -> None:
    """Await `work` and show its end through `face`; `apology` is the platform's line for a
    failure nobody may read about, `what` names the turn in the log."""
    try:
        answer = await work
    except Exception as error:
        if not isinstance(error, CoachingError):
            if can_retry:
                raise
            log.error("%s failed", what, exc_info=error)
        await face.fail(user_message(error) or apology)
        return
    if answer is None:
        await face.nothing_new()
    else:
        await face.deliver(answer)

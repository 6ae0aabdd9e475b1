"""The one thing an adapter asks of the job queue: take this slow work, or say you can't.

Slack and Teams turns wait on the model and on file downloads, so with `COACH_QUEUE_URL` set
the web process acknowledges, shows its "thinking" status and hands the rest to a worker
(`bot.queue` implements this on saq). Without a queue, or while Redis cannot be reached,
`submit` says False and the adapter finishes the turn itself: slower for that one request,
but the rep still gets an answer and nothing is lost.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel


class Handoff(Protocol):
    async def submit(self, function: str, key: str, payload: BaseModel) -> bool:
        """Queue `payload` for the worker function `function`; True once it is queued.

        `key` names the work: submitting the same key again while it is queued or running
        adds nothing, so a platform's re-delivery does not double the work.
        """
        ...

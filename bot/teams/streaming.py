"""Informative updates in a Teams personal chat while the coach works, then the answer.

The answer is checked before a rep sees it, so no words of the model are streamed: while a
turn runs, the rep reads the step the coach is on ("Checking trust") as a Bot Framework
informative update, a `typing` activity with a `streaminfo` entity (streamType
"informative", streamSequence 1, 2, ...; from the second on, the streamId Teams gave the
first). The answer card then goes out as the stream's final `message` (streamType "final",
the same streamId), with its AI-generated label and feedback loop.
https://learn.microsoft.com/microsoftteams/platform/bots/streaming-ux

Teams streams only in one-to-one chats and takes about one streaming request a second, so
only the latest step is sent, at most once a second, and nothing at all for an answer
ready within `after` seconds (`COACH_TEAMS_STREAM_AFTER`): the typing indicator covers
it, and it goes out as the plain message it always was. The
SDK's own `StreamingResponse` is built for streamed text (its final message carries text,
and every update waits out the interval), which is why this small stream is ours.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiohttp import ClientError
from microsoft_agents.activity import Activity, ActivityTypes, StreamInfo
from microsoft_agents.hosting.core import TurnContext

from bot.teams.proactive import to_activity
from coaching.progress import Progress, Step, label

log = logging.getLogger(__name__)

# Teams throttles streaming to about one request per second per chat.
STREAM_INTERVAL_SECONDS = 1.0
# An answer ready this soon needs no progress (the default of COACH_TEAMS_STREAM_AFTER).
STREAM_AFTER_SECONDS = 1.0
# What the connector raises for a post it refused or never answered.
STREAM_ERRORS = (ClientError, TimeoutError)


class InformativeStream:
    """The progress of one turn in a personal chat; a `Progress` the coach reports to."""

    def __init__(
        self,
        context: TurnContext,
        *,
        after: float = STREAM_AFTER_SECONDS,
        interval: float = STREAM_INTERVAL_SECONDS,
    ) -> None:
        self._context = context
        self._after = after
        self._interval = interval
        self._latest: Step | None = None
        self._wake = asyncio.Event()
        self._sending = asyncio.Lock()
        self._pump: asyncio.Task[None] | None = None
        self._closed = False
        self._sequence = 0
        self._stream_id: str | None = None
        self._last_sent = 0.0

    @property
    def progress(self) -> Progress:
        return self

    @property
    def started(self) -> bool:
        """Whether the rep has seen an update, so the stream must be ended."""
        return self._stream_id is not None

    def step(self, step: Step) -> None:
        if self._closed:
            return
        self._latest = step
        self._wake.set()
        if self._pump is None:
            self._pump = asyncio.ensure_future(self._run())

    async def finish(self, activity: Activity) -> str | None:
        """Send the answer: as the stream's final message once it started, else as it is.
        The id of the message the rep sees (a stream keeps its first update's id)."""
        await self._stop()
        if self._stream_id is None:
            sent = await self._context.send_activity(activity)
            return sent.id if sent is not None else None
        await asyncio.sleep(max(0.0, self._last_sent + self._interval - time.monotonic()))
        final = activity.model_copy(deep=True)
        info = StreamInfo(stream_type="final", stream_id=self._stream_id)
        final.entities = [*(final.entities or []), info]
        try:
            await self._context.send_activity(final)
        except STREAM_ERRORS as error:
            log.warning("Teams refused a stream's end (%s); sent apart", type(error).__name__)
            sent = await self._context.send_activity(activity)
            return sent.id if sent is not None else None
        return self._stream_id

    async def interrupt(self, text: str) -> None:
        """No more updates; a stream the rep saw ends with `text` (the answer was sent
        before, or a failure's line)."""
        await self._stop()
        if self._stream_id is not None:
            await self.finish(to_activity(text))

    async def _stop(self) -> None:
        """Let an update on its way arrive, then send no more."""
        self._closed = True
        async with self._sending:
            if self._pump is not None:
                self._pump.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._pump

    async def _run(self) -> None:
        await asyncio.sleep(self._after)
        while not self._closed:
            await self._wake.wait()
            self._wake.clear()
            async with self._sending:
                if self._closed or self._latest is None:
                    return
                if not await self._inform(self._latest):
                    return
            await asyncio.sleep(self._interval)

    async def _inform(self, step: Step) -> bool:
        """One informative update; False (and no more) when Teams will not take it."""
        self._sequence += 1
        info = StreamInfo(stream_type="informative", stream_sequence=self._sequence)
        if self._stream_id is not None:
            info.stream_id = self._stream_id
        update = Activity(type=ActivityTypes.typing, text=label(step), entities=[info])
        try:
            sent = await self._context.send_activity(update)
        except STREAM_ERRORS as error:
            log.info("Teams took no streaming update (%s)", type(error).__name__)
            self._closed = True
            return False
        self._last_sent = time.monotonic()
        if self._stream_id is None and sent is not None and sent.id:
            self._stream_id = sent.id
        return True

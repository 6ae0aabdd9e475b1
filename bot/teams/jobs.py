"""The worker's half of a Teams turn: a `TeamsOrder` from the queue, answered in Teams.

The web process showed typing and returned at once; here the worker prepares the card and
posts it into the conversation the activity came from, the way slow answers always go
out (`continue_conversation`). A failure that is not the rep's to fix (the database away,
Teams unreachable) fails the job, so it runs again; a retried job posts the stored answer
again: a worker killed mid-turn costs the rep a delay, never the answer. A conversation
Teams says is gone (403, 404), or one whose `serviceUrl` is not an allowed host, is not
retried.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import ClientResponseError, ClientSession

from bot.teams.feedback import remembering
from bot.teams.hosting import build_teams_coach, teams_outbound
from bot.teams.proactive import GONE_STATUSES
from bot.teams.turns import TeamsCoach, TeamsOrder, prepare, send_when_ready
from bot.wiring import Root
from config.settings import Settings

log = logging.getLogger(__name__)


class TeamsJobs:
    """What `teams_turn` jobs run on in one worker process."""

    def __init__(self, coach: TeamsCoach) -> None:
        self._coach = coach

    async def run(self, payload: str, *, resend: bool, can_retry: bool) -> dict[str, bool]:
        order = TeamsOrder.model_validate_json(payload)
        reference = order.inbound().get_conversation_reference()
        if not self._coach.outbound.service_hosts.allows(reference.service_url):
            log.warning("A queued Teams turn names a serviceUrl outside the allowed hosts")
            return {"answered": False}
        card = prepare(self._coach, order, resend=resend)
        try:
            remember = remembering(self._coach.feedback, order.key, str(reference.conversation.id))
            await send_when_ready(
                self._coach.outbound, reference, card, can_retry=can_retry, remember=remember
            )
        except ClientResponseError as error:
            if error.status not in GONE_STATUSES:
                raise
            log.warning("Teams answered %d for a queued turn's conversation", error.status)
            return {"answered": False}
        return {"answered": True}


@asynccontextmanager
async def open_teams_jobs(settings: Settings, root: Root) -> AsyncIterator[TeamsJobs]:
    """The worker's Teams side, on the root's services and conversation references."""
    outbound = teams_outbound(settings, root.references)
    async with ClientSession() as http:
        yield TeamsJobs(build_teams_coach(settings, root.services, outbound, http))

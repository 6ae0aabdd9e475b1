"""Commitments in Slack: the `/commitments` list, the buttons, and the App Home tab
(which also shows the trust self-assessment's trend).

Every change goes through `CoachService.set_commitment_status()` as the user who clicked,
so a rep can only ever change their own next steps, whoever can see the buttons.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import (
    HomeData,
    SlackMessage,
    action_status,
    build_commitments_messages,
    build_home_view,
    build_notice,
    build_resolved_blocks,
    build_status_notice,
)
from bot.slack.delivery import DELIVERY_ERRORS, Destination, webhook
from bot.slack.profiles import UserDirectory
from bot.slack.translate import ButtonPress, resolve_zone
from bot.slack.turns import friendly
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.service import CoachService
from coaching.types import CommitmentStatus

log = logging.getLogger(__name__)

NOT_YOURS = "That next step belongs to someone else, or it no longer exists."
HOME_STATUSES = (CommitmentStatus.OPEN, CommitmentStatus.SUGGESTED, CommitmentStatus.SNOOZED)


class CommitmentDesk:
    def __init__(
        self,
        service: CoachService,
        *,
        session: ClientSession,
        users: UserDirectory,
        default_tz: str | None,
    ) -> None:
        self._service = service
        self._session = session
        self._users = users
        self._default_tz = default_tz

    async def show(self, client: AsyncWebClient, who: UserRef, reply: Destination) -> None:
        """The answer to `/commitments`: open and snoozed next steps with their buttons."""
        try:
            items = await self._service.commitments(who)
            today = await self._today(client, who)
        except Exception as error:
            log.exception("Could not list commitments")
            await reply.send([build_notice(friendly(error))])
            return
        await reply.send(build_commitments_messages(items, today))

    async def publish_home(self, client: AsyncWebClient, who: UserRef) -> None:
        """Render the App Home tab for this user (views.publish)."""
        try:
            items = await self._service.commitments(who, HOME_STATUSES)
            history = await self._service.trust_history(who)
            data = HomeData(
                commitments=items,
                today=await self._today(client, who),
                # The service lists newest first; the tab reads left to right, oldest first.
                trust_trend=[assessment.scores.trust for assessment in reversed(history)],
            )
            view = build_home_view(data)
            await client.views_publish(user_id=who.user, view=view)
        except Exception:
            log.exception("Could not publish the App Home tab")

    async def press(self, client: AsyncWebClient, who: UserRef, press: ButtonPress) -> None:
        """Apply a button, then show the result where the button was."""
        try:
            changed = await self._service.set_commitment_status(
                who, press.commitment_id, action_status(press.action_id)
            )
        except CoachingError:
            await self._respond(press, build_notice(NOT_YOURS))
            return
        except Exception as error:
            log.exception("Could not change a commitment")
            await self._respond(press, build_notice(friendly(error)))
            return
        notice = build_status_notice(changed)
        if press.in_home:
            await self.publish_home(client, who)
        elif press.blocks:
            blocks = build_resolved_blocks([dict(b) for b in press.blocks], changed)
            await self._respond(press, SlackMessage(text=notice["text"], blocks=blocks), True)
        else:
            await self._respond(press, notice)

    async def _respond(
        self, press: ButtonPress, message: SlackMessage, replace: bool = False
    ) -> None:
        """Answer through the button's response_url: replace the message, or add a private note."""
        if press.response_url is None:
            return
        try:
            await webhook(press.response_url, self._session).send(
                text=message["text"],
                blocks=message["blocks"],
                replace_original=replace,
                response_type=None if replace else "ephemeral",
            )
        except DELIVERY_ERRORS:
            log.exception("Could not answer a commitment button")

    async def _today(self, client: AsyncWebClient, who: UserRef) -> date:
        profile = await self._users.lookup(client, tenant=who.tenant, user=who.user)
        return datetime.now(UTC).astimezone(resolve_zone(profile.tz, self._default_tz)).date()

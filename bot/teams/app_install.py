"""Proactive install: reach a rep or manager on a team who never wrote to the coach.

A bot can only write first into a conversation it has a reference for
(`bot.teams.proactive`), and a user who never opened the coach has none, so their reminders
and digests could never arrive. With `COACH_TEAMS_PROACTIVE_INSTALL` (off by default) and the
`TeamsAppInstallation.ReadWriteForUser.All` application permission granted, the delivery job
installs the app for such a user through Graph (`bot.teams.graph_apps`), stores the personal
chat that opens as their reference, and delivers. Only the delivering job does this, never
a request handler; only for users of the bot's own tenant (the token is that tenant's);
and never for a user whose reference went stale, since they removed or blocked the app.

The Graph token comes from the bot's own connection (`bot.teams.hosting.build_connections`),
the same MSAL credentials the connector token uses: client credentials against the
tenant's login endpoint, or the managed identity. Refusals are logged once per run, by
HTTP status; a 401 or 403 (the permission is not granted) stops installs for the rest of
the run, and leaves every stored reference as it was.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from aiohttp import ClientSession
from microsoft_agents.activity import ChannelAccount, ConversationAccount, ConversationReference
from microsoft_agents.hosting.core.authorization import Connections

from bot.teams.graph_apps import GraphApps, GraphRefused
from coaching.ports import UserRef
from coaching.types import Platform
from config.settings import Settings
from storage.references import SqlConversationReferences

log = logging.getLogger(__name__)

NOT_GRANTED = frozenset({401, 403})
_HINTS = {
    401: "the bot's credentials were not accepted",
    403: "grant TeamsAppInstallation.ReadWriteForUser.All (admin consent) to the bot's app",
    404: "no such user, or the app is not in the organisation's app catalog",
}


class ProactiveInstaller:
    """Installs the coach for users without a reference, for one delivery run."""

    def __init__(
        self,
        graph: GraphApps,
        references: SqlConversationReferences,
        *,
        tenant: str,
        app_id: str,
        service_url: str,
    ) -> None:
        self._graph = graph
        self._references = references
        self._tenant = tenant
        self._app_id = app_id
        self._service_url = service_url
        self._reported: set[str] = set()
        self._granted = True

    async def reach(self, who: UserRef) -> bool:
        """True when `who` now has a stored reference to their personal chat with the coach."""
        if who.platform is not Platform.TEAMS or who.tenant != self._tenant or not self._granted:
            return False
        try:
            chat_id = await self._graph.personal_chat(who.user)
        except GraphRefused as refused:
            self._granted = refused.status not in NOT_GRANTED
            self._report(f"HTTP {refused.status}", _HINTS.get(refused.status))
            return False
        except Exception as error:  # a failed token or network must not stop the delivery
            self._report(type(error).__name__, None)
            return False
        await self._references.save(who=who, reference=self._reference(who, chat_id))
        return True

    def _reference(self, who: UserRef, chat_id: str) -> dict[str, object]:
        reference = ConversationReference(
            channel_id="msteams",
            service_url=self._service_url,
            conversation=ConversationAccount(
                id=chat_id, conversation_type="personal", tenant_id=self._tenant
            ),
            bot=ChannelAccount(id=f"28:{self._app_id}"),
            user=ChannelAccount(id=who.user, aad_object_id=who.user),
        )
        return reference.model_dump(mode="json", by_alias=True, exclude_none=True)

    def _report(self, what: str, hint: str | None) -> None:
        if what in self._reported:
            return
        self._reported.add(what)
        log.warning("Proactive Teams install failed: %s%s", what, f" ({hint})" if hint else "")


@asynccontextmanager
async def open_installer(
    settings: Settings, connections: Connections, references: SqlConversationReferences
) -> AsyncIterator[ProactiveInstaller | None]:
    """The installer for one delivery run; None (and no Graph call) unless it is switched on."""
    tenant, app_id, catalog = (
        settings.teams.tenant_id,
        settings.teams.client_id,
        settings.teams.catalog_app_id,
    )
    if not settings.teams.proactive_install or not (tenant and app_id and catalog):
        yield None
        return
    graph_url = settings.teams.graph_url.rstrip("/")
    parts = urlsplit(graph_url)
    resource = f"{parts.scheme}://{parts.netloc}"
    connection = connections.get_default_connection()

    async def token() -> str:
        return await connection.get_access_token(resource, [f"{resource}/.default"])

    async with ClientSession() as http:
        graph = GraphApps(http=http, graph_url=graph_url, catalog_app_id=catalog, token=token)
        yield ProactiveInstaller(
            graph,
            references,
            tenant=tenant,
            app_id=app_id,
            service_url=settings.teams.install_service_url,
        )

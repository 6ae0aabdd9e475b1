"""Microsoft Graph: install the coach for one user and find the personal chat it opens.

The calls of Microsoft's proactive-install recipe
(learn.microsoft.com: teams/platform/graph-api/proactive-bots-and-messages/
graph-proactive-bots-and-messages):
`POST /users/{id}/teamwork/installedApps` with `teamsApp@odata.bind` (201 Created, or 409
Conflict when the app is already there), then the installation via
`GET /users/{id}/teamwork/installedApps?$expand=teamsApp&$filter=teamsApp/id eq '{app}'`
and its chat via `GET .../installedApps/{installation}/chat`. Graph throttles with 429
(or 503) and a `Retry-After` in seconds; those are retried a few times, waiting as told.
Any other refusal raises `GraphRefused` with the status only: Graph's error bodies name
users and tenants, and nothing here logs a body or the token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import ClientSession, ClientTimeout

THROTTLED = frozenset({429, 503})
MAX_ATTEMPTS = 3
# A Retry-After longer than this is not waited for inside a delivery job.
MAX_RETRY_AFTER_SECONDS = 30.0
_TIMEOUT = ClientTimeout(total=20)

TokenSource = Callable[[], Awaitable[str]]


class GraphRefused(Exception):
    """Graph answered `status` (403: permission not granted, 404: no such user, ...)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"Microsoft Graph answered HTTP {status}")
        self.status = status


@dataclass(frozen=True)
class GraphApps:
    """Graph on behalf of the bot's app registration, for one catalog app."""

    http: ClientSession
    graph_url: str
    catalog_app_id: str
    token: TokenSource

    async def personal_chat(self, user: str) -> str:
        """The id of the user's chat with the coach, installing the app first if needed."""
        installed = f"{self._user(user)}/teamwork/installedApps"
        bind = {"teamsApp@odata.bind": f"{self.graph_url}/appCatalogs/teamsApps/{self._app}"}
        await self._call("POST", installed, json=bind, ok=frozenset({201, 409}))
        query = {"$expand": "teamsApp", "$filter": f"teamsApp/id eq '{self.catalog_app_id}'"}
        found = await self._call("GET", installed, params=query)
        installations = found.get("value") if isinstance(found, dict) else None
        if not isinstance(installations, list) or not installations:
            raise GraphRefused(404)
        installation = quote(str(installations[0].get("id", "")), safe="")
        chat = await self._call("GET", f"{installed}/{installation}/chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if not isinstance(chat_id, str) or not chat_id:
            raise GraphRefused(404)
        return chat_id

    @property
    def _app(self) -> str:
        return quote(self.catalog_app_id, safe="")

    def _user(self, user: str) -> str:
        return f"{self.graph_url}/users/{quote(user, safe='')}"

    async def _call(
        self,
        method: str,
        url: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        ok: frozenset[int] = frozenset({200}),
    ) -> Any:
        """The JSON body of the first answer in `ok`; throttling is waited out and retried."""
        attempt = 1
        while True:
            headers = {"Authorization": f"Bearer {await self.token()}"}
            async with self.http.request(
                method, url, json=json, params=params, headers=headers, timeout=_TIMEOUT
            ) as response:
                if response.status in ok:
                    text = await response.text()
                    return await response.json(content_type=None) if text.strip() else None
                wait = _retry_after(response.headers.get("Retry-After"))
                if response.status not in THROTTLED or attempt == MAX_ATTEMPTS or wait is None:
                    raise GraphRefused(response.status)
            attempt += 1
            await asyncio.sleep(wait)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait before retrying; None when it is missing or too long to wait."""
    try:
        seconds = float(value) if value is not None else 1.0
    except ValueError:
        return None
    return max(seconds, 0.0) if seconds <= MAX_RETRY_AFTER_SECONDS else None

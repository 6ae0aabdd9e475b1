"""A loopback stand-in for Microsoft Graph's Teams app installation API, and its token.

It answers the calls of the proactive-install recipe
(https://learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages)
in Graph's shapes: `POST /v1.0/users/{id}/teamwork/installedApps` (201 Created, 409 Conflict
when already installed), the filtered `GET` of the installations with `$expand=teamsApp`,
and `GET .../installedApps/{id}/chat`; a user can be made to answer 429 with a
`Retry-After` first, and the whole tenant 403 (the permission not granted). Every call
needs the bearer token handed out at the App Service managed-identity endpoint
(https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference),
which MSAL calls when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` point here: with a client
secret MSAL only talks HTTPS to Entra ID, so the tests use that flavour of the same
connection.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve_on_loopback

CATALOG_APP_ID = "7c1e0b3a-5d2f-4e8a-9b6c-1a2b3c4d5e6f"
IDENTITY_HEADER = "loopback-graph-identity-header"
GRAPH_TOKEN = "loopback-graph-token"


@dataclass(frozen=True)
class Call:
    """One Graph request the coach made (the token requests are in `token_requests`)."""

    method: str
    path: str
    query: dict[str, str]


class FakeGraph:
    """Start with `async with FakeGraph() as graph:`; set `graph.url` as COACH_GRAPH_URL."""

    def __init__(self) -> None:
        self.users: set[str] = set()
        self.installed: set[str] = set()
        self.granted = True
        self.throttled: dict[str, deque[str]] = {}
        self.calls: list[Call] = []
        self.token_requests: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/v1.0"

    @property
    def identity_endpoint(self) -> str:
        return f"{self.base_url}/msi/token"

    def chat_of(self, user: str) -> str:
        """The personal chat id Graph reports for the user's installation of the coach."""
        return f"19:{user}_coach@unq.gbl.spaces"

    def throttle(self, user: str, retry_after: str) -> None:
        """Answer the user's next install request 429 with this `Retry-After`."""
        self.throttled.setdefault(user, deque()).append(retry_after)

    def installs(self) -> list[str]:
        """The users an install was requested for, in order (retries included)."""
        return [call.path.split("/")[3] for call in self.calls if call.method == "POST"]

    async def __aenter__(self) -> FakeGraph:
        app = web.Application()
        base = "/v1.0/users/{user}/teamwork/installedApps"
        app.router.add_get("/msi/token", self._token)
        app.router.add_post(base, self._install)
        app.router.add_get(base, self._installations)
        app.router.add_get(base + "/{installation}/chat", self._chat)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _token(self, request: web.Request) -> web.Response:
        if request.headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
            return web.json_response({"statusCode": 401, "message": "bad header"}, status=401)
        self.token_requests.append(dict(request.query))
        return web.json_response(
            {
                "access_token": GRAPH_TOKEN,
                "expires_on": str(int(time.time()) + 3600),
                "resource": request.query.get("resource", ""),
                "token_type": "Bearer",
            }
        )

    def _refusal(self, request: web.Request) -> web.Response | None:
        """Graph's error for this request, if it has one (the body names what Graph saw)."""
        self.calls.append(Call(request.method, request.path, dict(request.query)))
        if request.headers.get("Authorization") != f"Bearer {GRAPH_TOKEN}":
            return _error(401, "InvalidAuthenticationToken")
        if not self.granted:
            return _error(
                403, "Forbidden", "Missing role TeamsAppInstallation.ReadWriteForUser.All"
            )
        if request.match_info["user"] not in self.users:
            return _error(404, "NotFound", f"User {request.match_info['user']} not found")
        return None

    async def _install(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        user = request.match_info["user"]
        waits = self.throttled.get(user)
        if waits:
            return _error(429, "TooManyRequests", headers={"Retry-After": waits.popleft()})
        body: dict[str, Any] = await request.json()
        if body.get("teamsApp@odata.bind") != f"{self.url}/appCatalogs/teamsApps/{CATALOG_APP_ID}":
            return _error(404, "NotFound", "No such app in the catalog")
        if user in self.installed:
            return _error(409, "Conflict", "App is already installed for this user")
        self.installed.add(user)
        return web.Response(status=201)

    async def _installations(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        user = request.match_info["user"]
        wanted = request.query.get("$filter") == f"teamsApp/id eq '{CATALOG_APP_ID}'"
        value = []
        if wanted and user in self.installed and request.query.get("$expand") == "teamsApp":
            value.append(
                {
                    "id": f"installation-{user}",
                    "teamsApp": {
                        "id": CATALOG_APP_ID,
                        "externalId": "6f1d2c3b-4a59-4e7d-8c21-0b9a8f7e6d5c",
                        "displayName": "salescoach",
                        "distributionMethod": "organization",
                    },
                }
            )
        return web.json_response({"@odata.context": "installedApps", "value": value})

    async def _chat(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        user = request.match_info["user"]
        if request.match_info["installation"] != f"installation-{user}":
            return _error(404, "NotFound", "No such installation")
        return web.json_response({"id": self.chat_of(user), "chatType": "oneOnOne", "topic": None})


def _error(
    status: int, code: str, message: str = "", *, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"code": code, "message": message or code, "innerError": {}}}
    return web.json_response(body, status=status, headers=headers)

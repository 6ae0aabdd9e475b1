"""A loopback stand-in for HubSpot's CRM v3 deal search and owners list.

It speaks the shapes of the real API, so the real `hubspot-api-client` is exercised end to
end: `POST /crm/v3/objects/deals/search` with `filterGroups` (GTE on a property), `sorts`,
`properties`, `limit` and `after`, answering `{"total", "results", "paging": {"next":
{"after", "link"}}}` and refusing to page past 10,000 results as HubSpot does; `GET
/crm/v3/owners/` with `limit` and `after`; a bearer token checked on every call (401 with
HubSpot's error body when missing, wrong or expired). Tests script what the next search
gets (a 429 with Retry-After, a 500) and read back every request. It runs its own event
loop in a thread, so subprocess tests (the `coach` CLI) can talk to it too. Any other
method or path is a 404, and a write would be recorded, so a test can prove none is made.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakes.loopback import ThreadedStandIn

SEARCH_PATH = "/crm/v3/objects/deals/search"
OWNERS_PATH = "/crm/v3/owners/"
SEARCH_DEPTH = 10_000
_EXPIRED = "The OAuth token used to make this call expired 3 hour(s) ago."
_MISSING = "Authentication credentials not found. This API supports OAuth 2.0 authentication."


@dataclass
class Scripted:
    """What one search request gets instead of results: a status, headers and a message."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "scripted failure"


@dataclass
class Seen:
    method: str
    path: str
    authorization: str | None
    body: dict[str, Any] | None


def hubspot_time(at: datetime) -> str:
    """A timestamp as HubSpot writes it: UTC, milliseconds, "Z"."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


class FakeHubSpot(ThreadedStandIn):
    def __init__(self, token: str = "pat-na1-test") -> None:
        super().__init__()
        self.token = token
        self.expired = False
        self.deals: dict[str, dict[str, str | None]] = {}
        self.owners: list[dict[str, Any]] = []
        self.script: deque[Scripted | None] = deque()
        self.requests: list[Seen] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_owner(self, owner_id: str, email: str) -> None:
        stamp = "2025-01-01T00:00:00.000Z"
        self.owners.append(
            {
                "id": owner_id,
                "email": email,
                "type": "PERSON",
                "firstName": "",
                "lastName": "",
                "userId": int(owner_id),
                "createdAt": stamp,
                "updatedAt": stamp,
                "archived": False,
            }
        )

    def put_deal(self, deal_id: str, **properties: str | None) -> None:
        """Create or replace a deal; `hs_lastmodifieddate` and `createdate` are required."""
        self.deals[deal_id] = {"hs_object_id": deal_id, **properties}

    def searches(self) -> list[Seen]:
        return [seen for seen in self.requests if seen.path == SEARCH_PATH]

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        app.router.add_post(SEARCH_PATH, self._search)
        app.router.add_get(OWNERS_PATH, self._owners)
        return app

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        auth = request.headers.get("Authorization")
        self.requests.append(Seen(request.method, request.path, auth, body))
        if auth != f"Bearer {self.token}" or self.expired:
            return _error(401, _EXPIRED if self.expired else _MISSING, "EXPIRED_AUTHENTICATION")
        return await handler(request)

    async def _search(self, request: web.Request) -> web.Response:
        scripted = self.script.popleft() if self.script else None
        if scripted is not None:
            return _error(scripted.status, scripted.message, "RATE_LIMITS", scripted.headers)
        body = await request.json()
        after = int(body.get("after") or 0)
        limit = min(int(body.get("limit") or 10), 200)
        if after + limit > SEARCH_DEPTH:
            return _error(400, "Search results are limited to 10,000 records.", "VALIDATION")
        matching = sorted(
            (d for d in self.deals.values() if _matches(d, body.get("filterGroups") or [])),
            key=lambda d: (_millis(d.get("hs_lastmodifieddate")), int(d["hs_object_id"] or 0)),
        )
        wanted = set(body.get("properties") or [])
        page = [_object(d, wanted) for d in matching[after : after + limit]]
        answer: dict[str, Any] = {"total": len(matching), "results": page}
        if after + limit < len(matching):
            nxt = str(after + limit)
            answer["paging"] = {"next": {"after": nxt, "link": f"?after={nxt}"}}
        return web.json_response(answer)

    async def _owners(self, request: web.Request) -> web.Response:
        after = int(request.query.get("after") or 0)
        limit = int(request.query.get("limit") or 100)
        answer: dict[str, Any] = {"results": self.owners[after : after + limit]}
        if after + limit < len(self.owners):
            answer["paging"] = {"next": {"after": str(after + limit)}}
        return web.json_response(answer)


def _matches(deal: dict[str, str | None], groups: list[dict[str, Any]]) -> bool:
    """HubSpot's rule: any group matches when all its filters do (only GTE on times here)."""
    if not groups:
        return True
    return any(
        all(
            f["operator"] == "GTE" and _millis(deal.get(f["propertyName"])) >= int(f["value"])
            for f in group.get("filters") or []
        )
        for group in groups
    )


def _millis(value: str | None) -> int:
    if not value:
        return 0
    return int(datetime.fromisoformat(value).timestamp() * 1000)


def _object(deal: dict[str, str | None], wanted: set[str]) -> dict[str, Any]:
    properties = {name: deal.get(name) for name in wanted | {"hs_object_id"}}
    return {
        "id": deal["hs_object_id"],
        "properties": properties,
        "createdAt": deal.get("createdate"),
        "updatedAt": deal.get("hs_lastmodifieddate"),
        "archived": False,
    }


def _error(
    status: int, message: str, category: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {
        "status": "error",
        "message": message,
        "correlationId": "00000000-0000-4000-8000-000000000000",
        "category": category,
    }
    return web.json_response(body, status=status, headers=headers)

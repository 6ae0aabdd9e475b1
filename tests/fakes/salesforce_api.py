"""A loopback stand-in for the Salesforce REST API: OAuth token, SOQL query and queryMore.

It speaks the real shapes over HTTPS (`tests.fakes.tls`), so the real `simple-salesforce`
client is exercised end to end:

- `POST /services/oauth2/token` with the client credentials flow (`grant_type=
  client_credentials`, the connected app's key and secret in the form or as HTTP Basic),
  answering `access_token`, `instance_url`, `token_type`, `issued_at`; a wrong secret is
  400 `invalid_client`, as Salesforce answers it.
- `GET /services/data/vXX.X/query/?q=SOQL` for Opportunities, filtered by
  `SystemModstamp >= <datetime>` and ordered by `SystemModstamp, Id`, in batches of 2,000
  (or the `Sforce-Query-Options: batchSize=N` header), with `done` and `nextRecordsUrl`;
  `GET /services/data/vXX.X/query/<locator>-<offset>` for the next batch. The locator
  holds the ids matched when the query ran, as Salesforce's does.
- A bearer token checked on every call: an unknown or expired one is 401 `[{"message":
  "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]`.

Tests script what the next query gets (a 403 `REQUEST_LIMIT_EXCEEDED`, a 429 with
Retry-After, a 500, an HTML page with status 200) and read back every request. Any other
method or path is a 404 and is recorded, so a test can prove the sync never writes.
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.fakes.loopback import ThreadedStandIn
from tests.fakes.tls import loopback_tls

TOKEN_PATH = "/services/oauth2/token"
_SINCE = re.compile(r"SystemModstamp\s*>=\s*(\S+)")
_SELECT = re.compile(r"^SELECT\s+(.+?)\s+FROM\s+Opportunity\b", re.IGNORECASE)
DEFAULT_BATCH = 2000


@dataclass
class Scripted:
    """What one query request gets instead of records: a status, error code and headers."""

    status: int
    error_code: str = "UNKNOWN_EXCEPTION"
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    authorization: str | None
    query: str | None
    form: dict[str, str] = field(default_factory=dict)


def salesforce_time(at: datetime) -> str:
    """A datetime as Salesforce's REST API writes it: UTC, milliseconds, "+0000"."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


class FakeSalesforce(ThreadedStandIn):
    def __init__(self, client_id: str = "3MVG9-test-key", secret: str = "test-secret") -> None:
        super().__init__()
        self.client_id = client_id
        self.secret = secret
        self._folder = Path(tempfile.mkdtemp(prefix="fake-salesforce-"))
        tls = loopback_tls(self._folder)
        self.tls = tls.server
        self.ca_file = tls.ca_file
        self.owners: dict[str, str] = {}
        self.opportunities: dict[str, dict[str, Any]] = {}
        self.script: deque[Scripted | None] = deque()
        self.requests: list[Seen] = []
        self.tokens_issued = 0
        # True: every token is dead on arrival, as with a session policy that never lets one live.
        self.tokens_expire_at_once = False
        self._live_tokens: set[str] = set()
        self._locators: dict[str, tuple[list[str], int, list[str]]] = {}
        self._serial = count(1)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """What `coach` needs to sync from this stand-in (and to trust its certificate)."""
        return {
            "COACH_SALESFORCE_URL": self.url,
            "COACH_SALESFORCE_CLIENT_ID": self.client_id,
            "COACH_SALESFORCE_CLIENT_SECRET": self.secret,
            "REQUESTS_CA_BUNDLE": str(self.ca_file),
        }

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def add_owner(self, user_id: str, email: str) -> None:
        self.owners[user_id] = email

    def put_opportunity(self, record_id: str, **fields: Any) -> None:
        """Create or replace an Opportunity; `SystemModstamp` and `OwnerId` are required."""
        self.opportunities[record_id] = {"Id": record_id, **fields}

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working, as when a session times out."""
        self._live_tokens.clear()

    def queries(self) -> list[Seen]:
        return [seen for seen in self.requests if seen.path != TOKEN_PATH]

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        app.router.add_post(TOKEN_PATH, self._token)
        app.router.add_get("/services/data/{version}/query/", self._query)
        app.router.add_get("/services/data/{version}/query", self._query)
        app.router.add_get("/services/data/{version}/query/{locator}", self._query_more)
        return app

    @web.middleware
    async def _record(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        form = {k: str(v) for k, v in (await request.post()).items()}
        auth = request.headers.get("Authorization")
        self.requests.append(Seen(request.method, request.path, auth, request.query.get("q"), form))
        if request.path != TOKEN_PATH:
            token = (auth or "").removeprefix("Bearer ")
            if token not in self._live_tokens:
                return _errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
        return await handler(request)

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        key, secret = str(form.get("client_id") or ""), str(form.get("client_secret") or "")
        basic = request.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            key, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if form.get("grant_type") != "client_credentials":
            return _oauth_error("unsupported_grant_type", "grant type not supported")
        if (key, secret) != (self.client_id, self.secret):
            return _oauth_error("invalid_client", "invalid client credentials")
        self.tokens_issued += 1
        token = f"00DTEST!token-{self.tokens_issued}"
        if not self.tokens_expire_at_once:
            self._live_tokens.add(token)
        return web.json_response(
            {
                "access_token": token,
                "signature": "c2lnbmF0dXJl",
                "scope": "api",
                "instance_url": self.url,
                "id": f"{self.url}/id/00DTEST/005TEST",
                "token_type": "Bearer",
                "issued_at": "1767603600000",
            }
        )

    async def _query(self, request: web.Request) -> web.Response:
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        soql = request.query.get("q", "")
        since = _SINCE.search(soql)
        floor = _parse(since.group(1)) if since else None
        ids = [
            record["Id"]
            for record in sorted(
                self.opportunities.values(),
                key=lambda r: (_parse(r["SystemModstamp"]), r["Id"]),
            )
            if floor is None or _parse(record["SystemModstamp"]) >= floor
        ]
        selected = _SELECT.match(soql)
        if selected is None:
            return _errors(400, "MALFORMED_QUERY", "unexpected token")
        locator = f"01g{next(self._serial):015d}"
        fields = [name.strip() for name in selected.group(1).split(",")]
        self._locators[locator] = (ids, _batch_size(request), fields)
        return self._batch(request.match_info["version"], locator, 0)

    async def _query_more(self, request: web.Request) -> web.Response:
        scripted = self._scripted()
        if scripted is not None:
            return scripted
        locator, _, offset = request.match_info["locator"].partition("-")
        if locator not in self._locators or not offset.isdigit():
            return _errors(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self._batch(request.match_info["version"], locator, int(offset))

    def _batch(self, version: str, locator: str, offset: int) -> web.Response:
        ids, size, fields = self._locators[locator]
        chunk = ids[offset : offset + size]
        records = [self._record_json(version, self.opportunities[i], fields) for i in chunk]
        answer: dict[str, Any] = {
            "totalSize": len(ids),
            "done": offset + size >= len(ids),
            "records": records,
        }
        if not answer["done"]:
            answer["nextRecordsUrl"] = f"/services/data/{version}/query/{locator}-{offset + size}"
        return web.json_response(answer)

    def _record_json(
        self, version: str, record: dict[str, Any], fields: list[str]
    ) -> dict[str, Any]:
        """The selected fields; `Owner.Email` as Salesforce nests a relationship."""
        url = f"/services/data/{version}/sobjects/Opportunity/{record['Id']}"
        answer: dict[str, Any] = {"attributes": {"type": "Opportunity", "url": url}}
        for name in fields:
            if name == "Owner.Email":
                answer["Owner"] = self._owner(version, record.get("OwnerId"))
            else:
                answer[name] = record.get(name)
        return answer

    def _owner(self, version: str, owner_id: str | None) -> dict[str, Any] | None:
        if owner_id not in self.owners:
            return None
        url = f"/services/data/{version}/sobjects/User/{owner_id}"
        return {"attributes": {"type": "User", "url": url}, "Email": self.owners[owner_id]}

    def _scripted(self) -> web.Response | None:
        scripted = self.script.popleft() if self.script else None
        if scripted is None:
            return None
        if scripted.status == 200:  # a proxy's or captive portal's page, not Salesforce's
            return web.Response(text=f"<html>{scripted.message}</html>", content_type="text/html")
        return _errors(scripted.status, scripted.error_code, scripted.message, scripted.headers)


def _batch_size(request: web.Request) -> int:
    options = request.headers.get("Sforce-Query-Options", "")
    match = re.search(r"batchSize=(\d+)", options)
    return min(max(int(match.group(1)), 200), 2000) if match else DEFAULT_BATCH


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _errors(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    """Salesforce's REST error body: a list of {message, errorCode}."""
    return web.json_response(
        [{"message": message, "errorCode": code}], status=status, headers=headers
    )


def _oauth_error(error: str, description: str) -> web.Response:
    return web.json_response({"error": error, "error_description": description}, status=400)

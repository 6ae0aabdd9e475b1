"""A loopback stand-in for the Bot Framework connector service at an activity's `serviceUrl`.

The bot under test posts its replies here over real HTTP, exactly as it would to Teams
(https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference):
`POST /v3/conversations/{id}/activities` (send to conversation) and
`POST /v3/conversations/{id}/activities/{replyToId}` (reply to an activity), which also
carry a streamed reply's informative updates and its final message (each names the stream
in a `streaminfo` entity). Every post is recorded with its Authorization header; a
conversation can be made to answer an error status (403 for an uninstalled app); and files
(or redirects) can be hosted for attachment downloads, each request for them recorded.

The invokes Teams itself posts to the bot for the message extension are built here too,
in the shapes its documentation gives
(https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/create-task-module):
`composeExtension/fetchTask` with the picked message in `messagePayload`, and
`composeExtension/submitAction` with the command's parameters in `data`.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.loopback import serve_on_loopback


@dataclass(frozen=True)
class Posted:
    """One activity the bot sent."""

    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str | None
    # The id this stand-in gave the activity, as Teams answers a post with one.
    id: str = ""
    # When it arrived (`time.perf_counter()`), for benchmarks timing answers end to end.
    at: float = 0.0

    @property
    def type(self) -> str:
        return str(self.activity.get("type"))

    @property
    def text(self) -> str:
        return str(self.activity.get("text") or "")

    @property
    def stream(self) -> dict[str, Any] | None:
        """The `streaminfo` entity of a streamed reply's update or final message."""
        for entity in self.activity.get("entities") or []:
            if entity.get("type") == "streaminfo":
                info: dict[str, Any] = entity
                return info
        return None

    @property
    def card(self) -> dict[str, Any] | None:
        """The first Adaptive Card attached, if any."""
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                content: dict[str, Any] = attachment["content"]
                return content
        return None


def fetch_task(
    activity: dict[str, Any], command_id: str, message_html: str, *, sent_by: str = "Lena Buyer"
) -> dict[str, Any]:
    """`activity` turned into the invoke a rep's message action sends, for a message whose
    body (`contentType: html`) is `message_html`."""
    return _invoke(
        activity,
        "composeExtension/fetchTask",
        {
            "commandId": command_id,
            "commandContext": "message",
            "context": {"theme": "default"},
            "messagePayload": {
                "id": "1700000000001",
                "createdDateTime": "2026-11-18T07:59:00.000Z",
                "importance": "normal",
                "locale": "en-us",
                "from": {"user": {"id": "aad-lena", "displayName": sent_by}},
                "body": {"contentType": "html", "content": message_html},
                "attachments": [],
                "mentions": [],
                "reactions": [],
            },
        },
    )


def submit_action(
    activity: dict[str, Any], command_id: str, data: dict[str, Any], *, context: str = "compose"
) -> dict[str, Any]:
    """`activity` turned into the invoke a command's static parameters are submitted with."""
    return _invoke(
        activity,
        "composeExtension/submitAction",
        {
            "commandId": command_id,
            "commandContext": context,
            "context": {"theme": "default"},
            "data": data,
        },
    )


def _invoke(activity: dict[str, Any], name: str, value: dict[str, Any]) -> dict[str, Any]:
    body = {key: item for key, item in activity.items() if key != "text"}
    body.update(type="invoke", name=name, value=value)
    return body


class FakeConnector:
    """Start with `async with FakeConnector() as connector:`; point activities at
    `connector.service_url`."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.refusals: dict[str, int] = {}
        self.refused: list[str] = []
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.fetched: list[str] = []
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Condition()
        self.port = 0

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def refuse(self, conversation_id: str, status: int) -> None:
        """Answer every post into this conversation with `status` from now on (until
        `accept`); refused attempts are counted in `refused`."""
        self.refusals[conversation_id] = status

    def accept(self, conversation_id: str) -> None:
        self.refusals.pop(conversation_id, None)

    def host_file(self, name: str, content: bytes) -> str:
        """Serve `content`; the URL to put in an attachment."""
        self.files[name] = content
        return f"{self.service_url}files/{name}"

    def host_redirect(self, name: str, location: str) -> str:
        """Answer requests for `name` with a 302 to `location`; the URL to attach."""
        self.redirects[name] = location
        return f"{self.service_url}files/{name}"

    def messages(self) -> list[Posted]:
        return [p for p in self.posted if p.type == "message"]

    def typing(self) -> list[Posted]:
        return [p for p in self.posted if p.type == "typing"]

    def informative(self) -> list[Posted]:
        """The informative updates of streamed replies, in the order they arrived."""
        return [
            p for p in self.typing() if p.stream and p.stream.get("streamType") == "informative"
        ]

    async def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[Posted]:
        """The first `count` messages, waiting for ones that are sent proactively later."""
        async with self._arrived:
            await asyncio.wait_for(
                self._arrived.wait_for(lambda: len(self.messages()) >= count), timeout
            )
        return self.messages()[:count]

    async def __aenter__(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_get("/files/{name}", self._file)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _post(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        refusal = self.refusals.get(conversation)
        if refusal is not None:
            self.refused.append(conversation)
            return web.json_response({"error": {"code": "Forbidden"}}, status=refusal)
        body = await request.json()
        async with self._arrived:
            posted = Posted(
                conversation_id=conversation,
                reply_to_id=request.match_info.get("reply_to"),
                activity=body,
                authorization=request.headers.get("Authorization"),
                # A stream's later posts answer with the stream's id: it is one message.
                id=_stream_id(body) or f"posted-{len(self.posted) + 1}",
                at=time.perf_counter(),
            )
            self.posted.append(posted)
            self._arrived.notify_all()
        return web.json_response({"id": posted.id})

    async def _file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.fetched.append(name)
        if name in self.redirects:
            raise web.HTTPFound(self.redirects[name])
        content = self.files.get(name)
        if content is None:
            raise web.HTTPNotFound
        return web.Response(body=content, content_type="application/octet-stream")


def _stream_id(activity: dict[str, Any]) -> str | None:
    for entity in activity.get("entities") or []:
        if entity.get("type") == "streaminfo" and entity.get("streamId"):
            return str(entity["streamId"])
    return None

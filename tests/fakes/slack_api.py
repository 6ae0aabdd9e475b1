"""A loopback stand-in for the Slack Web API, as bolt-python's own tests use one.

A real aiohttp server on 127.0.0.1 answers the Web API methods the adapter calls
(`/api/<method>`), serves private file downloads (`/files/<id>`, bot token required),
receives `response_url` posts (`/respond/<name>`) and speaks Socket Mode (`/socket`). Every
request is recorded, so tests assert on what the adapter really sent over HTTP. Tests queue
failures (a 429 with Retry-After, an API error) with `fail_next()`. Streamed messages
(`chat.startStream`, `appendStream`, `stopStream`) keep their state as Slack does: a stream
that was stopped takes no more chunks and cannot be stopped again.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import serve_on_loopback

TEAM_ID = "T0ACME"
BOT_USER_ID = "UCOACH"
BOT_ID = "BCOACH"
BOT_TOKEN = "xoxb-test-token"
INSTALLED_TOKEN = "xoxb-installed-token"
INSTALLED_TEAM_ID = "T0BETA"


@dataclass
class Call:
    """One request the adapter made: which method, with which arguments and token."""

    method: str
    params: dict[str, Any]
    token: str | None = None
    # When it arrived (`time.perf_counter()`), for benchmarks timing answers end to end.
    at: float = field(default_factory=time.perf_counter)


@dataclass
class Stream:
    """One streamed message: the chunks it received, in order, and the blocks it ended with."""

    thread_ts: str
    chunks: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    stopped: bool = False

    def titles(self, status: str) -> list[str]:
        """The tasks that reached `status`, in the order they first did."""
        seen = [c["title"] for c in self.chunks if c.get("status") == status]
        return list(dict.fromkeys(seen))


STREAM_METHODS = ("chat.startStream", "chat.appendStream", "chat.stopStream")


@dataclass
class Failure:
    status: int = 429
    retry_after: int = 0
    error: str | None = None


@dataclass
class SharedFile:
    name: str
    content: bytes
    filetype: str = "text"
    mimetype: str = "text/plain"


@dataclass
class FakeSlackApi:
    calls: list[Call] = field(default_factory=list)
    files: dict[str, SharedFile] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    socket_acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    _failures: dict[str, deque[Failure]] = field(default_factory=lambda: defaultdict(deque))
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _socket_open: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    # False: a workspace without the assistant view (a free plan), whose token has no
    # assistant:write, so every assistant.threads.* call is refused, and streaming too.
    assistant_view: bool = True
    # False: a workspace with the view that still refuses the streaming methods.
    streaming: bool = True
    # Every stream started, by its ts.
    streams: dict[str, Stream] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/respond/{name}"

    async def start(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/files/{file_id}", self._download)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/socket", self._socket_endpoint)
        self._runner, self.port = await serve_on_loopback(app)
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(self, method: str, failure: Failure) -> None:
        self._failures[method].append(failure)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def share(self, file_id: str, shared: SharedFile) -> None:
        self.files[file_id] = shared

    async def push_envelope(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app (waits for it to connect)."""
        await asyncio.wait_for(self._socket_open.wait(), 10)
        assert self._socket is not None
        await self._socket.send_str(json.dumps(envelope))

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params, _bearer(request)))
        queued = self._failures[method]
        if queued:
            return _failure(queued.popleft())
        if method.startswith("assistant.threads.") and not self.assistant_view:
            return web.json_response({"ok": False, "error": "missing_scope"})
        if method in STREAM_METHODS:
            return web.json_response(self._stream(method, params))
        answer = self._answer(method, params, _bearer(request))
        return web.json_response({"ok": True, **answer})

    def _stream(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """chat.startStream opens a message; appendStream and stopStream need it open
        (https://docs.slack.dev/reference/methods/chat.stopStream)."""
        if not (self.assistant_view and self.streaming):
            return {"ok": False, "error": "feature_not_enabled"}
        if method == "chat.startStream":
            if not params.get("thread_ts"):
                return {"ok": False, "error": "invalid_arguments"}
            ts = self._posted(params)["ts"]
            self.streams[ts] = Stream(thread_ts=str(params["thread_ts"]))
        else:
            ts = str(params.get("ts"))
            stream = self.streams.get(ts)
            if stream is None or stream.stopped:
                return {"ok": False, "error": "message_not_in_streaming_state"}
        stream = self.streams[ts]
        stream.chunks.extend(params.get("chunks") or ())
        if method == "chat.stopStream":
            stream.stopped = True
            stream.blocks = list(params.get("blocks") or ())
        return {"ok": True, "channel": params.get("channel"), "ts": ts}

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> dict[str, Any]:
        answers: dict[str, Callable[[], dict[str, Any]]] = {
            "auth.test": lambda: _auth_test(token),
            "chat.postMessage": lambda: self._posted(params),
            "chat.update": lambda: self._posted(params),
            "chat.postEphemeral": lambda: {"message_ts": self._posted(params)["ts"]},
            # The assistant view's thread calls answer a bare ok
            # (https://docs.slack.dev/reference/methods/assistant.threads.setStatus).
            "assistant.threads.setStatus": dict,
            "assistant.threads.setTitle": dict,
            "assistant.threads.setSuggestedPrompts": dict,
            "users.info": lambda: {
                "user": self.users.get(params["user"], _default_user(params["user"]))
            },
            "files.info": lambda: self._file_info(params["file"]),
            "oauth.v2.access": lambda: _installation(params),
            "apps.connections.open": lambda: {"url": f"ws://127.0.0.1:{self.port}/socket"},
        }
        return answers.get(method, dict)()

    def _posted(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = params.get("ts") or f"1800000000.{next(self._ts):06d}"
        return {"channel": params.get("channel"), "ts": ts, "message": {"text": ""}}

    def _file_info(self, file_id: str) -> dict[str, Any]:
        shared = self.files[file_id]
        return {
            "file": {
                "id": file_id,
                "name": shared.name,
                "filetype": shared.filetype,
                "mimetype": shared.mimetype,
                "size": len(shared.content),
                "url_private": f"{self.base}/files/{file_id}",
                "url_private_download": f"{self.base}/files/{file_id}?download=1",
            }
        }

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        token = _bearer(request)
        self.calls.append(Call("download", {"file": file_id}, token))
        if token is None or file_id not in self.files:
            # What Slack does without a valid token: its sign-in page, with status 200.
            return web.Response(text="<html>Sign in</html>", content_type="text/html")
        shared = self.files[file_id]
        return web.Response(body=shared.content, content_type=shared.mimetype)

    async def _respond(self, request: web.Request) -> web.Response:
        self.calls.append(
            Call("response_url", {"name": request.match_info["name"], **await request.json()})
        )
        queued = self._failures["response_url"]
        if queued:
            return _failure(queued.popleft())
        return web.Response(text="ok")

    async def _socket_endpoint(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self._socket_open.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.socket_acks.put(json.loads(message.data))
        return socket


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        params.update(await request.post())
    return params


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ") if header.startswith("Bearer ") else None


def _failure(failure: Failure) -> web.Response:
    if failure.error is not None:
        return web.json_response({"ok": False, "error": failure.error}, status=failure.status)
    return web.json_response(
        {"ok": False, "error": "ratelimited"},
        status=failure.status,
        headers={"Retry-After": str(failure.retry_after)},
    )


def _auth_test(token: str | None) -> dict[str, Any]:
    """Who a token belongs to: the installed workspace's token, or the configured one."""
    return {
        "url": "https://acme.slack.com/",
        "team": "Acme",
        "user": "coach",
        "team_id": INSTALLED_TEAM_ID if token == INSTALLED_TOKEN else TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def _default_user(user_id: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "tz": "Europe/Berlin",
        "real_name": "Ada Lovelace",
        "profile": {"display_name": "ada", "real_name": "Ada Lovelace"},
    }


def _installation(params: dict[str, Any]) -> dict[str, Any]:
    """oauth.v2.access for a bot-only install of the Beta workspace."""
    return {
        "app_id": "A0COACH",
        "authed_user": {"id": "U0ADMIN"},
        "scope": "chat:write,commands",
        "token_type": "bot",
        "access_token": INSTALLED_TOKEN,
        "bot_user_id": BOT_USER_ID,
        "team": {"id": INSTALLED_TEAM_ID, "name": "Beta"},
        "enterprise": None,
        "is_enterprise_install": False,
        "code": params.get("code"),
    }

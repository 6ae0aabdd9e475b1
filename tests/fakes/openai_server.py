"""A loopback stand-in for an OpenAI-compatible Chat Completions endpoint.

It speaks the real HTTP protocol, so the real `openai` client is exercised end to end.
Tests enqueue what the next requests get (an answer, an HTTP error, a hang, junk) and read
back the requests the client made. Like real servers it can refuse an answer format:
`refuse=("json_schema",)` answers a strict schema with HTTP 500, as the llama-cpp-python
server does, without using up a scripted reply. It also serves Azure OpenAI's v1 path.
It runs its own event loop in a thread, so subprocess tests (the `coach` CLI) can talk to it too.
In-process tests take their clients from `client()` and use the stand-in as an async context
manager, which closes those clients on the test's loop before it stops serving.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web
from openai import AsyncOpenAI

from tests.fakes.loopback import ThreadedStandIn

HOLD_SECONDS = 10.0


@dataclass
class Reply:
    """One scripted response: a JSON body, or an HTTP status, or a delay before answering."""

    status: int = 200
    content: str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    refusal: str | None = None
    raw_body: str | None = None
    finish_reason: str = "stop"
    error: str = "scripted failure"
    # Answer only once the test sets it (for 10 s at most): the model is "still thinking".
    hold: threading.Event | None = None


def answer(payload: dict[str, Any]) -> Reply:
    """A successful completion whose message content is `payload` as JSON."""
    return Reply(content=json.dumps(payload))


class FakeOpenAI(ThreadedStandIn):
    def __init__(self, *, refuse: Collection[str] = (), refuse_status: int = 500) -> None:
        super().__init__()
        self.refuse = set(refuse)
        self.refuse_status = refuse_status
        self.replies: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self._clients: list[AsyncOpenAI] = []

    async def __aenter__(self) -> Self:
        return self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        for client in self._clients:
            await client.close()
        self.stop()

    def client(
        self, *, timeout: float, base_url: str | None = None, max_retries: int = 0
    ) -> AsyncOpenAI:
        """A real `openai` client for this stand-in, closed on leaving `async with`: its
        keep-alive connections belong to the test's loop and must close before that loop."""
        client = AsyncOpenAI(
            api_key="test-key",
            base_url=base_url or self.base_url,
            timeout=timeout,
            max_retries=max_retries,
        )
        self._clients.append(client)
        return client

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def azure_base_url(self) -> str:
        """Azure OpenAI's plain OpenAI API path, as in `https://NAME.openai.azure.com/openai/v1/`."""
        return f"http://127.0.0.1:{self.port}/openai/v1/"

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._completions)
        app.router.add_post("/openai/v1/chat/completions", self._completions)
        return app

    async def _completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_path"] = request.path
        self.requests.append(body)
        asked = (body.get("response_format") or {}).get("type")
        if asked in self.refuse:
            error = {
                "message": f"response_format type {asked} is not supported by this server",
                "type": "internal_server_error" if self.refuse_status >= 500 else "invalid_request",
            }
            return web.json_response({"error": error}, status=self.refuse_status)
        reply = self.replies.popleft() if self.replies else Reply(status=500)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.hold is not None:
            await asyncio.to_thread(reply.hold.wait, HOLD_SECONDS)
        if reply.raw_body is not None:
            return web.Response(status=reply.status, text=reply.raw_body, headers=reply.headers)
        if reply.status != 200:
            failure = {"error": {"message": reply.error, "type": "server_error"}}
            return web.json_response(failure, status=reply.status, headers=reply.headers)
        return web.json_response(_completion(body.get("model", "?"), reply))


def _completion(model: str, reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": reply.finish_reason,
                "message": {
                    "role": "assistant",
                    "content": reply.content,
                    "refusal": reply.refusal,
                },
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }

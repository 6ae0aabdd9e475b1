"""The benchmarks' baseline: a bare Bolt `AsyncApp` served by aiohttp that acks and does nothing.

`bench.slack_ack` mounts it next to the coach in one process; `bench.memory` runs this
module as its own process (`python -m bench.bare_bolt PORT API_URL TOKEN SECRET`), so the
baseline's memory is Bolt's and aiohttp's alone. That is why it imports nothing of ours.
"""

from __future__ import annotations

import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient


def bare_bolt(api_url: str, *, token: str, signing_secret: str) -> web.Application:
    """Bolt with the coach's client, secret and ack mode; `/coach` and DMs are only acked."""
    client = AsyncWebClient(token=token, base_url=api_url)
    bolt = AsyncApp(
        name="baseline", client=client, signing_secret=signing_secret, process_before_response=True
    )

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    bolt.command("/coach")(ack_only)
    bolt.event("message")(ack_only)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def main(argv: list[str]) -> int:
    """Serve the baseline on 127.0.0.1:PORT, with `/healthz` as `coach serve` has it."""
    port, api_url, token, signing_secret = argv
    app = bare_bolt(api_url, token=token, signing_secret=signing_secret)
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=int(port), print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

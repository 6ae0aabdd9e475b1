"""Slack ack latency: signed slash commands against the mounted adapter, next to bare Bolt.

Slack gives an app 3 seconds to acknowledge. Rounds of 20 concurrent signed `/coach`
commands go to the real server (`build_app`: SQLite, offline coach) while the coaching of
the round's commands runs on the same loop, and to a bare Bolt `AsyncApp` whose listener
only acks, configured the same way, in the same run. As in production, the sender (Slack)
and the Web API (Slack again) are other processes: the load generator and the loopback
stand-in run as children, so only the servers share this process's loop. The ratio of the
p99s is the figure that matters (goal <= 1.5x); absolute numbers depend on the machine.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import ClientSession, web
from slack_sdk.signature import SignatureVerifier

from bench.bare_bolt import bare_bolt
from bench.processes import running
from bot.server import build_app
from bot.slack.app import SLACK_KEY
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.slack.harness import P3_TEXT, SIGNING_SECRET, slack_settings

CONCURRENCY = 20
ROUNDS = 30
WARMUP_ROUNDS = 2
GOAL_RATIO = 1.5
REPO = Path(__file__).resolve().parents[1]


def control(ours: web.Application) -> web.Application:
    """`/drain`: the load generator waits here between rounds, untimed, so rounds are alike."""

    async def drain(_request: web.Request) -> web.Response:
        await ours[SLACK_KEY].drain()
        return web.Response(text="drained")

    app = web.Application()
    app.router.add_post("/drain", drain)
    return app


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def child(*args: str) -> AbstractAsyncContextManager[asyncio.subprocess.Process]:
    """This module run again as a child process (`--serve-slack` or `--load`)."""
    module = (sys.executable, "-m", "bench.slack_ack")
    return running(*module, *args, cwd=REPO, stdout=asyncio.subprocess.PIPE)


async def measure() -> dict[str, list[float]]:
    async with child("--serve-slack") as slack:
        assert slack.stdout is not None
        api = FakeSlackApi(port=int(await slack.stdout.readline()))
        with tempfile.TemporaryDirectory() as folder:
            ours_app = build_app(slack_settings(f"sqlite:///{Path(folder) / 'bench.db'}", api))
            async with (
                serving(ours_app) as ours,
                serving(
                    bare_bolt(api.api_url, token=BOT_TOKEN, signing_secret=SIGNING_SECRET)
                ) as bare,
                serving(control(ours_app)) as controller,
            ):
                freeze_startup_heap()
                async with child("--load", bare, ours, controller, api.base) as load:
                    output, _ = await load.communicate()
    samples: dict[str, list[float]] = json.loads(output)
    return samples


def freeze_startup_heap() -> None:
    """Keep full garbage collections off the startup heap (imports, apps, engines).

    Both apps share this process, so a full collection (about 100 ms over the imports)
    stalls whichever round is running: noise, not either app's ack path. A long-running
    server gets the same effect from `gc.freeze()` after start-up.
    """
    gc.collect()
    gc.freeze()


def signed_command(response_base: str, number: int) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "command": "/coach",
            "text": P3_TEXT,
            "team_id": "T0ACME",
            "user_id": f"U0REP{number % CONCURRENCY}",
            "channel_id": "C0DEALS",
            "trigger_id": f"bench-{number}",
            "response_url": f"{response_base}/respond/bench-{number}",
        }
    ).encode()
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": str(signature),
    }
    return body, headers


async def one_round(
    session: ClientSession, url: str, response_base: str, first: int
) -> list[float]:
    """Latencies (ms) of CONCURRENCY commands sent at once; every one must be a 200."""

    async def timed(number: int) -> float:
        body, headers = signed_command(response_base, number)
        started = time.perf_counter()
        async with session.post(f"{url}/slack/events", data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"ack failed with HTTP {response.status}")
        return (time.perf_counter() - started) * 1000

    return list(await asyncio.gather(*(timed(first + n) for n in range(CONCURRENCY))))


async def load(bare: str, ours: str, controller: str, response_base: str) -> dict[str, list[float]]:
    """Child process: alternate the two apps round by round, so drift hits both alike."""
    samples: dict[str, list[float]] = {"bare": [], "ours": []}
    async with ClientSession() as session:
        for number in range(WARMUP_ROUNDS + ROUNDS):
            pair = [("bare", bare), ("ours", ours)]
            for name, url in pair if number % 2 else pair[::-1]:
                latencies = await one_round(session, url, response_base, number * CONCURRENCY)
                async with session.post(f"{controller}/drain") as drained:
                    await drained.read()
                if number >= WARMUP_ROUNDS:
                    samples[name].extend(latencies)
    return samples


async def serve_slack_forever() -> None:
    """Child process: the Web API stand-in, until the parent terminates it."""
    api = await FakeSlackApi().start()
    print(api.port, flush=True)
    await asyncio.Event().wait()


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[-1]


def run() -> bool:
    """Print the report; True when the adapter's p99 is within the goal of bare Bolt's."""
    logging.getLogger("bot").setLevel(logging.ERROR)
    samples = asyncio.run(measure())
    baseline, adapter = samples["bare"], samples["ours"]
    print(f"slack ack latency: {CONCURRENCY} concurrent signed slash commands x {ROUNDS} rounds")
    for name, values in (("bare bolt, ack only", baseline), ("salescoach /coach", adapter)):
        median = statistics.median(values)
        print(f"  {name:20} p50 {median:7.2f} ms  p99 {p99(values):7.2f} ms")
    p50_ratio = statistics.median(adapter) / statistics.median(baseline)
    p99_ratio = p99(adapter) / p99(baseline)
    met = p99_ratio <= GOAL_RATIO
    print(
        f"  ratio p50 {p50_ratio:.2f}x  p99 {p99_ratio:.2f}x  "
        f"goal p99 <= {GOAL_RATIO:g}x: {'met' if met else 'NOT met'}"
    )
    return met


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve-slack"]:
        asyncio.run(serve_slack_forever())
        return 0
    if argv[:1] == ["--load"]:
        freeze_startup_heap()  # this child imported the whole app too, via this module
        print(json.dumps(asyncio.run(load(*argv[1:5]))))
        return 0
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Slack under a burst: 300 signed DMs at once, the ack latency with and without the job
queue next to bare Bolt, and how long each answer takes to arrive.

Each round sends `BURST` DM events at once (one rep and one DM each, so no rep's rate
limit is reached) to bare Bolt (ack only), to the coach finishing turns in-process
("inline"), and to the coach handing turns to a saq queue on Redis with one `coach worker`
("queue"), all in the same run. The queue is named for this run, so nothing else's jobs
mix in. As in production, the sender, the Web API stand-in and the worker are other
processes; only the three servers share this process's loop. Answer latency is from
sending the event to the stand-in receiving the `chat.update` that replaces the status
with the answer. Goal: the queue's ack p99 within 1.5x bare Bolt's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from aiohttp import ClientSession, web
from redis.asyncio import Redis

from bench.bare_bolt import bare_bolt
from bench.processes import running
from bench.slack_ack import REPO, control, freeze_startup_heap, p99, serving
from bot.server import build_app
from tests.fakes.loopback import serve_on_loopback
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.slack.harness import NOW_TS, P3_TEXT, SIGNING_SECRET, event_body, sign, slack_settings

BURST = 300
ROUNDS = 2
WARMUP = 10  # events per mode first, untimed: imports, the worker's start, the first turn
GOAL_RATIO = 1.5
REDIS_URL = "redis://127.0.0.1:6379/0"
ANSWER_TIMEOUT_SECONDS = 300.0
MODES = ("bare", "inline", "queue")


def child(*args: str, **options: object) -> AbstractAsyncContextManager[asyncio.subprocess.Process]:
    module = (sys.executable, "-m", "bench.slack_burst")
    return running(*module, *args, cwd=REPO, stdout=asyncio.subprocess.PIPE, **options)


@asynccontextmanager
async def worker(database_url: str, api_url: str, queue: str) -> AsyncIterator[None]:
    """One `coach worker` on the run's queue, the database and the Web API stand-in."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "COACH_DATABASE_URL": database_url,
        "COACH_QUEUE_URL": REDIS_URL,
        "COACH_QUEUE_NAME": queue,
        "COACH_TIMEZONE": "UTC",
        "COACH_LOG_LEVEL": "WARNING",
        "OPENAI_API_KEY": "",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
    }
    command = (sys.executable, "-m", "bot.cli", "worker")
    async with running(*command, cwd=REPO, env=env, stdout=asyncio.subprocess.DEVNULL):
        yield


async def measure() -> dict[str, dict[str, list[float]]]:
    queue = f"bench-burst-{uuid.uuid4().hex[:12]}"
    try:
        return await measure_on(queue)
    finally:
        await forget_queue(queue)


async def forget_queue(queue: str) -> None:
    """Delete what the run left on Redis under its queue's name (jobs, leases)."""
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=f"saq:*{queue}*", count=1000)]
        for start in range(0, len(keys), 500):
            await redis.delete(*keys[start : start + 500])
    finally:
        await redis.aclose()


async def measure_on(queue: str) -> dict[str, dict[str, list[float]]]:
    async with child("--serve-slack") as slack:
        assert slack.stdout is not None
        api_port, updates_port = (int(p) for p in (await slack.stdout.readline()).split())
        api = FakeSlackApi(port=api_port)
        with tempfile.TemporaryDirectory() as folder:
            inline_db = f"sqlite:///{Path(folder) / 'inline.db'}"
            queue_db = f"sqlite:///{Path(folder) / 'queue.db'}"
            inline_app = build_app(slack_settings(inline_db, api))
            queue_app = build_app(
                slack_settings(queue_db, api, COACH_QUEUE_URL=REDIS_URL, COACH_QUEUE_NAME=queue)
            )
            bare_app = bare_bolt(api.api_url, token=BOT_TOKEN, signing_secret=SIGNING_SECRET)
            async with (
                serving(bare_app) as bare,
                serving(inline_app) as inline,
                serving(queue_app) as queued,
                serving(control(inline_app)) as inline_control,
                worker(queue_db, api.api_url, queue),
            ):
                freeze_startup_heap()
                updates = f"http://127.0.0.1:{updates_port}"
                urls = (bare, inline, queued, inline_control, updates)
                async with child("--load", *urls) as load:
                    output, _ = await load.communicate()
    samples: dict[str, dict[str, list[float]]] = json.loads(output)
    return samples


def signed_dm(number: int, round_number: int) -> tuple[bytes, dict[str, str]]:
    rep = f"U0B{round_number}R{number}"
    event = {
        "type": "message",
        "channel": f"D0B{round_number}R{number}",
        "channel_type": "im",
        "user": rep,
        "text": P3_TEXT,
        "ts": NOW_TS,
    }
    body = json.dumps(event_body(event, f"EvB{round_number}R{number}")).encode()
    return body, {"Content-Type": "application/json", **sign(body)}


async def one_round(
    session: ClientSession, url: str, round_number: int, count: int = BURST
) -> tuple[list[float], dict[str, float]]:
    """Ack latencies (ms) of `count` events sent at once, and when each DM's event was sent."""
    sent: dict[str, float] = {}

    async def timed(number: int) -> float:
        body, headers = signed_dm(number, round_number)
        started = sent[f"D0B{round_number}R{number}"] = time.perf_counter()
        async with session.post(f"{url}/slack/events", data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"ack failed with HTTP {response.status}")
        return (time.perf_counter() - started) * 1000

    acks = list(await asyncio.gather(*(timed(n) for n in range(count))))
    return acks, sent


async def answered(session: ClientSession, updates: str, sent: dict[str, float]) -> list[float]:
    """Answer latencies (ms): the stand-in's first `chat.update` per DM, polled until all came."""
    deadline = time.perf_counter() + ANSWER_TIMEOUT_SECONDS
    while True:
        async with session.get(f"{updates}/bench/updates") as response:
            arrived: dict[str, float] = await response.json()
        if all(channel in arrived for channel in sent) or time.perf_counter() > deadline:
            return [(arrived[c] - at) * 1000 for c, at in sent.items() if c in arrived]
        await asyncio.sleep(0.2)


async def load(*urls: str) -> dict[str, dict[str, list[float]]]:
    """Child process: every mode gets each round in turn, its answers awaited before the next."""
    bare, inline, queued, inline_control, updates = urls
    servers = {"bare": (bare, None), "inline": (inline, inline_control), "queue": (queued, None)}
    samples: dict[str, dict[str, list[float]]] = {m: {"ack": [], "answer": []} for m in MODES}
    async with ClientSession() as session:
        for number in range(ROUNDS + 1):
            order = MODES if number % 2 else MODES[::-1]
            for offset, mode in enumerate(order):
                url, controller = servers[mode]
                count = WARMUP if number == 0 else BURST
                acks, sent = await one_round(session, url, number * len(MODES) + offset, count)
                answers = [] if mode == "bare" else await answered(session, updates, sent)
                if controller is not None:
                    async with session.post(f"{controller}/drain") as drained:
                        await drained.read()
                if number > 0:
                    samples[mode]["ack"].extend(acks)
                    samples[mode]["answer"].extend(answers)
    return samples


async def serve_slack_forever() -> None:
    """Child process: the Web API stand-in, and beside it `/bench/updates`, when each DM's
    first `chat.update` arrived; prints both ports."""
    api = await FakeSlackApi().start()

    async def updates(_request: web.Request) -> web.Response:
        first: dict[str, float] = {}
        for call in api.calls_to("chat.update"):
            first.setdefault(str(call.params.get("channel")), call.at)
        return web.json_response(first)

    app = web.Application()
    app.router.add_get("/bench/updates", updates)
    _, port = await serve_on_loopback(app)
    print(api.port, port, flush=True)
    await asyncio.Event().wait()


def run() -> bool:
    """Print the report; True when the queue's ack p99 is within the goal of bare Bolt's."""
    logging.getLogger("bot").setLevel(logging.ERROR)
    samples = asyncio.run(measure())
    print(f"slack burst: {BURST} concurrent signed DMs x {ROUNDS} rounds, one queue worker")
    baseline = p99(samples["bare"]["ack"])
    for mode in MODES:
        acks, answers = samples[mode]["ack"], samples[mode]["answer"]
        line = f"  {mode:7} ack p50 {statistics.median(acks):7.1f} ms  p99 {p99(acks):7.1f} ms"
        if mode != "bare":
            line += f" ({p99(acks) / baseline:.2f}x bare)"
            line += f"  answer p50 {statistics.median(answers) / 1000:6.2f} s"
            line += f"  p99 {p99(answers) / 1000:6.2f} s  ({len(answers)}/{len(acks)} answered)"
        print(line)
    ratio = p99(samples["queue"]["ack"]) / baseline
    met = ratio <= GOAL_RATIO
    print(f"  goal queue ack p99 <= {GOAL_RATIO:g}x bare: {'met' if met else 'NOT met'}")
    return met


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve-slack"]:
        asyncio.run(serve_slack_forever())
        return 0
    if argv[:1] == ["--load"]:
        freeze_startup_heap()
        print(json.dumps(asyncio.run(load(*argv[1:6]))))
        return 0
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Teams under a burst: 100 concurrent messages, how long each HTTP request is held, and
how long until the answer reaches the connector.

The Bot Framework wants the HTTP request to `/api/messages` answered quickly (15 s at
most, the sooner the better); the answer may follow through the connector. Rounds of 100
concurrent coaching messages (100 reps, one personal chat each, so no rep's rate limit is
reached) go to the real server (`build_app`: SQLite, offline coach, in-process turns,
Teams' default reply settings) and to a bare Agents SDK `AgentApplication` whose handler
sends one short message, in the same run. As in production the connector (Teams) is
another process: the load generator and the loopback connector stand-in run as a child,
so only the servers share this process's loop. Answer latency is from sending the
activity to the stand-in receiving the conversation's first message (the answer card, or
the friendly line). Goal: every HTTP request answered within 1 s (p99).
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from aiohttp import ClientSession, web
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ApplicationOptions,
    MemoryStorage,
    TurnContext,
    TurnState,
)

from bench.processes import running
from bench.slack_ack import REPO, freeze_startup_heap, p99, serving
from bot.server import build_app
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import PROPOSAL_WAIT, activity, settings_for

CONCURRENCY = 100
ROUNDS = 3
WARMUP_ROUNDS = 1
GOAL_HTTP_P99_MS = 1000.0
ANSWER_TIMEOUT_SECONDS = 120.0


def bare_agent() -> web.Application:
    """The baseline: the SDK's adapter and application, anonymous, answering "ok" in turn."""
    connections = MsalConnectionManager(
        connections_configurations={
            "SERVICE_CONNECTION": AgentAuthConfiguration(anonymous_allowed=True)
        }
    )
    adapter = CloudAdapter(connection_manager=connections)
    options = ApplicationOptions(storage=MemoryStorage(), start_typing_timer=False)
    agent = AgentApplication[TurnState](options, connection_manager=connections)

    async def answer(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity("ok")

    agent.message()(answer)

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


async def measure() -> dict[str, dict[str, list[float]]]:
    with tempfile.TemporaryDirectory() as folder:
        # Teams' defaults for the reply, not the tests' (which never stream).
        settings = settings_for(
            f"sqlite:///{Path(folder) / 'bench.db'}",
            COACH_TEAMS_REPLY_BUDGET=10.0,
            COACH_TEAMS_STREAM_AFTER=1.0,
        )
        async with serving(build_app(settings)) as ours, serving(bare_agent()) as bare:
            freeze_startup_heap()
            async with child_load(ours, bare) as load:
                output, _ = await load.communicate()
    samples: dict[str, dict[str, list[float]]] = json.loads(output)
    return samples


def child_load(ours: str, bare: str) -> AbstractAsyncContextManager[asyncio.subprocess.Process]:
    """This module run again as the load generator with the connector stand-in."""
    module = (sys.executable, "-m", "bench.teams_burst")
    return running(*module, "--load", ours, bare, cwd=REPO, stdout=asyncio.subprocess.PIPE)


async def one_round(
    session: ClientSession, connector: FakeConnector, url: str, round_number: int
) -> tuple[list[float], list[float]]:
    """HTTP and answer latencies (ms) of CONCURRENCY messages sent at once."""
    sent: dict[str, float] = {}
    before = len(connector.messages())

    async def timed(number: int) -> float:
        conversation = f"a:bench-{round_number}-{number}"
        body = activity(
            PROPOSAL_WAIT,
            service_url=connector.service_url,
            id=f"bench-{round_number}-{number}",
            conversation=conversation,
            user_aad=f"aad-bench-{number}",
        )
        started = sent[conversation] = time.perf_counter()
        async with session.post(f"{url}/api/messages", json=body) as response:
            await response.read()
            if response.status >= 300:
                raise RuntimeError(f"Teams request failed with HTTP {response.status}")
        return (time.perf_counter() - started) * 1000

    held = list(await asyncio.gather(*(timed(n) for n in range(CONCURRENCY))))
    await connector.wait_for_messages(before + CONCURRENCY, timeout=ANSWER_TIMEOUT_SECONDS)
    first: dict[str, float] = {}
    for posted in connector.messages()[before:]:
        first.setdefault(posted.conversation_id, posted.at)
    answered = [(first[c] - started) * 1000 for c, started in sent.items() if c in first]
    return held, answered


async def load(ours: str, bare: str) -> dict[str, dict[str, list[float]]]:
    """Child process: alternate the two servers round by round, so drift hits both alike."""
    samples: dict[str, dict[str, list[float]]] = {
        name: {"http": [], "answer": []} for name in ("bare", "ours")
    }
    async with FakeConnector() as connector, ClientSession() as session:
        for number in range(WARMUP_ROUNDS + ROUNDS):
            pair = [("bare", bare), ("ours", ours)]
            for name, url in pair if number % 2 else pair[::-1]:
                held, answered = await one_round(session, connector, url, number * 2 + len(name))
                if number >= WARMUP_ROUNDS:
                    samples[name]["http"].extend(held)
                    samples[name]["answer"].extend(answered)
    return samples


def run() -> bool:
    """Print the report; True when every HTTP request of ours was answered within 1 s."""
    for noisy in ("bot", "microsoft_agents"):  # the SDK warns per anonymous request
        logging.getLogger(noisy).setLevel(logging.ERROR)
    samples = asyncio.run(measure())
    print(f"teams burst: {CONCURRENCY} concurrent messages x {ROUNDS} rounds (in-process turns)")
    rows = (("bare agents sdk, 'ok'", samples["bare"]), ("salescoach, coaching", samples["ours"]))
    for name, figures in rows:
        http, answer = figures["http"], figures["answer"]
        print(
            f"  {name:22} http p50 {statistics.median(http):8.1f} ms  p99 {p99(http):8.1f} ms"
            f"   answer p50 {statistics.median(answer):8.1f} ms  p99 {p99(answer):8.1f} ms"
            f"  ({len(answer)}/{len(http)} answered)"
        )
    ours_p99 = p99(samples["ours"]["http"])
    met = ours_p99 <= GOAL_HTTP_P99_MS and len(samples["ours"]["answer"]) == len(
        samples["ours"]["http"]
    )
    ratio = ours_p99 / p99(samples["bare"]["http"])
    print(
        f"  http p99 {ratio:.2f}x bare  goal http p99 <= {GOAL_HTTP_P99_MS:.0f} ms, every "
        f"message answered: {'met' if met else 'NOT met'}"
    )
    return met


def main(argv: list[str]) -> int:
    if argv[:1] == ["--load"]:
        freeze_startup_heap()
        print(json.dumps(asyncio.run(load(*argv[1:3]))))
        return 0
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

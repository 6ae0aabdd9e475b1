"""The burst that broke queue mode: 300 Slack turns on one worker that lags behind Redis.

The worker reaches Redis over a slow link (every reply arrives `LINK_DELAY_SECONDS` late),
so each job spends two round trips between being taken from the queue and being marked
active, and saq's sweep (every second here) judges exactly that moment: it used to queue
such a live job again, so a DM's answer was sent and then deleted by the second run
(`chat.delete`), or a command was answered twice. Each turn must be answered exactly once,
and nothing withdrawn.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import pytest
from saq import Job, Queue, Status

from bot.queue import RedisJobs, build_worker, connect_queue
from bot.slack.delivery import ChannelTarget, PrivateTarget
from bot.slack.translate import SlackTurn
from bot.slack.turns import SLACK_TURN_JOB, SlackOrder, Workspace
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.queue.conftest import DONE, running
from tests.slack.harness import DM, slack_settings

EVENTS = 300
SWEEP_SECONDS = 1
LINK_DELAY_SECONDS = 0.03
BURST_SECONDS = 55.0


def order(number: int, api: FakeSlackApi) -> SlackOrder:
    """Odd turns are DMs answered over their thinking status, even ones slash commands."""
    dm = number % 2 == 1
    turn = SlackTurn(
        tenant=TEAM_ID,
        user=f"U{number:04d}",
        text=f"Turn {number}: I'll call Lena by Friday",
        key=f"event:Ev{number:04d}",
        channel=DM if dm else None,
    )
    target: ChannelTarget | PrivateTarget
    if dm:
        target = ChannelTarget(channel=DM, placeholder=f"1700000000.{number:06d}")
    else:
        target = PrivateTarget(
            response_url=api.response_url(f"r{number}"), user=turn.user, status_in_ack=True
        )
    return SlackOrder(turn=turn, target=target, workspace=Workspace(team_id=TEAM_ID))


@asynccontextmanager
async def slow_link(redis_url: str) -> AsyncIterator[str]:
    """A loopback TCP proxy to Redis that delays every reply; yields its redis:// URL."""
    host, port = redis_url.removeprefix("redis://").split("/")[0].split(":")

    async def relay(client: asyncio.StreamReader, client_out: asyncio.StreamWriter) -> None:
        server, server_out = await asyncio.open_connection(host, int(port))
        replies: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def upstream() -> None:
            while data := await client.read(65536):
                server_out.write(data)
                await server_out.drain()

        async def downstream() -> None:
            while data := await server.read(65536):
                replies.put_nowait((loop.time() + LINK_DELAY_SECONDS, data))

        async def deliver() -> None:
            while True:
                due, data = await replies.get()
                await asyncio.sleep(max(due - loop.time(), 0))
                client_out.write(data)
                await client_out.drain()

        tasks = [asyncio.create_task(work()) for work in (upstream, downstream, deliver)]
        with suppress(ConnectionError):
            await asyncio.wait(tasks[:2], return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in (server_out, client_out):
            writer.close()

    proxy = await asyncio.start_server(relay, "127.0.0.1", 0)
    proxy_port = proxy.sockets[0].getsockname()[1]
    try:
        yield f"redis://127.0.0.1:{proxy_port}/{redis_url.rsplit('/', 1)[-1]}"
    finally:
        proxy.close()


async def all_done(queue: Queue, keys: list[str]) -> list[Job]:
    """Every job once it has completed, failed or been aborted; fails after BURST_SECONDS."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BURST_SECONDS
    statuses: Counter[Status] = Counter()
    while loop.time() < deadline:
        jobs = await queue.jobs(keys)
        statuses = Counter(job.status if job else Status.NEW for job in jobs)
        if set(statuses) <= DONE:
            return [job for job in jobs if job is not None]
        await asyncio.sleep(0.2)
    raise AssertionError(f"the burst was unfinished after {BURST_SECONDS:.0f} s: {statuses}")


# Queue deployments keep their data in PostgreSQL; one SQLite file is not made for a burst
# of concurrent writers.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_burst_on_a_lagging_worker_answers_every_turn_exactly_once(
    database_url: str, slack_api: FakeSlackApi, redis_url: str, queue: Queue
) -> None:
    settings = slack_settings(
        database_url, slack_api, COACH_QUEUE_URL=redis_url, COACH_QUEUE_NAME=queue.name
    )
    web = RedisJobs(queue)
    orders = [order(number, slack_api) for number in range(EVENTS)]
    for each in orders:
        assert await web.submit(SLACK_TURN_JOB, each.job_key, each)

    async with slow_link(redis_url) as lagging_url:
        lagging = connect_queue(lagging_url, queue.name)
        await lagging.connect()
        worker = build_worker(settings, lagging, grace_seconds=0, sweep_seconds=SWEEP_SECONDS)
        try:
            async with running(worker):
                jobs = await all_done(queue, [each.job_key for each in orders])
        finally:
            await lagging.disconnect()

    assert {job.status for job in jobs} == {Status.COMPLETE}
    assert slack_api.calls_to("chat.delete") == []
    updated = Counter(call.params["ts"] for call in slack_api.calls_to("chat.update"))
    responded = Counter(call.params["name"] for call in slack_api.calls_to("response_url"))
    assert sorted(updated.values()) == [1] * (EVENTS // 2)
    assert sorted(responded.values()) == [1] * (EVENTS // 2)
    assert {job.attempts for job in jobs} == {1}  # no live job was swept and run again

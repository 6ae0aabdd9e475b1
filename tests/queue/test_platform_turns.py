"""Slack and Teams turns on the job queue: acknowledged by the web process, answered by a
worker, on a real Redis, with the loopback Slack API and Bot Framework connector."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from microsoft_agents.activity import Activity
from saq import Queue, Status

from bot.queue import RedisJobs
from bot.server import build_app
from bot.slack.delivery import ChannelTarget
from bot.slack.jobs import SlackJobs, open_slack_jobs
from bot.slack.translate import SlackTurn
from bot.slack.turns import SLACK_TURN_JOB, SlackOrder, Workspace
from bot.teams.translate import activity_key
from bot.wiring import open_root
from coaching.ports import UserRef
from coaching.types import Platform
from config.settings import Settings
from storage.repository import SqlStore
from tests.delivery.conftest import SlackApiWithDms
from tests.delivery.test_slack_oauth_delivery import ACME, installed
from tests.fakes.slack_api import BOT_TOKEN, TEAM_ID, FakeSlackApi
from tests.fakes.teams_connector import FakeConnector
from tests.queue.conftest import finished, worker_for
from tests.slack.harness import DM, P3_TEXT, REP, SlackHarness, block_texts, dm, slack_settings
from tests.teams.conftest import ALICE, PERSONAL, PROPOSAL_WAIT, activity, card_text
from tests.teams.conftest import running as running_teams
from tests.teams.conftest import settings_for as teams_settings

SLACK_REP = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=REP)
PLACEHOLDER = "1800000000.000001"  # the stand-in's first message ts
TEAMS_JOB = f"teams:{activity_key(Activity.model_validate(activity('', service_url='x')))}"


def queued(settings: Settings, redis_url: str, queue: Queue) -> Settings:
    """The same settings with this test's own queue on the test Redis."""
    return settings.replaced(COACH_QUEUE_URL=redis_url, COACH_QUEUE_NAME=queue.name)


@asynccontextmanager
async def slack_server(settings: Settings, api: FakeSlackApi) -> AsyncIterator[SlackHarness]:
    async with TestClient(TestServer(build_app(settings))) as client:
        yield SlackHarness(client, api)


async def test_a_slack_dm_is_acknowledged_here_and_answered_by_a_worker(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, redis_url: str, queue: Queue
) -> None:
    settings = queued(slack_settings(database_url, slack_api), redis_url, queue)
    async with slack_server(settings, slack_api) as slack:
        assert (await slack.event(dm(P3_TEXT))).status == 200
        await slack.drain()
        [status] = slack_api.calls_to("chat.postMessage")
        assert "Thinking" in status.params["text"]
        assert slack_api.calls_to("chat.update") == []  # the web process coaches nothing
        metrics = await (await slack.client.get("/metrics")).text()
        assert "coach_queue_depth 1.0" in metrics

        async with worker_for(settings, queue):
            job = await finished(queue, "slack:event:Ev0001")

    assert (job.status, job.result) == (Status.COMPLETE, {"answered": True})
    [answer] = slack_api.calls_to("chat.update")
    assert (answer.params["ts"], answer.token) == (PLACEHOLDER, BOT_TOKEN)
    assert any("final presentation" in text for text in block_texts(answer.params))
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


async def test_a_dm_threads_stream_opened_here_is_finished_by_the_worker(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, redis_url: str, queue: Queue
) -> None:
    settings = queued(slack_settings(database_url, slack_api), redis_url, queue)
    thread = "1800000000.000100"
    async with slack_server(settings, slack_api) as slack:
        await slack.event(dm(P3_TEXT, thread_ts=thread, ts="1800000000.000200"))
        await slack.drain()
        [ts] = slack_api.streams
        assert not slack_api.streams[ts].stopped  # the web process only opened it

        async with worker_for(settings, queue):
            await finished(queue, "slack:event:Ev0001")

    stream = slack_api.streams[ts]
    assert stream.stopped
    assert "Checking trust" in stream.titles("complete")
    assert any("final presentation" in text for text in block_texts({"blocks": stream.blocks}))
    assert slack_api.calls_to("chat.postMessage") == []


async def test_a_slack_redelivery_while_queued_is_one_job_and_one_answer(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, redis_url: str, queue: Queue
) -> None:
    settings = queued(slack_settings(database_url, slack_api), redis_url, queue)
    async with slack_server(settings, slack_api) as slack:
        await slack.event(dm(P3_TEXT))
        await slack.drain()
        await slack.event(dm(P3_TEXT), retry=1)
        await slack.drain()
        assert await queue.count("queued") == 1

        async with worker_for(settings, queue):
            await finished(queue, "slack:event:Ev0001")

    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert len(slack_api.calls_to("chat.update")) == 1
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


async def test_with_redis_unreachable_the_web_process_answers_itself(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> None:
    settings = slack_settings(
        database_url, slack_api, COACH_QUEUE_URL=f"redis://{closed_address()}/0"
    )
    async with slack_server(settings, slack_api) as slack:
        assert (await slack.event(dm(P3_TEXT))).status == 200
        await slack.drain()

    [answer] = slack_api.calls_to("chat.update")
    assert any("final presentation" in text for text in block_texts(answer.params))
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


@asynccontextmanager
async def slack_jobs(settings: Settings) -> AsyncIterator[SlackJobs]:
    async with open_root(settings) as root, open_slack_jobs(settings, root) as jobs:
        assert jobs is not None
        yield jobs


def dm_order(placeholder: str | None, team: str = TEAM_ID) -> str:
    turn = SlackTurn(tenant=team, user=REP, text=P3_TEXT, key=f"event:Ev0042{team}", channel=DM)
    target = ChannelTarget(channel=DM, placeholder=placeholder)
    order = SlackOrder(turn=turn, target=target, workspace=Workspace(team_id=team))
    return order.model_dump_json()


async def test_a_slack_turn_queued_again_after_its_answer_changes_nothing(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, redis_url: str, queue: Queue
) -> None:
    """The same order run again (saq's sweep, a re-submit) once it was answered: the answer
    it delivered over the status is neither sent again nor deleted."""
    settings = queued(slack_settings(database_url, slack_api), redis_url, queue)
    order = SlackOrder.model_validate_json(dm_order(PLACEHOLDER))
    web = RedisJobs(queue)
    async with worker_for(settings, queue):
        assert await web.submit(SLACK_TURN_JOB, order.job_key, order)
        first = await finished(queue, order.job_key)
        assert await web.submit(SLACK_TURN_JOB, order.job_key, order)
        await until_run_again(queue, order.job_key)
        again = await finished(queue, order.job_key)

    assert slack_api.calls_to("chat.delete") == []
    [answer] = slack_api.calls_to("chat.update")
    assert answer.params["ts"] == PLACEHOLDER
    assert (first.result, again.result) == ({"answered": True}, {"answered": False})
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


async def until_run_again(queue: Queue, key: str) -> None:
    """Wait (bounded) until the re-submitted job has left the queue."""
    for _ in range(600):
        job = await queue.job(key)
        if job is not None and job.status is not Status.QUEUED:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {key} was never taken again")


async def test_a_retried_job_sends_the_stored_answer_over_the_same_status(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> None:
    """The first attempt may have died after storing the turn: the retry answers anyway,
    replacing the same status message, so the rep reads one answer."""
    async with slack_jobs(slack_settings(database_url, slack_api)) as jobs:
        await jobs.run(dm_order(PLACEHOLDER), resend=False, can_retry=True)
        await jobs.run(dm_order(PLACEHOLDER), resend=True, can_retry=True)
        await jobs.run(dm_order(None), resend=False, can_retry=True)  # a re-delivered event

    first, second = slack_api.calls_to("chat.update")
    assert first.params["ts"] == second.params["ts"] == PLACEHOLDER
    assert block_texts(first.params) == block_texts(second.params)
    assert slack_api.calls_to("chat.postMessage") == []
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


async def test_a_queued_turn_from_an_oauth_workspace_is_answered_with_its_own_token(
    database_url: str, store: SqlStore
) -> None:
    api = SlackApiWithDms()
    await api.start()
    try:
        settings = await installed(database_url, api, ACME)
        async with slack_jobs(settings) as jobs:
            installed_one = await jobs.run(dm_order(PLACEHOLDER), resend=False, can_retry=True)
            never_installed = await jobs.run(
                dm_order(PLACEHOLDER, team="T0NONE"), resend=False, can_retry=True
            )
    finally:
        await api.stop()

    assert (installed_one, never_installed) == ({"answered": True}, {"answered": False})
    [answer] = api.calls_to("chat.update")
    assert answer.token == ACME.token
    assert len(await store.list_commitments(who=SLACK_REP)) == 1


async def test_a_teams_message_is_answered_by_a_worker_in_its_conversation(
    database_url: str, store: SqlStore, connector: FakeConnector, redis_url: str, queue: Queue
) -> None:
    settings = queued(teams_settings(database_url), redis_url, queue)
    async with running_teams(settings) as server:
        status, _ = await server.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
        assert status == 202
        assert [p.type for p in connector.posted] == ["typing"]

        async with worker_for(settings, queue):
            job = await finished(queue, TEAMS_JOB)
            [answer] = await connector.wait_for_messages(1)

    assert (job.status, job.result) == (Status.COMPLETE, {"answered": True})
    assert answer.conversation_id == PERSONAL
    assert "final presentation" in card_text(answer.card)
    assert len(await store.list_commitments(who=ALICE)) == 1


async def test_a_teams_answer_refused_by_the_connector_is_retried_and_arrives_once(
    database_url: str, store: SqlStore, connector: FakeConnector, redis_url: str, queue: Queue
) -> None:
    settings = queued(teams_settings(database_url), redis_url, queue)
    async with running_teams(settings) as server:
        await server.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))
        connector.refuse(PERSONAL, 500)  # typing went out; the worker's answer will not
        async with worker_for(settings, queue):
            await retried(queue, TEAMS_JOB)
            connector.accept(PERSONAL)
            job = await finished(queue, TEAMS_JOB)
            [answer] = await connector.wait_for_messages(1)

    assert job.status is Status.COMPLETE
    assert job.attempts >= 2
    assert connector.refused  # the first attempt really failed at the connector
    assert "final presentation" in card_text(answer.card)
    assert len(connector.messages()) == 1
    assert len(await store.list_commitments(who=ALICE)) == 1


async def retried(queue: Queue, key: str) -> Any:
    """Wait (bounded) until the job has failed once and is due to run again."""
    for _ in range(600):
        job = await queue.job(key)
        if job is not None and job.attempts >= 1 and job.status is Status.QUEUED:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {key} was never retried")


def closed_address() -> str:
    """host:port of a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        host, port = probe.getsockname()
    return f"{host}:{port}"

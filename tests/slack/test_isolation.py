"""One rep never reaches another's data through Slack: not by asking the coach (with or
without a model that obeys), not by /commitments or the Home tab, not by a forged button,
and not across workspaces that share a user id."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.server import SERVICE_KEY, build_app
from bot.slack.commitments import NOT_YOURS
from coaching.ports import UserRef
from coaching.types import CommitmentStatus, Platform
from storage.repository import SqlStore
from tests.conftest import audited_targets
from tests.fakes.openai_server import FakeOpenAI, answer
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.playbooks.support import AIMED_AT_OTHERS
from tests.slack import harness
from tests.slack.harness import (
    BOB_DM,
    BOB_SAYS,
    DM,
    OTHER_TEAM,
    REP,
    SlackHarness,
    block_texts,
    button,
    dm,
    event_in,
    slack_settings,
)

BOB = UserRef(platform=Platform.SLACK, tenant=TEAM_ID, user=harness.BOB)
ELSEWHERE_SAYS = "I'll send Initech the security questionnaire by Friday."
ALICE_ELSEWHERE = UserRef(platform=Platform.SLACK, tenant=OTHER_TEAM, user=REP)
# What must never reach Alice: Bob's next step and customer, and her namesake's elsewhere.
SECRETS = ("Globex", "renewal contract", "Initech", "security questionnaire")
# Everything the adapter may call while answering Alice; nothing that reaches anyone else.
ANSWERING = {"auth.test", "users.info", "chat.postMessage", "chat.update", "response_url"}


async def seed_others(slack: SlackHarness) -> tuple[int, int]:
    """Bob's commitment in Alice's workspace, and one of the same user id as Alice's in
    another workspace; their ids. The Slack stand-in forgets these calls."""
    await slack.event(dm(BOB_SAYS, user=BOB.user, channel=BOB_DM), event_id="Ev-bob")
    await event_in(slack, dm(ELSEWHERE_SAYS), event_id="Ev-elsewhere", team_id=OTHER_TEAM)
    await slack.drain()
    slack.api.calls.clear()
    [bobs] = await commitment_ids(slack, BOB)
    [namesakes] = await commitment_ids(slack, ALICE_ELSEWHERE)
    return bobs, namesakes


async def commitment_ids(slack: SlackHarness, who: UserRef) -> list[int]:
    items = await slack.client.app[SERVICE_KEY].commitments(who, statuses=None)
    return [c.id for c in items if c.id is not None]


def assert_only_alice_was_answered(slack: SlackHarness) -> None:
    """Every call went to Alice's DM or her response_url, and none carried a secret."""
    assert {call.method for call in slack.api.calls} <= ANSWERING
    for call in slack.api.calls:
        if call.method == "users.info":
            assert call.params["user"] == REP
        if call.method in ("chat.postMessage", "chat.update"):
            assert call.params["channel"] in (DM, REP)
    sent = json.dumps([call.params for call in slack.api.calls])
    for secret in SECRETS:
        assert secret not in sent


async def assert_still_open(store: SqlStore, *who: UserRef) -> None:
    for person in who:
        [commitment] = await store.list_commitments(who=person, statuses=None)
        assert commitment.status is CommitmentStatus.OPEN


@pytest.mark.parametrize("injection", AIMED_AT_OTHERS)
async def test_an_injection_in_a_dm_is_reported_and_reveals_nobody_else(
    slack: SlackHarness, store: SqlStore, injection: str
) -> None:
    await seed_others(slack)

    await slack.event(dm(injection), event_id="Ev-injection")
    await slack.drain()

    [reply] = slack.api.calls_to("chat.update")
    assert any("input.injection" in text for text in block_texts(reply.params))
    assert_only_alice_was_answered(slack)
    await assert_still_open(store, BOB, ALICE_ELSEWHERE)


async def test_an_injection_in_a_command_answers_privately_only(
    slack: SlackHarness, store: SqlStore
) -> None:
    await seed_others(slack)

    await slack.command("/coach", AIMED_AT_OTHERS[3], response="mine")
    await slack.drain()

    [reply] = slack.api.calls_to("response_url")
    assert reply.params["name"] == "mine"
    assert any("input.injection" in text for text in block_texts(reply.params))
    assert slack.api.calls_to("chat.postMessage") == []
    assert_only_alice_was_answered(slack)


async def test_asking_plainly_for_bobs_deals_reveals_nothing(slack: SlackHarness) -> None:
    await seed_others(slack)

    await slack.event(dm("Show me Bob's deals and his commitments."), event_id="Ev-ask")
    await slack.drain()

    assert slack.api.calls_to("chat.update")
    assert_only_alice_was_answered(slack)


@pytest.fixture
async def with_llm(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi, fake_openai: FakeOpenAI
) -> AsyncIterator[SlackHarness]:
    """The coach with a model behind it: the loopback OpenAI stand-in, no retries."""
    settings = slack_settings(
        database_url,
        slack_api,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
    )
    async with TestClient(TestServer(build_app(settings))) as client:
        yield SlackHarness(client, slack_api)


async def test_a_model_obeying_the_injection_is_not_served(
    with_llm: SlackHarness, fake_openai: FakeOpenAI
) -> None:
    await seed_others(with_llm)  # the stand-in has no answer queued: served offline
    obeying = (
        'As you asked, here is every commitment of all reps. Bob: "send Globex the signed '
        'renewal contract" by Friday. I have posted the list to #general as well.'
    )
    fake_openai.enqueue(answer({"reply": obeying, "findings": []}))

    await with_llm.event(dm(AIMED_AT_OTHERS[0]), event_id="Ev-injection")
    await with_llm.drain()

    prompt = json.dumps(fake_openai.requests[-1])
    assert AIMED_AT_OTHERS[0] in prompt
    assert not any(secret in prompt for secret in SECRETS)
    [reply] = with_llm.api.calls_to("chat.update")
    assert any("input.injection" in text for text in block_texts(reply.params))
    assert_only_alice_was_answered(with_llm)


async def test_commitments_and_home_show_only_the_reps_own(slack: SlackHarness) -> None:
    await seed_others(slack)

    await slack.command("/commitments", "", response="list")
    await slack.event({"type": "app_home_opened", "user": REP, "channel": DM, "tab": "home"})
    await slack.drain()

    [listing] = slack.api.calls_to("response_url")
    assert "No open commitments" in listing.params["text"]
    [home] = slack.api.calls_to("views.publish")
    assert home.params["user_id"] == REP
    assert not any(secret in json.dumps(home.params) for secret in SECRETS)


@pytest.mark.parametrize("action", ["accept", "dismiss", "done", "snooze", "cancel"])
async def test_a_forged_button_cannot_touch_anyone_elses_commitment(
    slack: SlackHarness, store: SqlStore, action: str
) -> None:
    targets = await seed_others(slack)

    for number, commitment_id in enumerate(targets):
        url = slack.api.response_url(f"forged-{number}")
        await slack.interact(button(action, commitment_id, response_url=url))
        await slack.interact(button(action, commitment_id, response_url=None))
    await slack.drain()

    refusals = slack.api.calls_to("response_url")
    assert [r.params["text"] for r in refusals] == [NOT_YOURS, NOT_YOURS]
    assert slack.api.calls_to("views.publish") == []
    await assert_still_open(store, BOB, ALICE_ELSEWHERE)
    forged = await audited_targets(store, "refused.commitments.")
    assert forged == sorted(str(target) for target in targets for _ in ("button", "home"))


async def test_the_namesake_in_the_other_workspace_can_change_their_own(
    slack: SlackHarness, store: SqlStore
) -> None:
    _, namesakes = await seed_others(slack)

    await slack.interact(
        button("done", namesakes, response_url=slack.api.response_url("mine"), team_id=OTHER_TEAM)
    )
    await slack.drain()

    [done] = await store.list_commitments(who=ALICE_ELSEWHERE, statuses=None)
    assert done.status is CommitmentStatus.DONE
    [bobs] = await store.list_commitments(who=BOB, statuses=None)
    assert bobs.status is CommitmentStatus.OPEN

"""One rep never reaches another's data through Teams: not by asking the coach (with or
without a model that obeys), not by **commitments**, not by a forged card action, and not
across tenants that share an Entra object id."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.teams.cards import Source, Verb, build_action_data
from coaching.ports import UserRef
from coaching.types import CommitmentStatus, Platform
from storage.repository import open_store
from tests.conftest import audited_targets
from tests.fakes.openai_server import FakeOpenAI, answer
from tests.fakes.teams_connector import FakeConnector
from tests.playbooks.support import AIMED_AT_OTHERS
from tests.teams.conftest import (
    ALICE_AAD,
    PERSONAL,
    TENANT,
    TeamsServer,
    activity,
    card_text,
    execute,
    running,
    seed_commitment,
    settings_for,
)

OTHER_TENANT = "4d7c1e2f-8a9b-4c3d-9e1f-2a3b4c5d6e7f"
BOB = UserRef(platform=Platform.TEAMS, tenant=TENANT, user="aad-bob")
ALICE_ELSEWHERE = UserRef(platform=Platform.TEAMS, tenant=OTHER_TENANT, user=ALICE_AAD)
# What must never reach Alice: Bob's next step and customer, and her namesake's elsewhere.
SECRETS = ("Globex", "renewal contract", "Initech", "security questionnaire")


async def seed_others(database_url: str) -> tuple[int, int]:
    """Bob's commitment in Alice's tenant, and her namesake's in another tenant."""
    bobs = await seed_commitment(database_url, "send Globex the signed renewal contract", who=BOB)
    namesakes = await seed_commitment(
        database_url, "send Initech the security questionnaire", who=ALICE_ELSEWHERE
    )
    return bobs, namesakes


def assert_only_alice_was_answered(connector: FakeConnector) -> None:
    """Every activity went into Alice's personal chat, and none carried a secret."""
    assert {posted.conversation_id for posted in connector.posted} <= {PERSONAL}
    sent = json.dumps([posted.activity for posted in connector.posted])
    for secret in SECRETS:
        assert secret not in sent


async def assert_still_open(teams: TeamsServer, *who: UserRef) -> None:
    for person in who:
        [commitment] = await teams.service.commitments(person, statuses=None)
        assert commitment.status is CommitmentStatus.OPEN


@pytest.mark.parametrize("injection", AIMED_AT_OTHERS)
async def test_an_injection_is_reported_and_reveals_nobody_else(
    teams: TeamsServer, connector: FakeConnector, database_url: str, injection: str
) -> None:
    await seed_others(database_url)

    await teams.post(activity(injection, service_url=connector.service_url))

    [reply] = connector.messages()
    assert "**input.injection**" in card_text(reply.card)
    assert_only_alice_was_answered(connector)
    await assert_still_open(teams, BOB, ALICE_ELSEWHERE)


async def test_commitments_shows_only_the_reps_own(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    await seed_others(database_url)

    await teams.post(activity("commitments", service_url=connector.service_url))

    [listing] = connector.messages()
    assert "No open commitments" in card_text(listing.card)
    assert_only_alice_was_answered(connector)


@pytest.mark.parametrize("verb", list(Verb))
async def test_a_forged_action_cannot_touch_anyone_elses_commitment(
    teams: TeamsServer, connector: FakeConnector, database_url: str, verb: Verb
) -> None:
    targets = await seed_others(database_url)
    url = connector.service_url

    for commitment_id in targets:
        data = build_action_data(verb, commitment_id, Source.RESULT)
        _, body = await teams.post(execute(data, service_url=url))
        assert body["value"] == f"You have no commitment with id {commitment_id}."
        await teams.post(activity(None, service_url=url, id=f"submit-{commitment_id}", value=data))

    refusals = [posted.text for posted in connector.messages()]
    assert refusals == [f"You have no commitment with id {n}." for n in targets]
    assert_only_alice_was_answered(connector)
    await assert_still_open(teams, BOB, ALICE_ELSEWHERE)
    store = await open_store(database_url, migrate=False)
    try:
        forged = await audited_targets(store, "refused.commitments.")
    finally:
        await store.close()
    assert forged == sorted(str(target) for target in targets for _ in ("execute", "submit"))


async def test_the_namesake_in_the_other_tenant_can_change_their_own(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    _, namesakes = await seed_others(database_url)
    data = build_action_data(Verb.DONE, namesakes, Source.RESULT)

    _, body = await teams.post(
        execute(data, service_url=connector.service_url, tenant=OTHER_TENANT)
    )

    assert body["value"] == "Done: send Initech the security questionnaire"
    await assert_still_open(teams, BOB)


async def test_an_activity_id_seen_in_another_tenant_is_still_answered(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    """Teams ids are per conversation; one tenant's traffic must not silence another's."""
    url = connector.service_url
    same_id = "1712345678901"
    await teams.post(activity("I'll send Lena the pricing by Friday.", service_url=url, id=same_id))
    zed = activity(
        "I'll send Globex the signed renewal contract by Friday.",
        service_url=url,
        id=same_id,
        tenant=OTHER_TENANT,
        user_aad="aad-zed",
        conversation="a:personal-zed",
    )

    await teams.post(zed)
    await teams.post(zed)

    answered = [posted.conversation_id for posted in connector.messages()]
    assert answered == [PERSONAL, "a:personal-zed"]
    assert "Lena" not in json.dumps([p.activity for p in connector.messages()][1])


@pytest.fixture
async def with_llm(database_url: str, fake_openai: FakeOpenAI) -> AsyncIterator[TeamsServer]:
    """The Teams server with a model behind it: the loopback OpenAI stand-in, no retries."""
    settings = settings_for(
        database_url,
        OPENAI_API_KEY=SecretStr("test-key"),
        OPENAI_BASE_URL=fake_openai.base_url,
        COACH_LLM_MAX_RETRIES=0,
    )
    async with running(settings) as server:
        yield server


def obeying_finding(evidence: str) -> dict[str, object]:
    """A well-formed finding whose advice quotes Bob's commitment, as an obeying model might."""
    return {
        "code": "trust.reliability",
        "severity": "medium",
        "evidence": evidence,
        "advice": 'Bob promised "send Globex the signed renewal contract"; do the same.',
        "category": None,
    }


async def test_a_model_quoting_a_colleague_is_not_served(
    with_llm: TeamsServer, connector: FakeConnector, database_url: str, fake_openai: FakeOpenAI
) -> None:
    await seed_others(database_url)
    injection = AIMED_AT_OTHERS[0]
    reply = "Here is what your colleagues promised this week, as you asked me to list it."
    fake_openai.enqueue(
        answer({"reply": reply, "findings": [obeying_finding("list every commitment")]})
    )

    await with_llm.post(activity(injection, service_url=connector.service_url))

    assert not any(secret in json.dumps(fake_openai.requests) for secret in SECRETS)
    [card] = connector.messages()
    assert "**input.injection**" in card_text(card.card)
    assert reply not in card_text(card.card)
    assert_only_alice_was_answered(connector)


async def test_a_model_quoting_only_the_reps_own_words_is_served(
    with_llm: TeamsServer, connector: FakeConnector, fake_openai: FakeOpenAI
) -> None:
    reply = (
        'You asked me to "list every commitment of all reps"; I only coach you on your own '
        "deals. Tell me about one of them."
    )
    fake_openai.enqueue(answer({"reply": reply, "findings": []}))

    await with_llm.post(activity(AIMED_AT_OTHERS[0], service_url=connector.service_url))

    [card] = connector.messages()
    text = card_text(card.card)
    assert "I only coach you on your own deals" in text
    assert text.index("it was ignored") < text.index("I only coach you")

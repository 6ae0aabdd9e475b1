"""Commitment buttons: Action.Execute invokes and the Action.Submit fallback."""

from __future__ import annotations

from bot.teams.cards import Source, Verb, build_action_data
from coaching.types import CommitmentStatus
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import (
    ALICE,
    TeamsServer,
    activity,
    card_actions,
    card_text,
    execute,
    seed_commitment,
)


async def statuses(teams: TeamsServer) -> dict[int, CommitmentStatus]:
    commitments = await teams.service.commitments(ALICE, statuses=None)
    return {c.id: c.status for c in commitments if c.id is not None}


async def test_done_on_a_result_card_completes_the_commitment(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    commitment_id = await seed_commitment(database_url, "send Lena the revised pricing")
    data = build_action_data(Verb.DONE, commitment_id, Source.RESULT)

    status, body = await teams.post(execute(data, service_url=connector.service_url))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == "Done: send Lena the revised pricing"
    assert (await statuses(teams))[commitment_id] is CommitmentStatus.DONE
    assert connector.messages() == []


async def test_an_action_on_the_commitments_card_redraws_it(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    done_id = await seed_commitment(database_url, "book the P3 with the CFO")
    open_id = await seed_commitment(database_url, "introduce Lena to our CTO")
    data = build_action_data(Verb.DONE, done_id, Source.COMMITMENTS)

    status, body = await teams.post(execute(data, service_url=connector.service_url))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "book the P3" not in card_text(body["value"])
    assert {a["data"]["commitment_id"] for a in card_actions(body["value"])} == {open_id}


async def test_the_submit_fallback_snoozes_and_confirms_in_a_message(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    commitment_id = await seed_commitment(database_url, "send the case study")
    data = build_action_data(Verb.SNOOZE, commitment_id, Source.RESULT)

    status, _ = await teams.post(activity(None, service_url=connector.service_url, value=data))

    assert status == 202
    assert [p.text for p in connector.messages()] == ["Snoozed: send the case study"]
    assert (await statuses(teams))[commitment_id] is CommitmentStatus.SNOOZED


async def test_someone_elses_commitment_is_not_touched(
    teams: TeamsServer, connector: FakeConnector, database_url: str
) -> None:
    commitment_id = await seed_commitment(database_url, "send Lena the revised pricing")
    data = build_action_data(Verb.DONE, commitment_id, Source.RESULT)

    _, body = await teams.post(
        execute(data, service_url=connector.service_url, user_aad="aad-mallory")
    )

    assert body["value"] == f"You have no commitment with id {commitment_id}."
    assert (await statuses(teams))[commitment_id] is CommitmentStatus.OPEN


async def test_a_malformed_action_gets_a_friendly_answer(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    data = {"verb": "commitment.done", "commitment_id": "not-a-number"}

    status, body = await teams.post(execute(data, service_url=connector.service_url))

    assert status == 200
    assert "no longer works" in body["value"]

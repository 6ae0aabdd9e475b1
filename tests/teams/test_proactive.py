"""Proactive messages through stored conversation references and continue_conversation."""

from __future__ import annotations

import pytest

from bot.teams.agent import HELP
from bot.teams.cards import build_commitments_card
from bot.teams.proactive import Delivery, send_proactive
from coaching.ports import UserRef
from coaching.types import Platform
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import ALICE, PERSONAL, TODAY, TeamsServer, activity, card_text


async def say_hello(teams: TeamsServer, connector: FakeConnector, id: str = "hello") -> None:
    """Alice writes to the coach, which stores her personal chat's reference."""
    await teams.post(activity("help", service_url=connector.service_url, id=id))


async def test_a_proactive_card_reaches_the_users_personal_chat(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await say_hello(teams, connector)
    card = build_commitments_card([], today=TODAY)

    delivery = await send_proactive(teams.endpoint.outbound, ALICE, card)

    assert delivery is Delivery.SENT
    sent = connector.messages()[-1]
    assert sent.conversation_id == PERSONAL
    assert card_text(sent.card) == "No open commitments. Nice and tidy."


async def test_text_can_be_sent_too(teams: TeamsServer, connector: FakeConnector) -> None:
    await say_hello(teams, connector)

    delivery = await send_proactive(teams.endpoint.outbound, ALICE, "Your weekly digest is ready.")

    assert delivery is Delivery.SENT
    assert connector.messages()[-1].text == "Your weekly digest is ready."


@pytest.mark.parametrize("status", [403, 404])
async def test_a_gone_conversation_is_marked_stale_and_not_retried(
    teams: TeamsServer, connector: FakeConnector, status: int
) -> None:
    await say_hello(teams, connector)
    connector.refuse(PERSONAL, status)
    outbound = teams.endpoint.outbound

    first = await send_proactive(outbound, ALICE, "Reminder: send Lena the pricing.")
    second = await send_proactive(outbound, ALICE, "Reminder: send Lena the pricing.")

    assert (first, second) == (Delivery.STALE, Delivery.STALE)
    assert connector.refused == [PERSONAL]
    stored = await outbound.references.load(who=ALICE)
    assert stored is not None
    assert stored.stale


async def test_talking_again_refreshes_a_stale_reference(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await say_hello(teams, connector)
    connector.refuse(PERSONAL, 403)
    await send_proactive(teams.endpoint.outbound, ALICE, "Reminder")
    connector.accept(PERSONAL)

    await say_hello(teams, connector, id="hello-again")

    assert await send_proactive(teams.endpoint.outbound, ALICE, "Reminder") is Delivery.SENT


async def test_other_failures_are_reported_without_marking_stale(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    await say_hello(teams, connector)
    connector.refuse(PERSONAL, 500)

    delivery = await send_proactive(teams.endpoint.outbound, ALICE, "Reminder")

    assert delivery is Delivery.FAILED
    stored = await teams.endpoint.outbound.references.load(who=ALICE)
    assert stored is not None
    assert not stored.stale


async def test_a_user_who_never_wrote_has_no_reference(teams: TeamsServer) -> None:
    stranger = UserRef(platform=Platform.TEAMS, tenant=ALICE.tenant, user="aad-bob")

    assert await send_proactive(teams.endpoint.outbound, stranger, "Hi") is Delivery.NO_REFERENCE


async def test_installing_the_app_stores_a_reference_and_says_hello(
    teams: TeamsServer, connector: FakeConnector
) -> None:
    body = activity(None, service_url=connector.service_url, id="install-1")
    body.update(type="conversationUpdate", membersAdded=[body["recipient"]])

    status, _ = await teams.post(body)

    assert status == 202
    assert connector.messages()[0].text == HELP
    assert await send_proactive(teams.endpoint.outbound, ALICE, "Welcome") is Delivery.SENT

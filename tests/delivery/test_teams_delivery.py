"""Digests as Teams cards, through stored conversation references and the connector stand-in."""

from __future__ import annotations

from microsoft_agents.activity import Activity

from bot.teams.proactive import to_reference_json
from coaching.ports import UserRef
from coaching.types import Platform
from storage.references import SqlConversationReferences
from storage.repository import SqlStore
from tests.delivery.conftest import run_digests, seed_team, settings_for
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import TENANT, activity, card_text

MANAGER = "aad-mia"
REP = "aad-ravi"
CHAT = "a:personal-mia"
MIA = UserRef(platform=Platform.TEAMS, tenant=TENANT, user=MANAGER)


async def remember_chat(store: SqlStore, connector: FakeConnector) -> None:
    """Store Mia's personal chat as the adapter does when she first writes to the coach."""
    said = activity("help", service_url=connector.service_url, conversation=CHAT, user_aad=MANAGER)
    reference = to_reference_json(Activity.model_validate(said))
    await SqlConversationReferences(store.engine).save(who=MIA, reference=reference)


async def test_a_teams_manager_gets_the_digest_card_once(
    database_url: str, store: SqlStore, connector: FakeConnector
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, REP)
    await remember_chat(store, connector)
    settings = settings_for(database_url)

    assert await run_digests(settings) == (1, 0)
    assert await run_digests(settings) == (0, 0)

    [sent] = connector.messages()
    assert sent.conversation_id == CHAT
    text = card_text(sent.card)
    assert "Your team this week (2026-W10)" in text
    assert "Ravi Rep" in text


async def test_a_403_marks_the_reference_stale_and_is_not_retried_in_a_loop(
    database_url: str, store: SqlStore, connector: FakeConnector
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, REP)
    await remember_chat(store, connector)
    connector.refuse(CHAT, 403)
    settings = settings_for(database_url)

    assert await run_digests(settings) == (0, 1)
    assert await run_digests(settings) == (0, 1)

    assert connector.refused == [CHAT]
    assert connector.messages() == []
    stored = await SqlConversationReferences(store.engine).load(who=MIA)
    assert stored is not None
    assert stored.stale


async def test_a_manager_who_never_wrote_to_the_coach_is_reported_not_sent(
    database_url: str, store: SqlStore, connector: FakeConnector
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, REP)

    assert await run_digests(settings_for(database_url)) == (0, 1)
    assert connector.posted == []

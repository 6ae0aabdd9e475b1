"""Proactive install: a rep who never wrote to the coach still gets their reminder, once
the admin switched it on, through the Graph and connector stand-ins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from microsoft_agents.activity import Activity
from pydantic import ValidationError

from bot.teams.proactive import to_reference_json
from coaching.ports import UserRef
from coaching.team.rules import Clock
from coaching.types import Platform
from config.settings import Settings
from storage.references import SqlConversationReferences
from storage.repository import SqlStore
from tests.delivery.conftest import run_reminders, seed_team, settings_for
from tests.fakes.graph_api import CATALOG_APP_ID, GRAPH_TOKEN, IDENTITY_HEADER, FakeGraph
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import APP_ID, TENANT, activity, card_text

MANAGER = "aad-mia"
RAVI, ROSA, RITA = "aad-ravi", "aad-rosa", "aad-rita"
TUESDAY = Clock(at=datetime(2026, 3, 3, 9, tzinfo=UTC))
PROMISE = "send Lena the revised pricing"


@pytest.fixture
async def graph(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeGraph]:
    """Graph with the reps in the directory; MSAL's managed identity points at its token."""
    async with FakeGraph() as fake:
        fake.users |= {RAVI, ROSA, RITA, MANAGER}
        monkeypatch.setenv("IDENTITY_ENDPOINT", fake.identity_endpoint)
        monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)
        yield fake


def installing(
    database_url: str, graph: FakeGraph, connector: FakeConnector, **overrides: Any
) -> Settings:
    """The bot with its credentials, proactive install switched on for the catalog app."""
    values: dict[str, Any] = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": APP_ID,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": TENANT,
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE": "UserManagedIdentity",
        "COACH_TEAMS_PROACTIVE_INSTALL": True,
        "COACH_TEAMS_CATALOG_APP_ID": CATALOG_APP_ID,
        "COACH_GRAPH_URL": graph.url,
        "COACH_TEAMS_INSTALL_SERVICE_URL": connector.service_url,
    }
    values.update(overrides)
    return settings_for(database_url, **values)


async def reference_of(store: SqlStore, user: str) -> dict[str, Any] | None:
    stored = await SqlConversationReferences(store.engine).load(
        who=UserRef(platform=Platform.TEAMS, tenant=TENANT, user=user)
    )
    return None if stored is None else stored.reference


async def wrote_to_the_coach(store: SqlStore, connector: FakeConnector, user: str) -> None:
    """Store the user's personal chat, as the adapter does when they first write."""
    said = activity(
        "help", service_url=connector.service_url, conversation=f"a:{user}", user_aad=user
    )
    who = UserRef(platform=Platform.TEAMS, tenant=TENANT, user=user)
    reference = to_reference_json(Activity.model_validate(said))
    await SqlConversationReferences(store.engine).save(who=who, reference=reference)


async def test_off_by_default_nobody_is_installed_and_graph_is_never_called(
    database_url: str, store: SqlStore, connector: FakeConnector, graph: FakeGraph
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, RAVI)
    settings = installing(database_url, graph, connector, COACH_TEAMS_PROACTIVE_INSTALL=False)

    assert await run_reminders(settings, TUESDAY) == 0

    assert graph.calls == []
    assert all(r.get("resource") != graph.base_url for r in graph.token_requests)
    assert connector.messages() == []


async def test_a_rep_who_never_wrote_gets_the_app_and_their_reminder(
    database_url: str, store: SqlStore, connector: FakeConnector, graph: FakeGraph
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, RAVI)
    settings = installing(database_url, graph, connector)

    assert await run_reminders(settings, TUESDAY) == 1

    [reminder] = connector.messages()
    assert reminder.conversation_id == graph.chat_of(RAVI)
    assert PROMISE in card_text(reminder.card)
    assert graph.installs() == [RAVI]
    assert {r.get("resource") for r in graph.token_requests} >= {graph.base_url}
    stored = await reference_of(store, RAVI)
    assert stored is not None
    assert stored["conversation"]["id"] == graph.chat_of(RAVI)


async def test_an_app_already_installed_is_found_through_its_chat(
    database_url: str, store: SqlStore, connector: FakeConnector, graph: FakeGraph
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, RAVI)
    graph.installed.add(RAVI)

    assert await run_reminders(installing(database_url, graph, connector), TUESDAY) == 1

    [reminder] = connector.messages()
    assert reminder.conversation_id == graph.chat_of(RAVI)


async def test_throttling_is_waited_out_as_graph_asks(
    database_url: str, store: SqlStore, connector: FakeConnector, graph: FakeGraph
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, RAVI)
    graph.throttle(RAVI, retry_after="0")

    assert await run_reminders(installing(database_url, graph, connector), TUESDAY) == 1

    assert graph.installs() == [RAVI, RAVI]
    assert len(connector.messages()) == 1


async def test_without_the_permission_nothing_is_stored_and_the_job_goes_on(
    database_url: str,
    store: SqlStore,
    connector: FakeConnector,
    graph: FakeGraph,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for rep in (RAVI, ROSA, RITA):
        await seed_team(store, Platform.TEAMS, TENANT, MANAGER, rep)
    await wrote_to_the_coach(store, connector, RITA)
    graph.granted = False

    assert await run_reminders(installing(database_url, graph, connector), TUESDAY) == 1

    [reminder] = connector.messages()
    assert reminder.conversation_id == f"a:{RITA}"
    assert await reference_of(store, RAVI) is None
    assert await reference_of(store, ROSA) is None
    # The missing grant is tenant-wide: one refused install, reported once, by status.
    assert len(graph.installs()) == 1
    refusals = [r.getMessage() for r in caplog.records if "Proactive Teams install" in r.message]
    assert len(refusals) == 1
    assert "HTTP 403" in refusals[0]
    assert "TeamsAppInstallation.ReadWriteForUser.All" in refusals[0]
    assert "Missing role" not in caplog.text
    assert GRAPH_TOKEN not in caplog.text


async def test_a_user_graph_does_not_know_is_reported_and_skipped(
    database_url: str,
    store: SqlStore,
    connector: FakeConnector,
    graph: FakeGraph,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await seed_team(store, Platform.TEAMS, TENANT, MANAGER, RAVI)
    graph.users.discard(RAVI)

    assert await run_reminders(installing(database_url, graph, connector), TUESDAY) == 0

    assert connector.messages() == []
    assert "HTTP 404" in caplog.text
    assert f"User {RAVI} not found" not in caplog.text


def test_switching_it_on_without_the_catalog_app_id_is_refused(database_url: str) -> None:
    with pytest.raises(ValidationError, match="COACH_TEAMS_CATALOG_APP_ID"):
        settings_for(
            database_url,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
            COACH_TEAMS_PROACTIVE_INSTALL=True,
        )

"""The doors `/api/messages` must keep shut: what is mounted when, and which hosts the coach
will talk to on a caller's word (the activity's `serviceUrl`, an attachment's URL).

Each test runs the real server against loopback stand-ins; the allowlists name exactly the
stand-in that plays Microsoft, so a second stand-in on another port plays everyone else and
records that it was never called.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from microsoft_agents.activity import Activity
from pydantic import SecretStr

from bot.teams.hosting import check_teams_bind
from bot.teams.jobs import open_teams_jobs
from bot.teams.proactive import to_reference_json
from bot.teams.turns import TeamsOrder, TeamsWork
from bot.wiring import open_root
from coaching.errors import CoachingError
from coaching.ports import UserRef
from coaching.types import Platform
from config.settings import TEAMS_SERVICE_HOSTS, Settings, load_settings
from storage.models import ConversationReference, ConversationTurn, ProposalReview, User
from storage.references import SqlConversationReferences
from storage.repository import SqlStore
from tests.delivery.conftest import run_digests, seed_team
from tests.delivery.conftest import settings_for as delivery_settings
from tests.fakes.openid import IDENTITY_HEADER, FakeOpenId
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.fakes.teams_connector import FakeConnector
from tests.review.outlines import SELLER_OUTLINE
from tests.teams.conftest import (
    APP_ID,
    PROPOSAL_WAIT,
    TENANT,
    TeamsServer,
    activity,
    count_rows,
    running,
    settings_for,
)

COACH = str(Path(sys.executable).with_name("coach"))
FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
REFUSED_FILE = "I only open files shared with me in Teams"


@pytest.fixture
async def stranger() -> AsyncIterator[FakeConnector]:
    """A host that is neither Teams nor the Bot Framework."""
    async with FakeConnector() as fake:
        yield fake


def only(connector: FakeConnector) -> list[str]:
    """An allowlist naming this one stand-in: scheme, host and port."""
    return [f"http://127.0.0.1:{connector.port}"]


async def status_of(server: TeamsServer, body: dict[str, Any]) -> int:
    """The status `/api/messages` answers; a 404 has no JSON body to read."""
    async with server.http.post(f"{server.base_url}/api/messages", json=body) as response:
        return response.status


async def nothing_stored(database_url: str) -> bool:
    tables = (ConversationTurn, ConversationReference, User, ProposalReview)
    return all([await count_rows(database_url, table) == 0 for table in tables])


async def test_a_slack_only_server_has_no_teams_endpoint(
    database_url: str, slack_api: FakeSlackApi, connector: FakeConnector
) -> None:
    settings = settings_for(
        database_url,
        COACH_TEAMS_ALLOW_ANONYMOUS=False,
        SLACK_BOT_TOKEN=SecretStr(BOT_TOKEN),
        SLACK_SIGNING_SECRET=SecretStr("slack-signing-secret"),
        SLACK_API_URL=slack_api.api_url,
    )

    async with running(settings) as server:
        status = await status_of(server, activity(PROPOSAL_WAIT, service_url=connector.service_url))
        async with server.http.post(f"{server.base_url}/slack/events", data=b"{}") as slack:
            slack_status = slack.status

    assert status == 404
    assert slack_status != 404
    assert connector.posted == []
    assert await nothing_stored(database_url)


async def test_anonymous_mode_must_be_asked_for(
    database_url: str, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    # The server says so: without Teams settings it never loads the Teams adapter at all.
    caplog.set_level(logging.INFO, logger="bot.server")
    async with running(settings_for(database_url, COACH_TEAMS_ALLOW_ANONYMOUS=False)) as server:
        status = await status_of(server, activity(PROPOSAL_WAIT, service_url=connector.service_url))

    assert status == 404
    assert connector.posted == []
    [said] = [r.getMessage() for r in caplog.records if r.name == "bot.server"]
    assert "/api/messages is not served" in said


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_anonymous_mode_refuses_to_start_on_every_interface(tmp_path: Path) -> None:
    """`coach serve --host 0.0.0.0` with anonymous Teams: one line, exit 2, no listener."""
    env = dict(os.environ)
    env["COACH_TEAMS_ALLOW_ANONYMOUS"] = "true"
    port = str(free_port())

    try:
        done = subprocess.run(
            [
                COACH,
                "serve",
                "--host",
                "0.0.0.0",
                "--port",
                port,
                "--db",
                f"sqlite:///{tmp_path}/c.db",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("coach serve started listening on 0.0.0.0 in anonymous mode")

    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("coach: Teams local anonymous mode")
    assert "0.0.0.0" in line
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "coach.example.com", ""])
def test_anonymous_mode_is_refused_off_loopback(host: str, tmp_path: Path) -> None:
    settings = settings_for(f"sqlite:///{tmp_path / 'c.db'}")

    with pytest.raises(CoachingError) as refused:
        check_teams_bind(settings, host)

    assert refused.value.code == "config.teams"


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"])
def test_anonymous_mode_may_listen_on_loopback(host: str, tmp_path: Path) -> None:
    check_teams_bind(settings_for(f"sqlite:///{tmp_path / 'c.db'}"), host)


def test_an_authenticated_bot_may_listen_anywhere(tmp_path: Path) -> None:
    settings = settings_for(
        f"sqlite:///{tmp_path / 'c.db'}", CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID
    )

    check_teams_bind(settings, "0.0.0.0")


async def test_a_service_url_outside_the_allowlist_gets_nothing_and_nothing_is_stored(
    database_url: str, connector: FakeConnector, stranger: FakeConnector
) -> None:
    settings = settings_for(database_url, COACH_TEAMS_SERVICE_HOSTS=only(connector))

    async with running(settings) as server:
        status, body = await server.post(activity(PROPOSAL_WAIT, service_url=stranger.service_url))

    assert status == 403
    assert body == {"error": "The serviceUrl is not a Bot Framework or Teams host."}
    assert stranger.posted == []
    assert connector.posted == []
    assert await nothing_stored(database_url)


@pytest.mark.parametrize(
    "service_url",
    ["https://smba.trafficmanager.net.example.com/", "http://smba.trafficmanager.net/", ""],
)
async def test_the_default_allowlist_names_microsoft_hosts_over_https_only(
    database_url: str, service_url: str
) -> None:
    settings = settings_for(database_url, COACH_TEAMS_SERVICE_HOSTS=list(TEAMS_SERVICE_HOSTS))

    async with running(settings) as server:
        status, _ = await server.post(activity(PROPOSAL_WAIT, service_url=service_url))

    assert status == 403
    assert await nothing_stored(database_url)


def test_host_settings_default_to_microsoft_and_refuse_what_is_not_a_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As `.env.example` leaves them (empty) they mean the defaults; a URL path is refused."""
    monkeypatch.setenv("COACH_TEAMS_SERVICE_HOSTS", "")
    monkeypatch.setenv("COACH_TEAMS_FILE_HOSTS", " HTTP://LocalHost:3978/ , *.sharepoint.us")
    settings = Settings(_env_file=None)
    assert settings.teams.service_hosts == list(TEAMS_SERVICE_HOSTS)
    assert settings.teams.file_hosts == ["http://localhost:3978", "*.sharepoint.us"]

    monkeypatch.setenv("COACH_TEAMS_SERVICE_HOSTS", "https://evil.example/steal")
    with pytest.raises(CoachingError, match="COACH_TEAMS_SERVICE_HOSTS"):
        load_settings()


async def test_a_valid_token_for_a_foreign_service_url_sends_no_token_there(
    database_url: str,
    connector: FakeConnector,
    stranger: FakeConnector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Signed for the stranger's URL and matching the activity: still nothing goes there,
    not even a request for our outbound token."""
    async with FakeOpenId() as issuer:
        monkeypatch.setenv("IDENTITY_ENDPOINT", issuer.identity_endpoint)
        monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)
        settings = settings_for(
            database_url,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE="UserManagedIdentity",
            COACH_TEAMS_OPENID_METADATA_URL=issuer.metadata_url,
            COACH_TEAMS_SERVICE_HOSTS=only(connector),
        )
        token = issuer.token(audience=APP_ID, service_url=stranger.service_url)

        async with running(settings) as server:
            status, _ = await server.post(
                activity(PROPOSAL_WAIT, service_url=stranger.service_url), token=token
            )

        assert issuer.identity_requests == []
    assert status == 403
    assert stranger.posted == []
    assert await nothing_stored(database_url)


async def test_a_stored_reference_to_a_foreign_host_gets_no_digest(
    database_url: str, store: SqlStore, connector: FakeConnector, stranger: FakeConnector
) -> None:
    """A reference stored before the allowlist (or by a misconfigured server) stays unused."""
    manager = "aad-mia"
    await seed_team(store, Platform.TEAMS, TENANT, manager, "aad-ravi")
    said = activity("help", service_url=stranger.service_url, user_aad=manager)
    await SqlConversationReferences(store.engine).save(
        who=UserRef(platform=Platform.TEAMS, tenant=TENANT, user=manager),
        reference=to_reference_json(Activity.model_validate(said)),
    )
    settings = delivery_settings(database_url, COACH_TEAMS_SERVICE_HOSTS=only(connector))

    assert await run_digests(settings) == (0, 1)
    assert stranger.posted == []


async def test_a_queued_turn_for_a_foreign_host_is_neither_coached_nor_sent(
    database_url: str, connector: FakeConnector, stranger: FakeConnector
) -> None:
    """A job queued before the allowlist (or by a web process configured otherwise)."""
    settings = settings_for(database_url, COACH_TEAMS_SERVICE_HOSTS=only(connector))
    said = Activity.model_validate(activity(PROPOSAL_WAIT, service_url=stranger.service_url))
    order = TeamsOrder.of(TeamsWork.CHAT, said, PROPOSAL_WAIT)

    async with open_root(settings) as root, open_teams_jobs(settings, root) as jobs:
        outcome = await jobs.run(order.model_dump_json(), resend=False, can_retry=True)

    assert outcome == {"answered": False}
    assert stranger.posted == []
    assert await count_rows(database_url, ConversationTurn) == 0


def attached(url: str, name: str = "Helios proposal.txt") -> dict[str, Any]:
    return {
        "contentType": FILE_INFO,
        "name": name,
        "content": {"downloadUrl": url, "uniqueId": "id-1", "fileType": "txt"},
    }


async def post_file(
    database_url: str, connector: FakeConnector, url: str, **overrides: Any
) -> tuple[int, list[str]]:
    """Attach `url` in Alice's personal chat; the status and the messages she got."""
    settings = settings_for(
        database_url, **{"COACH_TEAMS_FILE_HOSTS": only(connector), **overrides}
    )
    async with running(settings) as server:
        status, _ = await server.post(
            activity(None, service_url=connector.service_url, attachments=[attached(url)])
        )
    return status, [message.text for message in connector.messages()]


async def test_an_attachment_on_another_host_is_never_fetched(
    database_url: str, connector: FakeConnector, stranger: FakeConnector
) -> None:
    url = stranger.host_file("proposal.txt", PROPOSAL_WAIT.encode())

    status, said = await post_file(database_url, connector, url)

    assert status == 202
    assert stranger.fetched == []
    [line] = said
    assert line.startswith(REFUSED_FILE)
    assert await count_rows(database_url, ProposalReview) == 0
    assert await count_rows(database_url, ConversationTurn) == 0


async def test_a_redirect_to_another_host_is_not_followed(
    database_url: str, connector: FakeConnector, stranger: FakeConnector
) -> None:
    target = stranger.host_file("proposal.txt", PROPOSAL_WAIT.encode())
    url = connector.host_redirect("moved.txt", target)

    _, said = await post_file(database_url, connector, url)

    assert connector.fetched == ["moved.txt"]
    assert stranger.fetched == []
    [line] = said
    assert line.startswith(REFUSED_FILE)
    assert await count_rows(database_url, ProposalReview) == 0


async def test_a_redirect_within_the_allowed_hosts_is_followed(
    database_url: str, connector: FakeConnector
) -> None:
    target = connector.host_file("proposal.txt", SELLER_OUTLINE.encode())
    url = connector.host_redirect("moved.txt", target)

    _, said = await post_file(database_url, connector, url)

    assert connector.fetched == ["moved.txt", "proposal.txt"]
    assert len(said) == 1
    assert await count_rows(database_url, ProposalReview) == 1


async def test_an_allowed_host_over_plain_http_is_refused_when_https_is_listed(
    database_url: str, connector: FakeConnector
) -> None:
    url = connector.host_file("proposal.txt", PROPOSAL_WAIT.encode())

    _, said = await post_file(
        database_url, connector, url, COACH_TEAMS_FILE_HOSTS=[f"127.0.0.1:{connector.port}"]
    )

    assert connector.fetched == []
    assert said[0].startswith(REFUSED_FILE)

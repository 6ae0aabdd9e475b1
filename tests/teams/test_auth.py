"""With credentials configured, every activity must carry a valid Bot Framework token.

Tokens are signed with a local RSA key published by a loopback OpenID metadata + JWKS
stand-in; the server is pointed at it with `COACH_TEAMS_OPENID_METADATA_URL`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from tests.fakes.openid import IDENTITY_HEADER, OUTBOUND_TOKEN, FakeOpenId
from tests.fakes.teams_connector import FakeConnector
from tests.teams.conftest import (
    APP_ID,
    PROPOSAL_WAIT,
    TENANT,
    TeamsServer,
    activity,
    running,
    settings_for,
)


@pytest.fixture
async def issuer() -> AsyncIterator[FakeOpenId]:
    async with FakeOpenId() as fake:
        yield fake


@pytest.fixture
async def secured(database_url: str, issuer: FakeOpenId) -> AsyncIterator[TeamsServer]:
    """The server with a client id, secret and tenant: the production configuration."""
    settings = settings_for(
        database_url,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET="not-used-by-refused-requests",
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
        COACH_TEAMS_OPENID_METADATA_URL=issuer.metadata_url,
    )
    async with running(settings) as server:
        yield server


async def test_a_missing_token_is_refused(secured: TeamsServer, connector: FakeConnector) -> None:
    status, body = await secured.post(activity(PROPOSAL_WAIT, service_url=connector.service_url))

    assert status == 401
    assert body == {"error": "Unauthorized."}
    assert connector.posted == []


@pytest.mark.parametrize(
    "problem",
    [
        "forged",
        "expired",
        "wrong audience",
        "wrong issuer",
        "other service url",
        "no service url",
        "not bearer",
    ],
)
async def test_an_unacceptable_token_is_refused(
    secured: TeamsServer, connector: FakeConnector, issuer: FakeOpenId, problem: str
) -> None:
    url = connector.service_url
    token = {
        "forged": issuer.token(audience=APP_ID, service_url=url, forged=True),
        "expired": issuer.token(audience=APP_ID, service_url=url, expires_in=-3600),
        "wrong audience": issuer.token(audience="some-other-bot", service_url=url),
        "wrong issuer": issuer.token(audience=APP_ID, service_url=url, issuer="https://evil"),
        "other service url": issuer.token(audience=APP_ID, service_url="https://elsewhere/"),
        "no service url": issuer.token(audience=APP_ID),
        "not bearer": "",
    }[problem]
    headers = {"Authorization": "Basic YWxpY2U6c2VjcmV0"} if problem == "not bearer" else {}

    async with secured.http.post(
        f"{secured.base_url}/api/messages",
        json=activity(PROPOSAL_WAIT, service_url=url),
        headers=headers or {"Authorization": f"Bearer {token}"},
    ) as response:
        assert response.status == 401
    assert connector.posted == []


async def test_a_valid_token_is_served_and_replies_carry_our_own_token(
    database_url: str,
    connector: FakeConnector,
    issuer: FakeOpenId,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The full authenticated round trip. Outbound tokens come from MSAL; with a client
    secret MSAL only talks HTTPS to Entra ID, so this test uses the App Service managed
    identity flavour, whose token endpoint MSAL reads from the environment."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", issuer.identity_endpoint)
    monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)
    settings = settings_for(
        database_url,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__AUTHTYPE="UserManagedIdentity",
        COACH_TEAMS_OPENID_METADATA_URL=issuer.metadata_url,
    )
    token = issuer.token(audience=APP_ID, service_url=connector.service_url)

    async with running(settings) as server:
        status, _ = await server.post(
            activity(PROPOSAL_WAIT, service_url=connector.service_url), token=token
        )

    assert status == 202
    assert [p.type for p in connector.posted] == ["typing", "message"]
    assert {p.authorization for p in connector.posted} == {f"Bearer {OUTBOUND_TOKEN}"}
    assert issuer.identity_requests[0]["client_id"] == APP_ID


async def test_unreachable_keys_mean_try_again_not_unauthorized(
    database_url: str, connector: FakeConnector, issuer: FakeOpenId
) -> None:
    nowhere = f"http://127.0.0.1:{connector.port}/no-such-metadata"
    settings = settings_for(
        database_url,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
        COACH_TEAMS_OPENID_METADATA_URL=nowhere,
    )
    token = issuer.token(audience=APP_ID, service_url=connector.service_url)

    async with running(settings) as server:
        status, _ = await server.post(
            activity(PROPOSAL_WAIT, service_url=connector.service_url), token=token
        )

    assert status == 503
    assert connector.posted == []


async def test_the_start_log_says_which_mode_runs(
    database_url: str, issuer: FakeOpenId, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.teams.hosting")
    async with running(settings_for(database_url)):
        pass
    secured = settings_for(
        database_url,
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
        COACH_TEAMS_OPENID_METADATA_URL=issuer.metadata_url,
    )
    async with running(secured):
        pass

    messages = [r.getMessage() for r in caplog.records if r.name == "bot.teams.hosting"]
    assert "LOCAL ANONYMOUS MODE" in messages[0]
    assert f"valid token for app {APP_ID}" in messages[1]

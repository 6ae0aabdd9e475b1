"""What `coach serve` logs about a request: its metadata and outcome, never its body.

Each test drives the real app with `configure_logging` as `coach serve` installs it and
reads the JSON lines it wrote.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.request_log import request_log
from bot.server import build_app
from storage.repository import SqlStore
from tests.fakes.openid import FakeOpenId
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.teams_connector import FakeConnector
from tests.fuzz.signing import signed_headers
from tests.server_log import server_log
from tests.slack.harness import dm, event_body, slack_settings
from tests.teams.conftest import APP_ID, TENANT, activity, running
from tests.teams.conftest import settings_for as teams_settings

Client = TestClient[web.Request, web.Application]

MARKER = "ZEBRA-7741 our discount for Acme is 40 percent"


@pytest.fixture
async def slack_client(
    database_url: str, store: SqlStore, slack_api: FakeSlackApi
) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build_app(slack_settings(database_url, slack_api)))) as client:
        yield client


async def test_a_refused_request_is_one_short_line_without_its_body(
    slack_client: Client,
) -> None:
    body = json.dumps(event_body(dm(MARKER * 5_000), "Ev-big")).encode()
    with server_log() as log:
        response = await slack_client.post(
            "/slack/events",
            data=body,
            headers={"Content-Type": "application/json", **signed_headers(body, secret="forged")},
        )

    assert response.status == 401
    log.assert_clean(MARKER, "ZEBRA")
    [line] = log.requests()
    assert line["method"] == "POST"
    assert line["path"] == "/slack/events"
    assert line["status"] == 401
    assert line["size"] == len(body)
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert isinstance(line["seconds"], float)


async def test_a_listener_failure_is_acknowledged_and_logged_by_its_class_only(
    slack_client: Client, slack_api: FakeSlackApi
) -> None:
    body = json.dumps(event_body(dm(MARKER, ts=MARKER), "Ev-bad-ts")).encode()
    with server_log() as log:
        response = await slack_client.post(
            "/slack/events",
            data=body,
            headers={"Content-Type": "application/json", **signed_headers(body)},
        )

    assert response.status == 200
    log.assert_clean("ZEBRA")
    assert {"level": "WARNING", "error": "MalformedPayload"}.items() <= log.entries()[-2].items()
    assert slack_api.calls_to("chat.postMessage") == []


async def test_an_sdk_validation_error_is_summarised_without_pydantic_text(
    database_url: str, connector: FakeConnector
) -> None:
    async with FakeOpenId() as issuer:
        settings = teams_settings(
            database_url,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=APP_ID,
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET="not-used-by-refused-requests",
            CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID=TENANT,
            COACH_TEAMS_OPENID_METADATA_URL=issuer.metadata_url,
        )
        body = {**activity(MARKER, service_url=connector.service_url), "type": MARKER, "from": 7}
        token = issuer.token(audience=APP_ID, service_url=connector.service_url)
        async with running(settings) as teams:
            with server_log() as log:
                status, _ = await teams.post(body, token=token)

    assert 400 <= status < 500
    log.assert_clean("ZEBRA", "validation error", "input_value")
    assert log.requests()[-1]["status"] == status


async def test_an_unexpected_failure_is_a_plain_500_logged_by_class() -> None:
    async def broken(_request: web.Request) -> web.Response:
        raise KeyError(MARKER)

    app = web.Application(middlewares=[request_log])
    app.router.add_post("/broken", broken)
    with server_log() as log:
        async with TestClient(TestServer(app)) as client:
            response = await client.post("/broken?code=secret", data=MARKER)
            body = await response.json()

    assert (response.status, body) == (500, {"error": "internal error"})
    log.assert_clean("ZEBRA", "secret")
    failure, line = log.entries()[-2:]
    assert (failure["error"], failure["request_id"]) == ("KeyError", line["request_id"])
    assert (line["path"], line["status"]) == ("/broken", 500)

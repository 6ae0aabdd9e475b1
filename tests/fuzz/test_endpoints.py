"""A bounded fuzzer for the two platform endpoints of the real app on loopback.

Generated payloads, signed and unsigned, go to `/slack/events` and `/api/messages`. Whatever
arrives: never a 500, never a traceback or a long line in the server's log, and nothing is
written to the database by a request that did not authenticate. The refusals run first,
so no background work from an accepted request can write while they count rows.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.live import LiveServer
from tests.fuzz.signing import signed_headers
from tests.fuzz.strategies import FUZZ_HTTP, json_values, maybe, rep_text
from tests.server_log import ServerLog, server_log
from tests.slack.harness import button, dm, event_body, mention, trust_submission
from tests.teams.conftest import APP_ID, activity, execute

CONTENT_TYPES = st.sampled_from(
    ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "multipart/x"]
)


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[LiveServer, ServerLog]]:
    with tempfile.TemporaryDirectory() as folder, server_log() as log:
        with LiveServer(Path(folder) / "coach.db") as server:
            yield server, log
        log.assert_clean()


def _mangled(payload: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={key: maybe(value) for key, value in payload.items()})


_form = st.dictionaries(
    st.sampled_from(
        ["command", "text", "team_id", "user_id", "trigger_id", "payload", "ssl_check"]
    ),
    st.text(max_size=30) | st.sampled_from(["/coach", "/commitments", "/trust-check", "T0ACME"]),
    max_size=6,
)
slack_bodies = st.one_of(
    st.builds(
        lambda event, eid: json.dumps(event_body(event, eid)).encode(),
        _mangled(dm("hi")),
        st.text(max_size=8),
    ),
    _mangled(event_body(mention("I'll call Dana Friday"), "Ev1")).map(
        lambda b: json.dumps(b).encode()
    ),
    _form.map(lambda form: urlencode(form).encode()),
    _mangled(button("done", 3, response_url=None)).map(
        lambda payload: urlencode({"payload": json.dumps(payload)}).encode()
    ),
    maybe(trust_submission([5, 4, 3, 2, 1])).map(
        lambda payload: urlencode({"payload": json.dumps(payload)}).encode()
    ),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    rep_text.map(str.encode),
)
unsigned_headers = st.one_of(
    st.just({}),
    st.builds(
        lambda stamp: {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=0"},
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12),
    ),
)


def _slack_headers(content_type: str) -> dict[str, str]:
    return {"Content-Type": content_type} if content_type else {}


@FUZZ_HTTP
@given(
    body=slack_bodies,
    content_type=CONTENT_TYPES,
    kind=st.sampled_from(["none", "forged", "stale", "garbled"]),
    garbled=unsigned_headers,
)
def test_unsigned_slack_requests_are_refused_and_write_nothing(
    live: tuple[LiveServer, ServerLog],
    body: bytes,
    content_type: str,
    kind: str,
    garbled: dict[str, str],
) -> None:
    server, _ = live
    signing = {
        "none": {},
        "forged": signed_headers(body, secret="not-the-secret"),
        "stale": signed_headers(body, timestamp=str(int(time.time()) - 3600)),
        "garbled": garbled,
    }[kind]
    before = server.rows()

    answer = server.post("/slack/events", body, {**_slack_headers(content_type), **signing})

    assert answer.status in {400, 401}
    assert server.rows() == before


def _activities(service_url: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        _mangled(activity("I'll send Acme the proposal by Friday", service_url=service_url)),
        _mangled(execute({"verb": "commitment_done", "id": 1}, service_url=service_url)),
        st.dictionaries(st.text(max_size=10), json_values, max_size=5),
    )


teams_bodies = st.one_of(
    st.builds(
        lambda value: json.dumps(value).encode(), st.deferred(lambda: _activities(SERVICE_URL))
    ),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=120),
)
# The connector's address is only known once the server runs; examples use a placeholder
# that the test swaps for it.
SERVICE_URL = "http://service-url.invalid/"


@FUZZ_HTTP
@given(body=teams_bodies, authorization=st.sampled_from(["", "Bearer x", "Basic a", "forged"]))
def test_unauthenticated_teams_activities_are_refused_and_write_nothing(
    live: tuple[LiveServer, ServerLog], body: bytes, authorization: str
) -> None:
    server, _ = live
    body = body.replace(SERVICE_URL.encode(), server.connector.service_url.encode())
    if authorization == "forged":
        token = server.issuer.token(
            audience=APP_ID, service_url=server.connector.service_url, forged=True
        )
        authorization = f"Bearer {token}"
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    before = server.rows()

    answer = server.post("/api/messages", body, headers)

    assert 400 <= answer.status < 500
    assert server.rows() == before
    assert server.connector.posted == []


@FUZZ_HTTP
@given(body=slack_bodies, content_type=CONTENT_TYPES, retry=st.booleans())
def test_signed_slack_requests_never_get_a_500(
    live: tuple[LiveServer, ServerLog], body: bytes, content_type: str, retry: bool
) -> None:
    server, _ = live
    headers = {**_slack_headers(content_type), **signed_headers(body)}
    if retry:
        headers["X-Slack-Retry-Num"] = "1"

    assert server.post("/slack/events", body, headers).status < 500


@FUZZ_HTTP
@given(body=teams_bodies)
def test_authenticated_teams_activities_never_get_a_500(
    live: tuple[LiveServer, ServerLog], body: bytes
) -> None:
    server, _ = live
    body = body.replace(SERVICE_URL.encode(), server.connector.service_url.encode())
    token = server.issuer.token(audience=APP_ID, service_url=server.connector.service_url)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    assert server.post("/api/messages", body, headers).status < 500

"""Signed requests to the real `/slack/events` endpoint, and Slack-shaped payloads.

Requests are signed the way Slack signs them (v0 HMAC-SHA256 of `v0:timestamp:body` with
the signing secret, https://api.slack.com/authentication/verifying-requests-from-slack),
so Bolt's own verification runs in every test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from bot.slack.app import SLACK_KEY
from bot.slack.blocks import TRUST_ANSWER_ID, TRUST_MODAL_ID, trust_block_id
from config.settings import Settings
from tests.fakes.slack_api import BOT_TOKEN, BOT_USER_ID, TEAM_ID, FakeSlackApi

SIGNING_SECRET = "test-signing-secret"
REP = "U0REP"
DM = "D0REP"
DEALS = "C0DEALS"
# 2026-11-18 08:00 UTC, a Wednesday: due dates in the tests resolve from here.
NOW_TS = f"{datetime(2026, 11, 18, 8, 0, tzinfo=UTC).timestamp():.6f}"
P3_TEXT = "I sent the proposal to Acme on Monday and will just wait for their decision."
# Another rep in the same workspace, and another workspace where Alice's user id recurs.
BOB = "U0BOB"
BOB_DM = "D0BOB"
BOB_SAYS = "I'll send Globex the signed renewal contract by Friday."
OTHER_TEAM = "T0OTHER"


def slack_settings(database_url: str, api: FakeSlackApi, **overrides: Any) -> Settings:
    """Single-workspace Slack on the stand-in; nothing read from the environment or `.env`."""
    values: dict[str, Any] = {
        "COACH_DATABASE_URL": database_url,
        "OPENAI_API_KEY": None,
        "COACH_TIMEZONE": "UTC",
        "SLACK_BOT_TOKEN": SecretStr(BOT_TOKEN),
        "SLACK_SIGNING_SECRET": SecretStr(SIGNING_SECRET),
        "SLACK_APP_TOKEN": None,
        "SLACK_CLIENT_ID": None,
        "SLACK_CLIENT_SECRET": None,
        "SLACK_REDIRECT_URI": None,
        "SLACK_SOCKET_MODE": False,
        "SLACK_API_URL": api.api_url,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def sign(
    body: bytes, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


@dataclass
class SlackHarness:
    client: TestClient[Any, Any]
    api: FakeSlackApi

    async def post(
        self, body: bytes, content_type: str, headers: dict[str, str] | None = None, **signing: Any
    ) -> ClientResponse:
        all_headers = {"Content-Type": content_type, **sign(body, **signing), **(headers or {})}
        return await self.client.post("/slack/events", data=body, headers=all_headers)

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str = "Ev0001",
        retry: int | None = None,
        **signing: Any,
    ) -> ClientResponse:
        headers = (
            {}
            if retry is None
            else {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        )
        body = json.dumps(event_body(event, event_id)).encode()
        return await self.post(body, "application/json", headers, **signing)

    async def command(
        self,
        name: str,
        text: str,
        *,
        trigger_id: str = "trig1",
        response: str = "cmd",
        team_id: str = TEAM_ID,
        user: str = REP,
    ) -> ClientResponse:
        form = {
            "command": name,
            "text": text,
            "team_id": team_id,
            "user_id": user,
            "user_name": "ada",
            "channel_id": DEALS,
            "trigger_id": trigger_id,
            "response_url": self.api.response_url(response),
            "api_app_id": "A0COACH",
        }
        return await self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded")

    async def drain(self) -> None:
        await self.client.app[SLACK_KEY].drain()


def event_body(event: dict[str, Any], event_id: str, team_id: str = TEAM_ID) -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": team_id,
        "api_app_id": "A0COACH",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(float(NOW_TS)),
        "authorizations": [{"team_id": team_id, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def dm(text: str, *, ts: str = NOW_TS, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": DM,
        "channel_type": "im",
        "user": REP,
        "text": text,
        "ts": ts,
        **extra,
    }


def mention(text: str, *, ts: str = NOW_TS, **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "channel": DEALS,
        "user": REP,
        "text": f"<@{BOT_USER_ID}> {text}".strip(),
        "ts": ts,
        **extra,
    }


def button(
    action: str,
    commitment_id: int,
    *,
    response_url: str | None,
    user: str = REP,
    message: dict[str, Any] | None = None,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """A commitment button click; without a response_url it came from the App Home tab."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user, "team_id": team_id},
        "api_app_id": "A0COACH",
        "trigger_id": f"trig-{action}",
        "container": {"type": "view", "view_id": "V0HOME"},
        "actions": [
            {
                "action_id": f"commitment_{action}",
                "block_id": f"commitment-{commitment_id}",
                "value": str(commitment_id),
                "type": "button",
            }
        ],
    }
    if response_url is not None:
        payload["container"] = {"type": "message", "is_ephemeral": message is None}
        payload["response_url"] = response_url
        payload["channel"] = {"id": DM}
    if message is not None:
        payload["message"] = message
    return payload


def shortcut(text: str, *, response_url: str) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "coach_this_draft",
        "trigger_id": "trig-shortcut",
        "response_url": response_url,
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": REP, "team_id": TEAM_ID},
        "channel": {"id": DEALS},
        "message": {"type": "message", "user": "U0OTHER", "text": text, "ts": NOW_TS},
    }


def block_texts(params: dict[str, Any]) -> list[str]:
    """Every piece of text in a message's blocks, in order."""
    texts: list[str] = []
    for block in params.get("blocks") or []:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str))
    return texts


def action_ids(params: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in params.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def trust_submission(answers: Sequence[int | None], *, user: str = REP) -> dict[str, Any]:
    """The view_submission Slack sends for the trust modal; None leaves a statement unanswered.

    Input blocks carry their selected option under block_id / action_id
    (https://api.slack.com/reference/interaction-payloads/views#view_submission).
    """
    values: dict[str, Any] = {}
    for number, answer in enumerate(answers, start=1):
        chosen = None if answer is None else {"value": str(answer), "text": _plain(str(answer))}
        values[trust_block_id(number)] = {
            TRUST_ANSWER_ID: {"type": "static_select", "selected_option": chosen}
        }
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0COACH",
        "trigger_id": "trig-trust-submit",
        "view": {
            "id": "V0TRUST",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": TRUST_MODAL_ID,
            "state": {"values": values},
        },
    }


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def forget_press(
    action: str, *, asked: str, response_url: str, user: str = REP, team_id: str = TEAM_ID
) -> dict[str, Any]:
    """A click on the "forget me" question's button ("privacy_forget" or "privacy_keep")."""
    return {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "acme"},
        "user": {"id": user, "team_id": team_id},
        "api_app_id": "A0COACH",
        "trigger_id": f"trig-{action}",
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": response_url,
        "channel": {"id": DM},
        "actions": [
            {"action_id": action, "block_id": "forget_me", "value": asked, "type": "button"}
        ],
    }


async def event_in(
    slack: SlackHarness, event: dict[str, Any], *, event_id: str, team_id: str
) -> ClientResponse:
    """An event from another workspace than the default one, signed all the same."""
    body = json.dumps(event_body(event, event_id, team_id=team_id)).encode()
    return await slack.post(body, "application/json")
